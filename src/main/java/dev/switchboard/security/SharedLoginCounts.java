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
 * The login throttle's counts in PostgreSQL, so every instance adds each failure to them and refuses what they pause:
 * the failures a count allows are a bucket4j bucket in the database ({@link SharedBuckets}, key {@code login:<count>}),
 * its failures seen and pauses a row of {@code login_pauses} (V16) that one transaction updates, whichever instance
 * failed. A row whose last failure is older than {@code forget-after} counts as none.
 */
final class SharedLoginCounts implements LoginThrottle.Counts {
    private final Duration forgetAfter;
    private final Clock clock;
    private final SharedBuckets buckets;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    SharedLoginCounts(Duration forgetAfter, Clock clock, SharedBuckets buckets, JdbcClient jdbc,
                      PlatformTransactionManager tx) {
        this.forgetAfter = forgetAfter;
        this.clock = clock;
        this.buckets = buckets;
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(tx);
    }

    @Override
    public Optional<Instant> pausedUntil(String key) {
        return jdbc.sql("SELECT paused_until FROM login_pauses WHERE count_key = ? AND last_failure_at >= ?")
                .params(key, utc(clock.instant().minus(forgetAfter)))
                .query((rs, n) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)).map(OffsetDateTime::toInstant))
                .optional().flatMap(until -> until);
    }

    @Override
    public Optional<LoginThrottle.NewPause> failed(String key, int capacity, Instant now, IntFunction<Duration> delay) {
        long left = buckets.bucket(bucketKey(key), () -> BucketConfiguration.builder()
                .addLimit(LoginThrottle.allowed(capacity, forgetAfter)).build()).tryConsumeAndReturnRemaining(1).getRemainingTokens();
        return tx.execute(status -> {
            // The row stays locked until the commit: failures on two instances at once count one after the other.
            Row row = jdbc.sql("""
                            INSERT INTO login_pauses AS p (count_key, failures, pauses, paused_until, last_failure_at)
                            VALUES (?, 1, 0, NULL, ?)
                            ON CONFLICT (count_key) DO UPDATE SET last_failure_at = EXCLUDED.last_failure_at,
                                failures = CASE WHEN p.last_failure_at < ? THEN 1 ELSE p.failures + 1 END,
                                pauses = CASE WHEN p.last_failure_at < ? THEN 0 ELSE p.pauses END,
                                paused_until = CASE WHEN p.last_failure_at < ? THEN NULL ELSE p.paused_until END
                            RETURNING failures, pauses, paused_until""")
                    .params(key, utc(now), forgotten(now), forgotten(now), forgotten(now))
                    .query((rs, n) -> new Row(rs.getInt("failures"), rs.getInt("pauses"),
                            rs.getObject("paused_until", OffsetDateTime.class))).single();
            if (left > 0 || row.pausedUntil() != null && now.isBefore(row.pausedUntil().toInstant())) return Optional.empty();
            int pauses = row.pauses() + 1;
            Duration pause = delay.apply(pauses);
            jdbc.sql("UPDATE login_pauses SET pauses = ?, paused_until = ? WHERE count_key = ?")
                    .params(pauses, utc(now.plus(pause)), key).update();
            return Optional.of(new LoginThrottle.NewPause(pause, row.failures()));
        });
    }

    private record Row(int failures, int pauses, OffsetDateTime pausedUntil) {
    }

    @Override
    public void clear(String key) {
        buckets.remove(bucketKey(key));
        jdbc.sql("DELETE FROM login_pauses WHERE count_key = ?").param(key).update();
    }

    /** Counts whose last failure is older than {@code forget-after} count for nothing: their rows go. */
    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT1M")
    void removeForgotten() {
        jdbc.sql("DELETE FROM login_pauses WHERE last_failure_at < ?").param(forgotten(clock.instant())).update();
    }

    private OffsetDateTime forgotten(Instant now) {
        return utc(now.minus(forgetAfter));
    }

    private static String bucketKey(String key) {
        return "login:" + key;
    }

    private static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
