package dev.switchboard.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

import java.util.Set;

/** How an API request authenticates, and whether it needs a CSRF token. */
final class ApiRequests {

    static final String BEARER = "Bearer";
    static final String BASIC = "Basic";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final HttpSessionSecurityContextRepository SESSIONS = new HttpSessionSecurityContextRepository();

    private ApiRequests() {
    }

    /** "Bearer" or "Basic" if the Authorization header uses one of them, else null. */
    static String credentialsScheme(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return null;
        }
        if (header.regionMatches(true, 0, BEARER + " ", 0, BEARER.length() + 1)) {
            return BEARER;
        }
        if (header.regionMatches(true, 0, BASIC + " ", 0, BASIC.length() + 1)) {
            return BASIC;
        }
        return null;
    }

    /** The token of an {@code Authorization: Bearer <token>} header, or null if the request has no such header. */
    static String bearerToken(HttpServletRequest request) {
        if (!BEARER.equals(credentialsScheme(request))) return null;
        return request.getHeader(HttpHeaders.AUTHORIZATION).substring(BEARER.length()).strip();
    }

    /**
     * CSRF matters only where the browser adds credentials by itself: a state-changing request riding on a
     * logged-in session. Requests with Bearer/Basic credentials are judged by those alone (see
     * {@link ApiSecurityContextRepository}), so they need no CSRF token; nor do anonymous ones, which then get
     * a plain 401 instead of a confusing 403.
     */
    static boolean needsCsrfToken(HttpServletRequest request) {
        return !SAFE_METHODS.contains(request.getMethod())
                && credentialsScheme(request) == null
                && SESSIONS.containsContext(request);
    }
}
