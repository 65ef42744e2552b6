package dev.switchboard.chat.api;

import dev.switchboard.security.ApiError;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** A request the chat API refuses, with its status and the message the caller sees in the shared error body. */
class ApiRejection extends RuntimeException {
    private final HttpStatus status;
    private final String type;

    ApiRejection(HttpStatus status, String type, String message) {
        super(message);
        this.status = status;
        this.type = type;
    }

    ResponseEntity<ApiError> toResponse() {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(ApiError.of(type, getMessage()));
    }
}
