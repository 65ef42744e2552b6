package dev.switchboard.security;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.stereotype.Component;

import java.io.IOException;

/**
 * Serves a hot API route for a request with a valid bearer token as the /api chain would, without the rest of that
 * chain and Spring MVC: the same token check ({@link ApiTokens}, cached) and the chain's own header writer. Every
 * other request (no bearer token, a bad one, Basic, a session) is left to the chain, which answers it as ever.
 * Profiled at C=256, the filters and dispatch around {@code POST /api/chat} took ~70 % of its request thread's CPU,
 * all of it before the upstream request is sent, so on every first token's path.
 */
@Component
public class BearerShortcut {

    /** What the route does once the caller is known. */
    @FunctionalInterface
    public interface Handler {
        void handle(HttpServletRequest request, HttpServletResponse response, String username) throws IOException;
    }

    private final ApiTokens tokens;
    private final HeaderWriterFilter headers;

    BearerShortcut(ApiTokens tokens, @Qualifier("apiFilterChain") SecurityFilterChain api) {
        this.tokens = tokens;
        this.headers = api.getFilters().stream().filter(HeaderWriterFilter.class::isInstance)
                .map(HeaderWriterFilter.class::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("the /api chain writes no security headers"));
    }

    /**
     * Runs {@code handler} if the request carries a valid bearer token, with the authentication in the security
     * context (and the request, for an error dispatch) and the /api chain's headers written as the response
     * commits. Returns false, having touched nothing, for any other request.
     */
    public boolean serve(HttpServletRequest request, HttpServletResponse response, Handler handler)
            throws IOException, ServletException {
        String token = ApiRequests.bearerToken(request);
        if (token == null) return false;
        var owner = tokens.authenticate(token);
        if (owner.isEmpty()) return false; // the chain answers 401 in its own words
        try {
            ApiTokenAuthenticationFilter.signIn(owner.get(), request, response);
            headers.doFilter(request, response,
                    (req, res) -> handler.handle((HttpServletRequest) req, (HttpServletResponse) res, owner.get().username()));
        } finally {
            SecurityContextHolder.getContextHolderStrategy().clearContext();
        }
        return true;
    }
}
