package dev.switchboard.security;

import dev.switchboard.config.SharedBuckets;
import io.github.bucket4j.BucketConfiguration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The login throttle's failures in PostgreSQL, so every instance counts each one and refuses a locked username: the
 * allowed failures are a bucket4j bucket in the database ({@link SharedBuckets}, key {@code login:<username>}), a
 * lock-out is a row of {@code login_lockouts} (V16) whose count grows in one transaction, whichever instance failed.
 */
final class SharedLoginFailures implements LoginThrottle.Failures {
    private final LoginThrottleProperties settings;
    private final Clock clock;
    private final SharedBuckets buckets;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    SharedLoginFailures(LoginThrottleProperties settings, Clock clock, SharedBuckets buckets, JdbcClient jdbc,
                        PlatformTransactionManager tx) {
        this.settings = settings;
        this.clock = clock;
        this.buckets = buckets;
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(tx);
    }

    @Override
    public Optional<Instant> lockedUntil(String key) {
        return jdbc.sql("SELECT locked_until FROM login_lockouts WHERE username_key = ? AND last_failure_at >= ?")
                .params(key, utc(forgottenBefore()))
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant()).optional();
    }

    @Override
    public void failed(String key, Instant now, IntFunction<Duration> lockFor) {
        long left = buckets.bucket(bucketKey(key),
                        () -> BucketConfiguration.builder().addLimit(LoginThrottle.allowedFailures(settings)).build())
                .tryConsumeAndReturnRemaining(1).getRemainingTokens();
        if (left > 0) return;
        tx.executeWithoutResult(status -> {
            // The row stays locked until the commit: two instances failing at once count two lock-outs.
            int lockouts = jdbc.sql("""
                            INSERT INTO login_lockouts AS l (username_key, lockouts, locked_until, last_failure_at)
                            VALUES (?, 1, ?, ?)
                            ON CONFLICT (username_key) DO UPDATE SET last_failure_at = EXCLUDED.last_failure_at,
                                lockouts = CASE WHEN l.last_failure_at < ? THEN 1 ELSE l.lockouts + 1 END
                            RETURNING lockouts""")
                    .params(key, utc(now), utc(now), utc(forgottenBefore())).query(Integer.class).single();
            jdbc.sql("UPDATE login_lockouts SET locked_until = ? WHERE username_key = ?")
                    .params(utc(now.plus(lockFor.apply(lockouts))), key).update();
        });
    }

    @Override
    public void clear(String key) {
        buckets.remove(bucketKey(key));
        jdbc.sql("DELETE FROM login_lockouts WHERE username_key = ?").param(key).update();
    }

    /** Lock-outs whose last failure is older than {@code forget-after} count for nothing: their rows go. */
    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT1M")
    void removeForgotten() {
        jdbc.sql("DELETE FROM login_lockouts WHERE last_failure_at < ?").param(utc(forgottenBefore())).update();
    }

    private Instant forgottenBefore() {
        return clock.instant().minus(settings.forgetAfter());
    }

    private static String bucketKey(String key) {
        return "login:" + key;
    }

    private static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
