package dev.switchboard.config;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import org.springframework.scheduling.annotation.Scheduled;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * bucket4j's buckets kept in PostgreSQL (table {@code rate_limit_buckets}, bucket4j's own PostgreSQL backend: each
 * consumption is a transaction that locks the bucket's row), so every instance takes from the same bucket: the API
 * request rate per user and the login throttle's counts (per name, address, device). On H2, where one instance runs,
 * there are none ({@link #enabled()} is false) and callers keep their buckets in memory as before.
 */
public final class SharedBuckets {
    /** A bucket full again is kept this much longer before {@link #removeExpired()} deletes its row. */
    private static final Duration KEEP_WHEN_FULL = Duration.ofMinutes(1);

    private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

    private SharedBuckets(PostgreSQLSelectForUpdateBasedProxyManager<String> buckets) {
        this.buckets = buckets;
    }

    /** Buckets in this PostgreSQL database, their time read from {@code time} (the app's clock). */
    public static SharedBuckets inPostgres(DataSource dataSource, TimeMeter time) {
        return new SharedBuckets(Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_buckets")
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_WHEN_FULL))
                .clientClock(time)
                .build());
    }

    /** None: the database is not shared (H2). */
    public static SharedBuckets none() {
        return new SharedBuckets(null);
    }

    public boolean enabled() {
        return buckets != null;
    }

    /** The shared bucket of {@code key}, made with {@code configuration} by whichever instance uses it first. */
    public Bucket bucket(String key, Supplier<BucketConfiguration> configuration) {
        if (buckets == null) throw new IllegalStateException("No shared buckets on this database");
        return buckets.builder().build(key, configuration);
    }

    /** Forgets the bucket of {@code key} (the next use starts a full one). */
    public void remove(String key) {
        if (buckets != null) buckets.removeProxy(key);
    }

    /** Deletes the rows of buckets that are full again (any instance may; each row goes once). */
    @Scheduled(fixedDelayString = "PT5M", initialDelayString = "PT1M")
    public void removeExpired() {
        if (buckets == null) return;
        while (buckets.removeExpired(1_000) == 1_000) {
            // another batch
        }
    }
}
