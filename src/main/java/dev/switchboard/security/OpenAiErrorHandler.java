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

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Security failures of the OpenAI-compatible API (/v1) in OpenAI's error shape, with the codes its SDKs expect:
 * 401 {@code invalid_api_key}, 403 {@code permission_denied} (also for a valid personal token of a disabled
 * account: the caller is known, the account may not be used), 429 while the login throttle refuses a Basic caller.
 */
class OpenAiErrorHandler implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final ObjectMapper json;

    OpenAiErrorHandler(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        if (e instanceof LoginThrottledException throttled) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(throttled.retryAfterSeconds()));
            write(response, 429, "requests", "too_many_attempts", throttled.getMessage());
        } else if (e instanceof DisabledException && ApiRequests.bearerToken(request) != null) {
            // Only for a token: a password is checked after the disabled flag, so a Basic caller learns nothing.
            write(response, 403, "invalid_request_error", "account_disabled", "This account is disabled: ask an administrator.");
        } else if (ApiRequests.credentialsScheme(request) != null) {
            write(response, 401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided.");
        } else {
            write(response, 401, "invalid_request_error", "invalid_api_key",
                    "You didn't provide an API key: send 'Authorization: Bearer <your personal API token>'.");
        }
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        write(response, 403, "invalid_request_error", "permission_denied", "You are not allowed to do this.");
    }

    void write(HttpServletResponse response, int status, String type, String code, String message)
            throws IOException {
        if (response.isCommitted()) return;
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", type);
        error.put("param", null);
        error.put("code", code);
        json.writeValue(response.getOutputStream(), Map.of("error", error));
    }
}
