package dev.switchboard.chat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.config.ClockTimeMeter;
import dev.switchboard.config.SharedBuckets;
import dev.switchboard.config.SwitchboardProperties;
import dev.switchboard.llm.CompletionOptions;
import dev.switchboard.usage.QuotaReservations;
import dev.switchboard.usage.UsageRecord;
import dev.switchboard.users.UserAccounts;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The limits a chat must pass before it reaches an upstream: the user's daily token quota (UTC day; a per-user
 * override beats {@code switchboard.quota.daily-tokens-per-user}) and the optional per-user API request rate. On
 * PostgreSQL the rate is one bucket per user in the database ({@link SharedBuckets}), whichever instance is asked.
 */
@Component
public class ChatLimits {
    private final QuotaReservations reservations;
    private final UserAccounts users;
    private final SwitchboardProperties props;
    private final Clock clock;
    private final TimeMeter time;
    /** Each user's API request bucket; one idle for a minute is full again, so it is dropped. */
    private final Cache<String, Bucket> rates;
    private final SharedBuckets shared;

    @org.springframework.beans.factory.annotation.Autowired // two constructors: Spring needs to be told which
    public ChatLimits(QuotaReservations reservations, UserAccounts users, SwitchboardProperties props,
                      SharedBuckets shared) {
        this(reservations, users, props, Clock.systemUTC(), shared);
    }

    ChatLimits(QuotaReservations reservations, UserAccounts users, SwitchboardProperties props,
               Clock clock, SharedBuckets shared) {
        this.reservations = reservations;
        this.users = users;
        this.props = props;
        this.clock = clock;
        this.shared = shared;
        this.time = new ClockTimeMeter(clock);
        this.rates = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(1)).ticker(time::currentTimeNanos).build();
    }

    /** The quota in force for a user, or null for none; the user's own is a cached lookup. */
    public Long quotaFor(String username) {
        return users.ownDailyTokenQuota(username).orElse(props.quota().dailyTokensPerUser());
    }

    /** Tokens the user has used today (UTC), finished generations only. */
    public long tokensToday(String username) {
        return reservations.held(username, today()).used(); // with replies ended and not yet in the rollups
    }

    /**
     * Throws when the user's tokens today, with those held by their replies in progress, already reach the quota: a
     * cheap early refusal, before anything is stored. {@link #reserve} is the check that holds.
     */
    public void checkQuota(String username) {
        Long quota = quotaFor(username);
        if (quota == null) return;
        QuotaReservations.Held held = reservations.held(username, today());
        if (held.total() >= quota) throw quotaReached(held, quota);
    }

    /**
     * Holds the tokens {@code g} may use of its user's quota until it ends (its prompt, and its completion limit or
     * {@code switchboard.quota.reserve-completion-tokens}), or throws when what the user holds already reaches the
     * quota. False when the user has no quota (nothing held: the generation's row is written as usual).
     */
    public boolean reserve(Generation g) {
        Long quota = quotaFor(g.user());
        if (quota == null) return false;
        CompletionOptions o = g.request().options();
        long completion = o.maxCompletionTokens() != null ? o.maxCompletionTokens()
                : o.maxTokens() != null ? o.maxTokens() : props.quota().reserveCompletionTokens();
        UsageRecord running = g.progressRecord(); // its prompt counted, nothing generated yet
        QuotaReservations.Reservation r = reservations.reserve(running, running.promptTokens() + completion, quota);
        if (!r.granted()) throw quotaReached(r.before(), quota);
        return true;
    }

    private LimitExceededException quotaReached(QuotaReservations.Held held, long quota) {
        Duration reset = untilMidnightUtc();
        String inFlight = held.reserved() > 0 ? ", " + held.reserved() + " more held by replies in progress" : "";
        return new LimitExceededException("quota_exceeded", "Daily token quota reached (" + held.used() + " of " + quota
                + " tokens used" + inFlight + "). It resets at 00:00 UTC, in " + human(reset) + ".", reset);
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    /**
     * Throws when the user has no API request left: a bucket of the configured requests per minute, refilled
     * evenly over the minute.
     */
    public void checkRate(String username) {
        Integer perMinute = props.rateLimit().requestsPerMinute();
        if (perMinute == null || perMinute <= 0) return;
        Bucket bucket = shared.enabled()
                ? shared.bucket("rate:" + username, () -> BucketConfiguration.builder().addLimit(perMinute(perMinute)).build())
                : rates.get(username, u -> Bucket.builder().addLimit(perMinute(perMinute)).withCustomTimePrecision(time).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            Duration wait = Duration.ofNanos(probe.getNanosToWaitForRefill());
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            throw new LimitExceededException("rate_limited", "Too many chat requests: at most " + perMinute
                    + " per minute. Try again in " + seconds + " s.", Duration.ofSeconds(seconds));
        }
    }

    private static Bandwidth perMinute(int requests) {
        return Bandwidth.builder().capacity(requests).refillGreedy(requests, Duration.ofMinutes(1)).build();
    }

    Duration untilMidnightUtc() {
        Instant now = clock.instant();
        Instant next = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return Duration.between(now, next);
    }

    static String human(Duration d) {
        long h = d.toHours();
        long m = d.toMinutesPart();
        return h > 0 ? h + " h " + m + " min" : Math.max(1, m) + " min";
    }
}
