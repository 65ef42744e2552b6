package dev.switchboard.chat.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.util.Map;

/** The API's error body: {@code {"error": {"message": "...", "type": "..."}}}. */
public record ApiError(Map<String, String> error) {
    public static ResponseEntity<ApiError> of(HttpStatus status, String type, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(new ApiError(Map.of("message", message, "type", type)));
    }

    /** A request the API refuses, with its status and the message the caller sees. */
    public static class Rejection extends RuntimeException {
        private final HttpStatus status;
        private final String type;

        public Rejection(HttpStatus status, String type, String message) {
            super(message);
            this.status = status;
            this.type = type;
        }

        public ResponseEntity<ApiError> toResponse() { return of(status, type, getMessage()); }
    }
}
