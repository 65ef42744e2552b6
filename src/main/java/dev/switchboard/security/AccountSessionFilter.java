package dev.switchboard.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Right after the security context is loaded from the session: a login the account no longer backs is ended
 * ({@link AccountSessions}), so the request is judged as an anonymous one (401 on the API, the login view in the app).
 */
class AccountSessionFilter extends OncePerRequestFilter {
    private final AccountSessions sessions;

    AccountSessionFilter(AccountSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        sessions.holds(request);
        chain.doFilter(request, response);
    }
}
