package dev.switchboard.config;

import org.junit.jupiter.api.Test;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The caches behind @Cacheable(sync = true): read-through, emptied by an evict, never keeping a load a change overlapped. */
class CacheConfigurationTest {

    private final CacheManager manager = CacheConfiguration.caches("maximumSize=100,expireAfterWrite=1m");
    private final Cache cache = manager.getCache("lookups");
    private final AtomicInteger loads = new AtomicInteger();

    private String load(String key) {
        return key + "#" + loads.incrementAndGet();
    }

    @Test
    void aKeyIsLoadedOnceAndAgainAfterAClear() {
        assertThat(cache.get("a", () -> load("a"))).isEqualTo("a#1");
        assertThat(cache.get("a", () -> load("a"))).isEqualTo("a#1");
        cache.clear();
        assertThat(cache.get("a", () -> load("a"))).isEqualTo("a#2");
    }

    @Test
    void anAbsentValueIsKeptAsAbsentUntilTheNextEvict() {
        Callable<String> nothing = () -> {
            loads.incrementAndGet();
            return null;
        };
        assertThat(cache.get("unknown", nothing)).isNull();
        assertThat(cache.get("unknown", () -> load("unknown"))).isNull();
        cache.evict("unknown");
        assertThat(cache.get("unknown", () -> load("unknown"))).isEqualTo("unknown#2");
    }

    @Test
    void aLoadThatAChangeOverlappedIsReturnedButNotKept() {
        // The loader read the database, then the change committed and cleared the cache: its value is stale.
        String first = cache.get("a", () -> {
            String read = load("a");
            Thread clearer = new Thread(cache::clear); // another request's change, while this load runs
            clearer.start();
            clearer.join();
            return read;
        });
        assertThat(first).isEqualTo("a#1");
        assertThat(cache.get("a", () -> load("a"))).isEqualTo("a#2");
    }

    @Test
    void everyCacheIsChangeAware() {
        assertThat(manager.getCache("another")).isInstanceOf(CacheConfiguration.ChangeAwareCache.class);
    }
}
