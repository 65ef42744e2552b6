package dev.switchboard.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.DisabledException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

import java.io.IOException;

/**
 * JSON answers for API security failures: 401 (no WWW-Authenticate, so browsers show no popup), 403, and 429
 * with Retry-After while the login throttle refuses the caller.
 */
class ApiErrorHandler implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final ObjectMapper json;

    ApiErrorHandler(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        if (e instanceof LoginThrottledException throttled) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(throttled.retryAfterSeconds()));
            write(response, 429, "too_many_attempts", throttled.getMessage());
        } else if (e instanceof InvalidApiTokenException) {
            write(response, 401, "unauthorized", e.getMessage());
        } else if (e instanceof DisabledException && ApiRequests.bearerToken(request) != null) {
            write(response, 401, "unauthorized", new InvalidApiTokenException().getMessage());
        } else if (hasCredentials(request)) {
            write(response, 401, "unauthorized", "Invalid username or password.");
        } else {
            write(response, 401, "unauthorized",
                    "Authentication required: send 'Authorization: Bearer <API token>' or HTTP Basic credentials.");
        }
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        String message = e instanceof CsrfException
                ? "Missing or invalid CSRF token: send the token from GET /api/csrf in the X-CSRF-TOKEN header."
                : "You are not allowed to do this.";
        write(response, 403, "forbidden", message);
    }

    /** The API's error body with {@code status}, unless the response is already on its way. */
    void write(HttpServletResponse response, int status, String type, String message) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), ApiError.of(type, message));
    }

    private static boolean hasCredentials(HttpServletRequest request) {
        return ApiRequests.credentialsScheme(request) != null;
    }
}
