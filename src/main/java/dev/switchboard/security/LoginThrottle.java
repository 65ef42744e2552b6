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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Counts failed logins per username (not per IP, so one attacker cannot lock out others by address and other
 * usernames stay usable). The checks of one username run one at a time, so a failure is counted before the next
 * guess is looked at and parallel requests cannot squeeze in more guesses than allowed; parallel requests with the
 * right password wait for the first one, whose success the password cache then serves. The count is a bucket4j
 * bucket of {@code max-failures} failures; the failure that takes its last one locks the username, and so does
 * each one after a lock ends, for a delay that doubles each time (a rule bucket4j has no shape for, so it is kept
 * here). In memory only: a restart forgets the counts, which is acceptable for a single-node app.
 */
public class LoginThrottle {

    /** Bounds the memory an attacker can fill with made-up usernames; Caffeine keeps the often-tried ones. */
    private static final int MAX_USERNAMES = 10_000;
    private static final int MAX_KEY_LENGTH = 128;
    /** Longer than any password check; a queue of guesses this long is refused rather than waited for. */
    private static final Duration MAX_WAIT = Duration.ofSeconds(10);

    /** One username's failures: the bucket counts them, the rest is the lock-out after it is empty. */
    private static final class Attempts {
        final Bucket allowed;
        /** Held during a check: one password check at a time per username. */
        final ReentrantLock checking = new ReentrantLock(true);
        int lockouts;
        Instant lockedUntil;

        Attempts(Bucket allowed) {
            this.allowed = allowed;
        }

        synchronized Optional<Duration> lockedFor(Instant now) {
            return lockedUntil == null || !now.isBefore(lockedUntil)
                    ? Optional.empty() : Optional.of(Duration.between(now, lockedUntil));
        }

        synchronized void failed(Instant now, Function<Integer, Duration> delay, int maxFailures) {
            allowed.tryConsume(1);
            if (allowed.getAvailableTokens() == 0) {
                lockouts++;
                lockedUntil = now.plus(delay.apply(maxFailures - 1 + lockouts));
            }
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
     * Runs one password check for this username, after the ones already running for it. A check that throws is a
     * failure and is counted; one that returns clears the count.
     *
     * @throws LoginThrottledException if the username is locked (then the password is not checked), or if checks
     *                                 for it are queued for longer than any one takes
     */
    public <T> T attempt(String username, Supplier<T> check) {
        String key = key(username);
        Attempts a = attempts.get(key, k -> new Attempts(Bucket.builder()
                .addLimit(limit -> limit.capacity(settings.maxFailures())
                        .refillIntervally(settings.maxFailures(), settings.forgetAfter()))
                .withCustomTimePrecision(time).build()));
        refuseIfLocked(a);
        try {
            if (!a.checking.tryLock(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new LoginThrottledException(Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoginThrottledException(Duration.ofSeconds(1));
        }
        try {
            refuseIfLocked(a); // a check that ran while this one waited may have locked it
            T result;
            try {
                result = check.get();
            } catch (RuntimeException e) {
                a.failed(clock.instant(), this::delay, settings.maxFailures());
                throw e;
            }
            attempts.invalidate(key);
            return result;
        } finally {
            a.checking.unlock();
        }
    }

    private void refuseIfLocked(Attempts a) {
        Optional<Duration> locked = a.lockedFor(clock.instant());
        if (locked.isPresent()) throw new LoginThrottledException(locked.get());
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
