package dev.switchboard.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Optional;

/**
 * Authenticates {@code Authorization: Bearer <token>} with a personal API token. A bad token ends the request
 * with 401 at once rather than falling back to anonymous. Not a bean on purpose: as one, Spring Boot would also
 * register it for every URL outside the /api chain.
 */
class ApiTokenAuthenticationFilter extends OncePerRequestFilter {

    private final ApiTokens tokens;
    private final AuthenticationEntryPoint entryPoint;
    private static final SecurityContextRepository REQUEST_CONTEXTS = new RequestAttributeSecurityContextRepository();

    ApiTokenAuthenticationFilter(ApiTokens tokens, AuthenticationEntryPoint entryPoint) {
        this.tokens = tokens;
        this.entryPoint = entryPoint;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String token = ApiRequests.bearerToken(request);
        if (token == null) {
            chain.doFilter(request, response);
            return;
        }
        Optional<ApiTokens.TokenOwner> owner;
        try {
            owner = tokens.authenticate(token);
        } catch (DisabledException e) {
            refuse(request, response, e);
            return;
        }
        if (owner.isEmpty()) {
            refuse(request, response, new InvalidApiTokenException());
            return;
        }
        signIn(owner.get(), request, response);
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException, ServletException {
        SecurityContextHolder.getContextHolderStrategy().clearContext();
        entryPoint.commence(request, response, e);
    }

    /**
     * Puts the token's owner in the security context, and in the request too: it survives async and error
     * dispatches of streamed answers.
     */
    private static void signIn(ApiTokens.TokenOwner owner, HttpServletRequest request, HttpServletResponse response) {
        SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();
        SecurityContext context = holder.createEmptyContext();
        context.setAuthentication(ApiTokenAuthentication.of(owner));
        holder.setContext(context);
        REQUEST_CONTEXTS.saveContext(context, request, response);
    }
}
