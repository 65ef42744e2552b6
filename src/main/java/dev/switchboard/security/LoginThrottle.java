package dev.switchboard.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.config.ClockTimeMeter;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Makes password guessing slow without letting a guesser lock the real user out (OWASP's "device cookies"). A failed
 * check counts in up to four places, each a bucket4j bucket of failures:
 * <ul>
 * <li>the username from this client address ({@code max-failures});</li>
 * <li>this client address, whatever the username ({@code max-failures-per-address});</li>
 * <li>the username, from anywhere ({@code max-failures-per-user}, the higher ceiling);</li>
 * <li>the device, when the request carries a valid device cookie for this username ({@code max-failures}).</li>
 * </ul>
 * The failure that empties a count pauses it for {@code first-delay}, and so does each one after a pause ends, the
 * pause doubling up to {@code max-delay} (a rule bucket4j has no shape for, so it is kept here). What a pause refuses:
 * a <em>known device</em> (one that has logged in as this username before, see {@link DeviceCookies}) is refused only
 * while its own count is paused, so no guessing elsewhere ever keeps it out; any other client is refused while its
 * (username, address) pair, its address or the username is paused. Each new pause is told once to a listener
 * ({@link Paused}, for the audit log), not each refusal. A success clears the pair's and the device's counts, not the
 * address's or the username's (or a guesser could clear them by logging in to an account of their own).
 *
 * <p>The checks of one username run one at a time, so a failure is counted before the next guess is looked at and
 * parallel requests cannot squeeze in more guesses than allowed; parallel requests with the right password wait for
 * the first one, whose success the password cache then serves. The counts ({@link Counts}) are in memory on H2 (a
 * restart forgets them) and in the database on PostgreSQL, where every instance adds to and reads the same counts;
 * there the one-at-a-time rule holds per instance, so each other instance may have one guess in its check while a
 * count is being emptied.
 */
public class LoginThrottle {
    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    /**
     * Where a check comes from: the client's address (null if unknown) and the id of the device cookie it carries
     * for the username being checked (null if none).
     */
    public record Client(String address, String device) {
        /** A check inside a logged-in session (the current password, to change it): the session is the known device. */
        static Client session(String username) {
            return new Client(null, "session:" + key(username));
        }
    }

    /** What a count is kept for. */
    public enum Scope { USER_AT_ADDRESS, ADDRESS, USER, DEVICE }

    /** A new pause: {@code failures} failed logins counted for this scope; refused for {@code pause} from now. */
    public record Paused(Scope scope, String username, String address, int failures, Duration pause) {
    }

    /** Bounds the memory an attacker can fill with made-up names and addresses; Caffeine keeps the often-tried ones. */
    private static final int MAX_COUNTS = 20_000;
    private static final int MAX_KEY_LENGTH = 128;
    /** Longer than any password check; a queue of guesses this long is refused rather than waited for. */
    private static final Duration MAX_WAIT = Duration.ofSeconds(10);

    /**
     * Where the counts are kept: in this instance's memory ({@link #inMemory}, one instance on H2: a restart forgets
     * them), or in the database every instance shares ({@link SharedLoginCounts}, PostgreSQL). A count is a bucket4j
     * bucket of failures, all back {@code forget-after} after the first, and the pause once it is empty.
     */
    interface Counts {
        /** When the count's pause ends, if one was started (it may be over). */
        Optional<Instant> pausedUntil(String key);

        /**
         * Counts a failure at {@code now} on the count of {@code capacity} failures; returns the pause it starts, when
         * it finds the count empty and no pause running ({@code delay} of the count's pauses so far, this one included).
         */
        Optional<NewPause> failed(String key, int capacity, Instant now, IntFunction<Duration> delay);

        /** Forgets the count (a success). */
        void clear(String key);
    }

    /** A pause a failure starts: how long, and the failures the count has seen. */
    record NewPause(Duration pause, int failures) {
    }

    /** A count that this check adds to, and whether its pause refuses this check. */
    private record Count(Scope scope, String key, int capacity, boolean refuses) {
    }

    private final LoginThrottleProperties settings;
    private final Clock clock;
    private final Consumer<Paused> paused;
    private final Counts counts;
    /** Held during a check, by username: one password check at a time per username (in this instance). */
    private final Cache<String, ReentrantLock> checking;

    public LoginThrottle(LoginThrottleProperties settings, Clock clock, Consumer<Paused> paused) {
        this(settings, clock, paused, inMemory(settings, clock));
    }

    LoginThrottle(LoginThrottleProperties settings, Clock clock, Consumer<Paused> paused, Counts counts) {
        this.settings = settings;
        this.clock = clock;
        this.paused = paused;
        this.counts = counts;
        this.checking = Caffeine.newBuilder().expireAfterAccess(settings.forgetAfter()).maximumSize(MAX_COUNTS)
                .ticker(new ClockTimeMeter(clock)::currentTimeNanos).build();
    }

    /** The counts in this instance's memory: one instance (H2). */
    static Counts inMemory(LoginThrottleProperties settings, Clock clock) {
        return new LocalCounts(settings.forgetAfter(), new ClockTimeMeter(clock));
    }

    /** A check of the current password from inside a logged-in session (the session counts as the known device). */
    public <T> T attempt(String username, Supplier<T> check) {
        return attempt(username, Client.session(username), check);
    }

    /**
     * Runs one password check for this username from this client, after the ones already running for the username.
     * A check that throws is a failure and is counted; one that returns clears the pair's and the device's counts.
     *
     * @throws LoginThrottledException if the client is refused now (then the password is not checked), or if checks
     *                                 for the username are queued for longer than any one takes
     */
    public <T> T attempt(String username, Client client, Supplier<T> check) {
        String name = key(username);
        List<Count> counts = counts(name, client);
        refuseIfPaused(counts);
        ReentrantLock checking = this.checking.get(name, k -> new ReentrantLock(true));
        try {
            if (!checking.tryLock(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new LoginThrottledException(Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoginThrottledException(Duration.ofSeconds(1));
        }
        try {
            refuseIfPaused(counts); // a check that ran while this one waited may have paused it
            T result;
            try {
                result = check.get();
            } catch (RuntimeException e) {
                Instant now = clock.instant();
                for (Count c : counts) {
                    this.counts.failed(c.key(), c.capacity(), now, this::delay).ifPresent(p -> told(
                            new Paused(c.scope(), name, client.address(), p.failures(), p.pause())));
                }
                throw e;
            }
            for (Count c : counts) {
                if (c.scope() == Scope.USER_AT_ADDRESS || c.scope() == Scope.DEVICE) this.counts.clear(c.key());
            }
            return result;
        } finally {
            checking.unlock();
        }
    }

    /** Tells the listener; a listener that fails (the audit log's database) does not change the login's answer. */
    private void told(Paused p) {
        try {
            paused.accept(p);
        } catch (RuntimeException e) {
            log.warn("Could not report a login pause ({} for '{}'): {}", p.scope(), p.username(), e.toString());
        }
    }

    /** How long this client is still refused for this username, if it is. */
    public Optional<Duration> pausedFor(String username, Client client) {
        Instant now = clock.instant();
        return counts(key(username), client).stream().filter(Count::refuses)
                .flatMap(c -> pausedFor(c, now).stream()).max(Duration::compareTo);
    }

    /** The counts a check adds to, the username's last. */
    private List<Count> counts(String name, Client client) {
        boolean known = client.device() != null;
        List<Count> list = new ArrayList<>(4);
        if (known) list.add(count(Scope.DEVICE, "d " + clip(client.device()), settings.maxFailures(), true));
        String address = client.address() == null ? null : clip(client.address());
        if (address != null) {
            list.add(count(Scope.USER_AT_ADDRESS, "p " + name + " " + address, settings.maxFailures(), !known));
            list.add(count(Scope.ADDRESS, "a " + address, settings.maxFailuresPerAddress(), !known));
        }
        list.add(count(Scope.USER, "u " + name, settings.maxFailuresPerUser(), !known));
        return list;
    }

    private Count count(Scope scope, String key, int capacity, boolean refuses) {
        return new Count(scope, key, capacity, refuses);
    }

    private void refuseIfPaused(List<Count> counts) {
        Instant now = clock.instant();
        counts.stream().filter(Count::refuses).flatMap(c -> pausedFor(c, now).stream())
                .max(Duration::compareTo).ifPresent(d -> {
                    throw new LoginThrottledException(d);
                });
    }

    private Optional<Duration> pausedFor(Count c, Instant now) {
        return counts.pausedUntil(c.key()).filter(now::isBefore).map(until -> Duration.between(now, until));
    }

    /** A count's failures allowed: {@code capacity}, all back {@code forget-after} after they were first taken. */
    static Bandwidth allowed(int capacity, Duration forgetAfter) {
        return Bandwidth.builder().capacity(capacity).refillIntervally(capacity, forgetAfter).build();
    }

    /** The pause that the {@code pauses}'th emptying of a count starts: first-delay, doubling, capped at max-delay. */
    Duration delay(int pauses) {
        int doublings = Math.min(Math.max(pauses - 1, 0), 30);
        Duration d = settings.firstDelay().multipliedBy(1L << doublings);
        return d.compareTo(settings.maxDelay()) > 0 ? settings.maxDelay() : d;
    }

    static String key(String username) {
        return clip(username == null ? "" : username.strip().toLowerCase(Locale.ROOT));
    }

    private static String clip(String s) {
        return s.length() > MAX_KEY_LENGTH ? s.substring(0, MAX_KEY_LENGTH) : s;
    }

    /** The counts in this instance's memory; a count not touched for {@code forget-after} is dropped. */
    private static final class LocalCounts implements Counts {
        private final Duration forgetAfter;
        private final TimeMeter time;
        private final Cache<String, Attempts> attempts;

        LocalCounts(Duration forgetAfter, TimeMeter time) {
            this.forgetAfter = forgetAfter;
            this.time = time;
            this.attempts = Caffeine.newBuilder().expireAfterAccess(forgetAfter).maximumSize(MAX_COUNTS)
                    .ticker(time::currentTimeNanos).build();
        }

        @Override
        public Optional<Instant> pausedUntil(String key) {
            Attempts a = attempts.getIfPresent(key);
            return a == null ? Optional.empty() : a.pausedUntil();
        }

        @Override
        public Optional<NewPause> failed(String key, int capacity, Instant now, IntFunction<Duration> delay) {
            return attempts.get(key, k -> new Attempts(Bucket.builder().addLimit(allowed(capacity, forgetAfter))
                    .withCustomTimePrecision(time).build())).failed(now, delay);
        }

        @Override
        public void clear(String key) {
            attempts.invalidate(key);
        }
    }

    /** One count of failures: the bucket counts them, the rest is the pause once it is empty. */
    private static final class Attempts {
        final Bucket allowed;
        int failures;
        int pauses;
        Instant pausedUntil;

        Attempts(Bucket allowed) {
            this.allowed = allowed;
        }

        synchronized Optional<Instant> pausedUntil() {
            return Optional.ofNullable(pausedUntil);
        }

        /** Counts a failure; returns the pause it starts, if it finds the count empty and no pause running. */
        synchronized Optional<NewPause> failed(Instant now, IntFunction<Duration> delay) {
            failures++;
            allowed.tryConsume(1);
            if (allowed.getAvailableTokens() > 0 || pausedUntil != null && now.isBefore(pausedUntil)) return Optional.empty();
            pauses++;
            Duration pause = delay.apply(pauses);
            pausedUntil = now.plus(pause);
            return Optional.of(new NewPause(pause, failures));
        }
    }
}
