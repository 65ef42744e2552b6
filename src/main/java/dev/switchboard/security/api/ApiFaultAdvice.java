package dev.switchboard.security.api;

import dev.switchboard.security.ApiErrorBodies;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import java.util.Map;

/**
 * Faults Spring MVC detects before a controller runs (unreadable body, wrong method, wrong parameter type, a media
 * type it cannot read or write) get the API's own error body, like every other API error, instead of Spring's
 * default {timestamp, status, path}: OpenAI's shape under /v1, ours under /api.
 */
@RestControllerAdvice
public class ApiFaultAdvice {

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpServletRequest request, HttpMessageNotReadableException e) {
        String message = e instanceof StrictInput.Refused ? e.getMessage() : "The body is not valid JSON for this request.";
        return error(request, HttpStatus.BAD_REQUEST, "invalid_request_error", message);
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class})
    ResponseEntity<Map<String, Object>> badParameter(HttpServletRequest request, Exception e) {
        String name = e instanceof MethodArgumentTypeMismatchException m ? m.getName()
                : ((MissingServletRequestParameterException) e).getParameterName();
        return error(request, HttpStatus.BAD_REQUEST, "invalid_request_error",
                "The parameter '" + name + "' is missing or malformed.");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Map<String, Object>> method(HttpServletRequest request, HttpRequestMethodNotSupportedException e) {
        return error(request, HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "Method " + e.getMethod() + " is not allowed here.");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Map<String, Object>> mediaType(HttpServletRequest request, HttpMediaTypeNotSupportedException e) {
        return error(request, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "invalid_request_error", "Send the body as application/json.");
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<Map<String, Object>> notAcceptable(HttpServletRequest request, HttpMediaTypeNotAcceptableException e) {
        return error(request, HttpStatus.NOT_ACCEPTABLE, "invalid_request_error", "The API answers in application/json only.");
    }

    private static ResponseEntity<Map<String, Object>> error(HttpServletRequest request, HttpStatus status, String type,
                                                             String message) {
        // The content type is set here, so Spring writes JSON whatever the request's Accept header asked for.
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(ApiErrorBodies.of(request.getRequestURI(), type, message));
    }
}
