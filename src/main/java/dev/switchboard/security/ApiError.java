package dev.switchboard.security;

/** The JSON error body of the API: {@code {"error": {"message": "...", "type": "..."}}}. */
public record ApiError(Detail error) {

    public record Detail(String message, String type) {
    }

    public static ApiError of(String type, String message) {
        return new ApiError(new Detail(message, type));
    }
}
