package dev.switchboard.chat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.config.ClockTimeMeter;
import dev.switchboard.config.SharedBuckets;
import dev.switchboard.config.SwitchboardProperties;
import dev.switchboard.usage.UsageQueries;
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
    private final UsageQueries usage;
    private final UserAccounts users;
    private final SwitchboardProperties props;
    private final Clock clock;
    private final TimeMeter time;
    /** Each user's API request bucket; one idle for a minute is full again, so it is dropped. */
    private final Cache<String, Bucket> rates;
    private final SharedBuckets shared;

    @org.springframework.beans.factory.annotation.Autowired // two constructors: Spring needs to be told which
    public ChatLimits(UsageQueries usage, UserAccounts users, SwitchboardProperties props, SharedBuckets shared) {
        this(usage, users, props, Clock.systemUTC(), shared);
    }

    ChatLimits(UsageQueries usage, UserAccounts users, SwitchboardProperties props, Clock clock, SharedBuckets shared) {
        this.usage = usage;
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
        return usage.tokensOn(username, LocalDate.now(clock.withZone(ZoneOffset.UTC)));
    }

    /** Throws when the user's tokens today already reach the quota. */
    public void checkQuota(String username) {
        Long quota = quotaFor(username);
        if (quota == null) return;
        long used = tokensToday(username);
        if (used >= quota) {
            Duration reset = untilMidnightUtc();
            throw new LimitExceededException("quota_exceeded", "Daily token quota reached (" + used + " of " + quota
                    + " tokens). It resets at 00:00 UTC, in " + human(reset) + ".", reset);
        }
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
