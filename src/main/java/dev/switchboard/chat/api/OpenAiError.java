package dev.switchboard.chat.api;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.time.Duration;

/**
 * A refusal of the OpenAI-compatible API, in OpenAI's shape {@code {"error": {"message", "type", "param", "code"}}}
 * with the status OpenAI's SDKs map to their exception types.
 */
class OpenAiError extends RuntimeException {
    /** The body OpenAI's SDKs read. */
    record Body(Detail error) {}

    record Detail(String message, String type, String param, String code) {}

    private final HttpStatus status;
    private final String type;
    private final String param;
    private final String code;
    private final Duration retryAfter;

    OpenAiError(HttpStatus status, String type, String code, String param, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.retryAfter = retryAfter;
    }

    static OpenAiError badRequest(String message) {
        return new OpenAiError(HttpStatus.BAD_REQUEST, "invalid_request_error", null, null, message, null);
    }

    static OpenAiError badRequest(String param, String message) {
        return new OpenAiError(HttpStatus.BAD_REQUEST, "invalid_request_error", null, param, message, null);
    }

    static OpenAiError modelNotFound(String model) {
        return new OpenAiError(HttpStatus.NOT_FOUND, "invalid_request_error", "model_not_found", "model",
                "The model '" + clip(model) + "' does not exist or you do not have access to it.", null);
    }

    HttpStatus status() { return status; }

    Body body() { return new Body(new Detail(getMessage(), type, param, code)); }

    ResponseEntity<Body> toResponse() {
        ResponseEntity.BodyBuilder r = ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
        if (retryAfter != null) r.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
        return r.body(body());
    }

    Duration retryAfter() { return retryAfter; }

    static String clip(String s) {
        return s == null ? "" : s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
