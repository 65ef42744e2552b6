package dev.switchboard.security;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A read-through cache for the account lookups every API request makes (whose token is this, what is this user's
 * quota). Those were two to three SQL statements per chat request. Every change made through the app empties it at
 * once ({@link AccountsChanged}); the time to live only bounds how long a change made behind the app's back (SQL on
 * the database file) goes unseen. A load that overlaps a change is not kept, so a read from just before a commit
 * cannot outlive it.
 */
public final class AccountLookupCache<K, V> {
    /** Entries beyond this are a sign of many distinct keys, not of reuse: start over rather than grow. */
    static final int MAX_ENTRIES = 10_000;

    private record Entry<V>(V value, long loadedAt) {
    }

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();
    private final long ttlNanos;
    private final LongSupplier nanoClock;

    public AccountLookupCache(Duration ttl) {
        this(ttl, System::nanoTime);
    }

    AccountLookupCache(Duration ttl, LongSupplier nanoClock) {
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
    }

    /** The cached value, or the loader's (kept unless it is null or a change happened while it ran). */
    public V get(K key, Function<K, V> loader) {
        long now = nanoClock.getAsLong();
        Entry<V> e = entries.get(key);
        if (e != null && now - e.loadedAt() < ttlNanos) return e.value();
        long before = changes.get();
        V value = loader.apply(key);
        if (value != null && changes.get() == before) {
            if (entries.size() >= MAX_ENTRIES) entries.clear();
            entries.put(key, new Entry<>(value, now));
            if (changes.get() != before) entries.remove(key); // a change landed while storing
        }
        return value;
    }

    /** Forgets everything: accounts or tokens changed. */
    public void clear() {
        changes.incrementAndGet();
        entries.clear();
    }
}
