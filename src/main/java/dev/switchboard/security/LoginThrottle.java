package dev.switchboard.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.config.ClockTimeMeter;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Counts failed logins per username (not per IP, so one attacker cannot lock out others by address and other
 * usernames stay usable). The checks of one username run one at a time, so a failure is counted before the next
 * guess is looked at and parallel requests cannot squeeze in more guesses than allowed; parallel requests with the
 * right password wait for the first one, whose success the password cache then serves. The count is a bucket4j
 * bucket of {@code max-failures} failures; the failure that takes its last one locks the username, and so does
 * each one after a lock ends, for a delay that doubles each time (a rule bucket4j has no shape for, so it is kept
 * here). Where the counts are kept is {@link Failures}': in memory on H2 (a restart forgets them, acceptable for a
 * single instance), in the database on PostgreSQL ({@link SharedLoginFailures}), so every instance counts every
 * failure; there the one-at-a-time rule holds per instance, and at most one guess per other instance can be checked
 * while the count that locks is being written.
 */
public class LoginThrottle {

    /** Where one username's failures and lock-out are kept. Keys are lower case, at most 128 characters. */
    interface Failures {
        /** When the username's lock ends, if it is locked (or was: the time may have passed). */
        Optional<Instant> lockedUntil(String key);

        /**
         * Counts a failure at {@code now}: the one that takes the last allowed one, and each one after, locks the
         * username for {@code lockFor} of its lock-out count (1 for the first).
         */
        void failed(String key, Instant now, IntFunction<Duration> lockFor);

        /** Forgets the username's failures (a success). */
        void clear(String key);
    }

    /** Bounds the memory an attacker can fill with made-up usernames; Caffeine keeps the often-tried ones. */
    private static final int MAX_USERNAMES = 10_000;
    private static final int MAX_KEY_LENGTH = 128;
    /** Longer than any password check; a queue of guesses this long is refused rather than waited for. */
    private static final Duration MAX_WAIT = Duration.ofSeconds(10);

    private final LoginThrottleProperties settings;
    private final Clock clock;
    private final Failures failures;
    /** Held during a check: one password check at a time per username (in this instance). */
    private final Cache<String, ReentrantLock> checking;

    public LoginThrottle(LoginThrottleProperties settings, Clock clock) {
        this(settings, clock, inMemory(settings, clock));
    }

    LoginThrottle(LoginThrottleProperties settings, Clock clock, Failures failures) {
        this.settings = settings;
        this.clock = clock;
        this.failures = failures;
        this.checking = Caffeine.newBuilder().expireAfterAccess(settings.forgetAfter()).maximumSize(MAX_USERNAMES)
                .ticker(new ClockTimeMeter(clock)::currentTimeNanos).build();
    }

    /** Failures kept in this instance's memory: one instance (H2). */
    static Failures inMemory(LoginThrottleProperties settings, Clock clock) {
        return new LocalFailures(settings, new ClockTimeMeter(clock));
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
        ReentrantLock lock = checking.get(key, k -> new ReentrantLock(true));
        refuseIfLocked(key);
        try {
            if (!lock.tryLock(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new LoginThrottledException(Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoginThrottledException(Duration.ofSeconds(1));
        }
        try {
            refuseIfLocked(key); // a check that ran while this one waited may have locked it
            T result;
            try {
                result = check.get();
            } catch (RuntimeException e) {
                failures.failed(key, clock.instant(), lockouts -> delay(settings.maxFailures() - 1 + lockouts));
                throw e;
            }
            failures.clear(key);
            return result;
        } finally {
            lock.unlock();
        }
    }

    private void refuseIfLocked(String key) {
        Optional<Duration> locked = lockedFor(key, clock.instant());
        if (locked.isPresent()) throw new LoginThrottledException(locked.get());
    }

    /** How long this username is still locked, if it is. */
    public Optional<Duration> lockedFor(String username) {
        return lockedFor(key(username), clock.instant());
    }

    private Optional<Duration> lockedFor(String key, Instant now) {
        return failures.lockedUntil(key).filter(now::isBefore).map(until -> Duration.between(now, until));
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

    /** The failures one username is allowed: {@code max-failures}, all back once {@code forget-after} has passed. */
    static Bandwidth allowedFailures(LoginThrottleProperties settings) {
        return Bandwidth.builder().capacity(settings.maxFailures())
                .refillIntervally(settings.maxFailures(), settings.forgetAfter()).build();
    }

    /** The failures in this instance's memory; a username not tried for {@code forget-after} is dropped with them. */
    private static final class LocalFailures implements Failures {
        private final Cache<String, Attempts> attempts;
        private final LoginThrottleProperties settings;
        private final TimeMeter time;

        LocalFailures(LoginThrottleProperties settings, TimeMeter time) {
            this.settings = settings;
            this.time = time;
            this.attempts = Caffeine.newBuilder().expireAfterAccess(settings.forgetAfter()).maximumSize(MAX_USERNAMES)
                    .ticker(time::currentTimeNanos).build();
        }

        @Override
        public Optional<Instant> lockedUntil(String key) {
            Attempts a = attempts.getIfPresent(key);
            return a == null ? Optional.empty() : a.lockedUntil();
        }

        @Override
        public void failed(String key, Instant now, IntFunction<Duration> lockFor) {
            attempts.get(key, k -> new Attempts(Bucket.builder().addLimit(allowedFailures(settings))
                    .withCustomTimePrecision(time).build())).failed(now, lockFor);
        }

        @Override
        public void clear(String key) {
            attempts.invalidate(key);
        }
    }

    /** One username's failures: the bucket counts them, the rest is the lock-out after it is empty. */
    private static final class Attempts {
        final Bucket allowed;
        int lockouts;
        Instant lockedUntil;

        Attempts(Bucket allowed) {
            this.allowed = allowed;
        }

        synchronized Optional<Instant> lockedUntil() {
            return Optional.ofNullable(lockedUntil);
        }

        synchronized void failed(Instant now, IntFunction<Duration> lockFor) {
            allowed.tryConsume(1);
            if (allowed.getAvailableTokens() == 0) {
                lockouts++;
                lockedUntil = now.plus(lockFor.apply(lockouts));
            }
        }
    }
}
