package dev.switchboard.security;

import dev.switchboard.users.AccountsChanged;
import dev.switchboard.users.SessionGrant;
import dev.switchboard.users.UserAccounts;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.util.List;
import java.util.Optional;

/**
 * Login sessions follow their account: a session remembers the account's {@link SessionGrant#version()} from its
 * first request, and once a change of role, status or password has moved it on, the session ends at its next
 * request. The session that made the change (a user changing their own password, an admin their own role) is
 * carried over to the new version and its authorities, so it stays logged in.
 */
@Component
public class AccountSessions {
    private static final Logger log = LoggerFactory.getLogger(AccountSessions.class);
    static final String VERSION = AccountSessions.class.getName() + ".version";

    private final UserAccounts accounts;

    public AccountSessions(UserAccounts accounts) {
        this.accounts = accounts;
    }

    /**
     * Checks the session's login against its account; false when it was ended (the session is invalidated and the
     * request goes on unauthenticated).
     */
    boolean holds(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        Authentication login = SecurityContextHolder.getContext().getAuthentication();
        if (session == null || login == null || login instanceof AnonymousAuthenticationToken || !login.isAuthenticated()) {
            return true;
        }
        Optional<SessionGrant> grant = accounts.sessionGrant(login.getName());
        Object seen = session.getAttribute(VERSION);
        if (grant.isPresent() && (seen == null || seen.equals(grant.get().version()))) {
            if (seen == null) session.setAttribute(VERSION, grant.get().version());
            return true;
        }
        log.info("Ended a login session of '{}': the account's rights or password changed", login.getName());
        SecurityContextHolder.clearContext();
        try {
            session.invalidate();
        } catch (IllegalStateException alreadyInvalid) {
            // ended by a parallel request of the same session
        }
        return false;
    }

    /** The session that changed its own account keeps going, with the account's new rights. */
    @TransactionalEventListener(fallbackExecution = true)
    public void accountsChanged(AccountsChanged event) {
        if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) return;
        HttpSession session = attributes.getRequest().getSession(false);
        Authentication login = SecurityContextHolder.getContext().getAuthentication();
        if (session == null || session.getAttribute(VERSION) == null || login == null
                || !login.getName().equalsIgnoreCase(event.username())) {
            return; // not a login session, or another user's account changed
        }
        Optional<SessionGrant> grant = accounts.currentSessionGrant(login.getName());
        if (grant.isEmpty()) return; // disabled: ends at its next request like the others
        var renewed = UsernamePasswordAuthenticationToken.authenticated(login.getPrincipal(), null,
                List.of(new SimpleGrantedAuthority(grant.get().role().authority())));
        renewed.setDetails(login.getDetails());
        SecurityContext context = new SecurityContextImpl(renewed);
        SecurityContextHolder.setContext(context);
        session.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY, context);
        session.setAttribute(VERSION, grant.get().version());
    }
}
