package dev.switchboard.security;

import org.springframework.security.core.AuthenticationException;

import java.time.Duration;

/** Thrown instead of checking the password while {@link LoginThrottle} refuses the client for that username. */
public class LoginThrottledException extends AuthenticationException {

    private final transient Duration retryAfter;

    public LoginThrottledException(Duration retryAfter) {
        super("Too many failed login attempts. Try again in " + describe(retryAfter) + ".");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** Whole seconds, rounded up, for a {@code Retry-After} header. */
    public long retryAfterSeconds() {
        return seconds(retryAfter);
    }

    static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    /** "45 seconds", "3 minutes": for messages to the user. */
    public static String describe(Duration d) {
        long s = seconds(d);
        if (s < 90) {
            return s + (s == 1 ? " second" : " seconds");
        }
        long m = (s + 59) / 60;
        return m + " minutes";
    }
}
