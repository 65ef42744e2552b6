package dev.switchboard.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counts failed logins per username (not per IP, so one attacker cannot lock out others by address and other
 * usernames stay usable). Every attempt is counted <em>before</em> the password is checked, and a success clears
 * the count: so parallel requests cannot squeeze in more guesses than allowed while hashes are being computed.
 * In memory only: a restart forgets the counts, which is acceptable for a single-node app.
 */
public class LoginThrottle {

    /** Bounds the memory an attacker can fill with made-up usernames. */
    private static final int PURGE_ABOVE = 10_000;
    private static final int MAX_KEY_LENGTH = 128;

    private record Entry(int failures, Instant lockedUntil, Instant lastAttempt) {
    }

    private final LoginThrottleProperties settings;
    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    public LoginThrottle(LoginThrottleProperties settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Records an attempt for this username, to be followed by {@link #succeeded} if the password was right.
     *
     * @throws LoginThrottledException if the username is locked; then the password must not be checked
     */
    public void beginAttempt(String username) {
        Instant now = clock.instant();
        AtomicReference<Instant> lockedUntil = new AtomicReference<>();
        entries.compute(key(username), (k, e) -> {
            if (e != null && e.lockedUntil() != null && now.isBefore(e.lockedUntil())) {
                lockedUntil.set(e.lockedUntil());
                return e;
            }
            boolean forgotten = e == null || e.lastAttempt().plus(settings.forgetAfter()).isBefore(now);
            int failures = (forgotten ? 0 : e.failures()) + 1;
            Instant until = failures >= settings.maxFailures() ? now.plus(delay(failures)) : null;
            return new Entry(failures, until, now);
        });
        if (lockedUntil.get() != null) {
            throw new LoginThrottledException(Duration.between(now, lockedUntil.get()));
        }
        if (entries.size() > PURGE_ABOVE) {
            purge(now);
        }
    }

    /** The password was right: the username starts afresh. */
    public void succeeded(String username) {
        entries.remove(key(username));
    }

    /** How long this username is still locked, if it is. */
    public Optional<Duration> lockedFor(String username) {
        Entry e = entries.get(key(username));
        Instant now = clock.instant();
        if (e == null || e.lockedUntil() == null || !now.isBefore(e.lockedUntil())) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, e.lockedUntil()));
    }

    /** first-delay for the max-failures'th failure, doubled for each one after it, capped at max-delay. */
    Duration delay(int failures) {
        int doublings = Math.min(failures - settings.maxFailures(), 30);
        Duration d = settings.firstDelay().multipliedBy(1L << doublings);
        return d.compareTo(settings.maxDelay()) > 0 ? settings.maxDelay() : d;
    }

    private void purge(Instant now) {
        entries.entrySet().removeIf(en -> {
            Entry e = en.getValue();
            boolean locked = e.lockedUntil() != null && now.isBefore(e.lockedUntil());
            boolean stale = e.lastAttempt().plus(settings.forgetAfter()).isBefore(now);
            // Under pressure, keep only the locks themselves: they are what stops a guessing attacker.
            return stale || (!locked && entries.size() > PURGE_ABOVE);
        });
    }

    private static String key(String username) {
        String k = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
        return k.length() > MAX_KEY_LENGTH ? k.substring(0, MAX_KEY_LENGTH) : k;
    }
}
