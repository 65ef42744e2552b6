package dev.switchboard.config;

import com.github.benmanes.caffeine.cache.Cache;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCache;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Spring's cache abstraction on Caffeine, for the token and account lookups every API request makes. Every change
 * made through the app evicts its caches at once ({@code @CacheEvict}, after the commit); the time to live in
 * {@code switchboard.cache.spec} only bounds how long a change made behind the app's back (SQL on the database file)
 * goes unseen. On PostgreSQL a change made by another instance is such a change: there the time to live is
 * {@link #SHARED_TTL} (token lookups are not cached there at all, see ApiTokenOwners). Caches are made on first use,
 * each with that spec.
 */
@Configuration(proxyBeanMethods = false)
// Cache advice outside the transaction advice (lower order runs first): an evict on a @Transactional method follows its commit.
@EnableCaching(order = Ordered.LOWEST_PRECEDENCE - 1)
public class CacheConfiguration {

    /** How long a change made by another instance sharing the database can go unseen by this one's caches. */
    public static final Duration SHARED_TTL = Duration.ofSeconds(2);
    static final String ONE_INSTANCE_SPEC = "maximumSize=10000,expireAfterWrite=1m";
    static final String SHARED_SPEC = "maximumSize=10000,expireAfterWrite=" + SHARED_TTL.toSeconds() + "s";

    @Bean
    CacheManager cacheManager(Database database, @Value("${switchboard.cache.spec:}") String spec) {
        return caches(!spec.isBlank() ? spec : database.shared() ? SHARED_SPEC : ONE_INSTANCE_SPEC);
    }

    static CacheManager caches(String spec) {
        CaffeineCacheManager manager = new CaffeineCacheManager() {
            @Override
            protected org.springframework.cache.Cache adaptCaffeineCache(String name, Cache<Object, Object> cache) {
                return new ChangeAwareCache(name, cache);
            }
        };
        manager.setCacheSpecification(spec);
        return manager;
    }

    /**
     * A Caffeine cache whose {@code @Cacheable(sync = true)} loads are not kept when an evict or clear came while they
     * ran: such a load may have read the database just before the change committed, and would outlive it.
     */
    static final class ChangeAwareCache extends CaffeineCache {
        private final AtomicLong changes = new AtomicLong();

        ChangeAwareCache(String name, Cache<Object, Object> cache) {
            super(name, cache, true);
        }

        @Override
        public <T> T get(Object key, Callable<T> valueLoader) {
            long before = changes.get();
            T value = super.get(key, valueLoader);
            if (changes.get() != before) super.evict(key); // returned to its caller, not kept for the next
            return value;
        }

        @Override
        public void evict(Object key) {
            changes.incrementAndGet();
            super.evict(key);
        }

        @Override
        public boolean evictIfPresent(Object key) {
            changes.incrementAndGet();
            return super.evictIfPresent(key);
        }

        @Override
        public void clear() {
            changes.incrementAndGet();
            super.clear();
        }

        @Override
        public boolean invalidate() {
            changes.incrementAndGet();
            return super.invalidate();
        }
    }
}
