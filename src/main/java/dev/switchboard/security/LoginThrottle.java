package dev.switchboard.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.config.ClockTimeMeter;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Counts failed logins per username (not per IP, so one attacker cannot lock out others by address and other
 * usernames stay usable). Every attempt is counted <em>before</em> the password is checked, and a success clears
 * the count: so parallel requests cannot squeeze in more guesses than allowed while hashes are being computed.
 * The count is a bucket4j bucket of {@code max-failures} attempts; the attempt that takes its last one locks the
 * username, and so does each one after a lock ends, for a delay that doubles each time (a rule bucket4j has no
 * shape for, so it is kept here). In memory only: a restart forgets the counts, which is acceptable for a
 * single-node app.
 */
public class LoginThrottle {

    /** Bounds the memory an attacker can fill with made-up usernames; Caffeine keeps the often-tried ones. */
    private static final int MAX_USERNAMES = 10_000;
    private static final int MAX_KEY_LENGTH = 128;

    /** One username's attempts: the bucket counts them, the rest is the lock-out after it is empty. */
    private static final class Attempts {
        final Bucket allowed;
        int lockouts;
        Instant lockedUntil;

        Attempts(Bucket allowed) {
            this.allowed = allowed;
        }

        synchronized Optional<Duration> lockedFor(Instant now) {
            return lockedUntil == null || !now.isBefore(lockedUntil)
                    ? Optional.empty() : Optional.of(Duration.between(now, lockedUntil));
        }
    }

    private final LoginThrottleProperties settings;
    private final Clock clock;
    private final TimeMeter time;
    /** A username not tried for {@code forget-after} is dropped, and its failures with it. */
    private final Cache<String, Attempts> attempts;

    public LoginThrottle(LoginThrottleProperties settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.time = new ClockTimeMeter(clock);
        this.attempts = Caffeine.newBuilder().expireAfterAccess(settings.forgetAfter()).maximumSize(MAX_USERNAMES)
                .ticker(time::currentTimeNanos).build();
    }

    /**
     * Records an attempt for this username, to be followed by {@link #succeeded} if the password was right.
     *
     * @throws LoginThrottledException if the username is locked; then the password must not be checked
     */
    public void beginAttempt(String username) {
        Instant now = clock.instant();
        Attempts a = attempts.get(key(username), k -> new Attempts(Bucket.builder()
                .addLimit(limit -> limit.capacity(settings.maxFailures())
                        .refillIntervally(settings.maxFailures(), settings.forgetAfter()))
                .withCustomTimePrecision(time).build()));
        synchronized (a) {
            Optional<Duration> locked = a.lockedFor(now);
            if (locked.isPresent()) throw new LoginThrottledException(locked.get());
            a.allowed.tryConsume(1);
            if (a.allowed.getAvailableTokens() == 0) {
                a.lockouts++;
                a.lockedUntil = now.plus(delay(settings.maxFailures() - 1 + a.lockouts));
            }
        }
    }

    /** The password was right: the username starts afresh. */
    public void succeeded(String username) {
        attempts.invalidate(key(username));
    }

    /** How long this username is still locked, if it is. */
    public Optional<Duration> lockedFor(String username) {
        Attempts a = attempts.policy().getIfPresentQuietly(key(username));
        return a == null ? Optional.empty() : a.lockedFor(clock.instant());
    }

    /** first-delay for the max-failures'th failure, doubled for each one after it, capped at max-delay. */
    Duration delay(int failures) {
        int doublings = Math.min(failures - settings.maxFailures(), 30);
        Duration d = settings.firstDelay().multipliedBy(1L << doublings);
        return d.compareTo(settings.maxDelay()) > 0 ? settings.maxDelay() : d;
    }

    private static String key(String username) {
        String k = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
        return k.length() > MAX_KEY_LENGTH ? k.substring(0, MAX_KEY_LENGTH) : k;
    }
}
