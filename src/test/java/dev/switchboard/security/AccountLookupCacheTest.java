package dev.switchboard.security;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class AccountLookupCacheTest {

    private final AtomicLong nanos = new AtomicLong();
    private final AccountLookupCache<String, String> cache = new AccountLookupCache<>(Duration.ofSeconds(60), nanos::get);
    private final AtomicInteger loads = new AtomicInteger();

    private String load(String key) {
        loads.incrementAndGet();
        return key.equals("unknown") ? null : key + "#" + loads.get();
    }

    @Test
    void aKnownKeyIsLoadedOnceWithinTheTimeToLive() {
        assertThat(cache.get("a", this::load)).isEqualTo("a#1");
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(cache.get("a", this::load)).isEqualTo("a#1");
        assertThat(loads).hasValue(1);
    }

    @Test
    void anEntryIsLoadedAgainAfterTheTimeToLive() {
        cache.get("a", this::load);
        nanos.addAndGet(Duration.ofSeconds(60).toNanos());
        assertThat(cache.get("a", this::load)).isEqualTo("a#2");
    }

    @Test
    void clearMakesTheNextLookupLoad() {
        cache.get("a", this::load);
        cache.clear();
        assertThat(cache.get("a", this::load)).isEqualTo("a#2");
    }

    @Test
    void nothingIsKeptForAKeyThatLoadsNull() {
        assertThat(cache.get("unknown", this::load)).isNull();
        assertThat(cache.get("unknown", this::load)).isNull();
        assertThat(loads).hasValue(2);
    }

    @Test
    void aLoadThatOverlapsAChangeIsNotKept() {
        // The loader read the database, then the change committed and cleared the cache: its value is stale.
        String first = cache.get("a", key -> {
            String read = load(key);
            cache.clear();
            return read;
        });
        assertThat(first).isEqualTo("a#1");
        assertThat(cache.get("a", this::load)).isEqualTo("a#2");
    }

    @Test
    void manyDistinctKeysStartTheCacheOverInsteadOfGrowing() {
        for (int i = 0; i <= AccountLookupCache.MAX_ENTRIES; i++) cache.get("k" + i, this::load);
        int before = loads.get();
        cache.get("k0", this::load); // dropped when the cache started over
        assertThat(loads.get()).isEqualTo(before + 1);
    }
}
