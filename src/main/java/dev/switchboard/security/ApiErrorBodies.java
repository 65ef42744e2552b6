package dev.switchboard.security;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The error bodies of the two APIs, chosen by path: under {@code /v1} OpenAI's shape
 * {@code {"error": {"message", "type", "param", "code"}}}, under {@code /api} ours, {@code {"error": {"message", "type"}}}
 * ({@link ApiError}). Also the wording for errors that only have a status (Tomcat's and the servlet container's own).
 */
public final class ApiErrorBodies {

    private ApiErrorBodies() {
    }

    /** Whether the path is under {@code /api} or {@code /v1}. */
    public static boolean isApi(String path) {
        return under(path, "/api") || isOpenAi(path);
    }

    static boolean isOpenAi(String path) {
        return under(path, "/v1");
    }

    /** The body of an error under this path with our type and message (OpenAI's shape keeps the type as its code). */
    public static Map<String, Object> of(String path, String type, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        if (isOpenAi(path)) {
            error.put("type", type.equals("server_error") ? "server_error" : "invalid_request_error");
            error.put("param", null);
            error.put("code", type.equals("invalid_request_error") ? null : type);
        } else {
            error.put("type", type);
        }
        return Map.of("error", error);
    }

    /** The body of an error that has only a status. */
    public static Map<String, Object> of(String path, int status) {
        return of(path, type(status), message(status));
    }

    static String type(int status) {
        return switch (status) {
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "request_too_large";
            case 429 -> "rate_limited";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    static String message(int status) {
        return switch (status) {
            case 400 -> "The request is malformed: its path, headers or body could not be read.";
            case 401 -> "Authentication required.";
            case 403 -> "You are not allowed to do this.";
            case 404 -> "There is nothing at this path.";
            case 405 -> "This method is not allowed here.";
            case 406 -> "The API answers in application/json only.";
            case 413 -> "The request is too large.";
            case 414 -> "The request's path is too long.";
            case 415 -> "Send the body as application/json.";
            case 431 -> "The request's headers are too large.";
            default -> status >= 500 ? "The server could not answer this request." : "The request was refused (HTTP " + status + ").";
        };
    }

    private static boolean under(String path, String prefix) {
        return path != null && path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }
}
