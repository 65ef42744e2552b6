package dev.switchboard.security;

import com.vaadin.flow.spring.security.AuthenticationContext;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccount;
import dev.switchboard.users.UserAccounts;
import org.springframework.stereotype.Component;

import java.util.Optional;

/** For views and menus: who is logged in, and logout. Works on the Vaadin UI thread. */
@Component
public class SecurityService {

    private final AuthenticationContext authentication;
    private final UserAccounts accounts;

    public SecurityService(AuthenticationContext authentication, UserAccounts accounts) {
        this.authentication = authentication;
        this.accounts = accounts;
    }

    /** The logged-in user's name (as stored), or empty for anonymous visitors. */
    public Optional<String> currentUsername() {
        return authentication.getPrincipalName();
    }

    /** The logged-in user's account (e.g. for the display name), or empty for anonymous visitors. */
    public Optional<UserAccount> currentAccount() {
        return currentUsername().flatMap(accounts::findByUsername);
    }

    public boolean isAuthenticated() {
        return authentication.isAuthenticated();
    }

    public boolean isAdmin() {
        return authentication.hasRole(Role.ADMIN.name());
    }

    /** Ends the session (it is invalidated) and sends the browser to the login view. */
    public void logout() {
        authentication.logout();
    }
}
