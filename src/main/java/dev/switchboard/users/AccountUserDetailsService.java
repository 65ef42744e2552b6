package dev.switchboard.users;

import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/** Loads users for the password check; the principal's name is the stored spelling of the username. */
public class AccountUserDetailsService implements UserDetailsService {

    private final UserAccounts accounts;

    public AccountUserDetailsService(UserAccounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        UserAccounts.Credentials c = accounts.findCredentials(username)
                .filter(found -> found.passwordHash() != null) // single sign-on only: no password to check
                .orElseThrow(() -> new UsernameNotFoundException("Unknown user"));
        return User.withUsername(c.username())
                .password(c.passwordHash())
                .authorities(c.role().authority())
                .disabled(!c.enabled())
                .build();
    }
}
