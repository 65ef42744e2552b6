package dev.switchboard.chat;

import java.time.Duration;

/** A chat refused by a quota or rate limit; {@code type} is the API's error type, {@code retryAfter} when it resets. */
public class LimitExceededException extends RuntimeException {
    private final String type;
    private final Duration retryAfter;

    public LimitExceededException(String type, String message, Duration retryAfter) {
        super(message);
        this.type = type;
        this.retryAfter = retryAfter;
    }

    public String type() { return type; }

    public Duration retryAfter() { return retryAfter; }
}
