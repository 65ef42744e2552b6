package dev.switchboard.llm.openai;

import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * One upstream's keep-alive connections, in several OkHttp pools, as many in use as there are calls open (one pool for
 * every {@link #CALLS_PER_SHARD}), a thread always using the same one of those. OkHttp looks for a free connection by
 * walking its pool's whole list, and tidies the pool (a second walk, on its task thread) every time a connection is
 * let go: with ~260 connections in one pool at 256 streams, those two walks were 6.8 % of a profile's samples in the
 * benchmark, the first of them on every first token's path. Few calls share one pool, whichever threads send them: a
 * connection idle for 10 s costs the next POST on it OkHttp's 1 ms health check (a timed read), which request threads
 * taken in turn over 16 pools met on nearly every request at 2 streams/s (1.4 ms on the first token).
 */
final class ConnectionShards {
    /** Pools; of those in use, a thread's is fixed by its id. */
    static final int SHARDS = 16;
    /** Idle connections kept per pool: 512 in all, where one pool kept 256. */
    static final int MAX_IDLE_PER_SHARD = 32;
    /** Calls open per pool in use, about: 256 streams use all 16, a few use one. */
    static final int CALLS_PER_SHARD = 16;

    /** Calls sent and not yet closed. */
    private final AtomicInteger open = new AtomicInteger();

    private final List<ConnectionPool> pools = IntStream.range(0, SHARDS)
            .mapToObj(i -> new ConnectionPool(MAX_IDLE_PER_SHARD, 5, TimeUnit.MINUTES)).toList();
    private OkHttpClient[] clients;

    /** The clients: {@code base} with each pool; everything else (dispatcher, sockets, interceptors) shared. */
    ConnectionShards build(OkHttpClient.Builder base) {
        clients = pools.stream().map(p -> base.connectionPool(p).build()).toArray(OkHttpClient[]::new);
        return this;
    }

    /** The calling thread's client for a new call, which counts as open until {@link #closed()}. */
    OkHttpClient open() {
        int spread = Math.min(SHARDS, 1 + open.getAndIncrement() / CALLS_PER_SHARD);
        return clients[(int) (Thread.currentThread().getId() % spread)];
    }

    /** A call from {@link #open()} is over (answered and closed, or failed). */
    void closed() {
        open.decrementAndGet();
    }

    /** Closes the idle connections of every pool (the upstream dropped idle connections, or it is closing). */
    void evictIdle() {
        pools.forEach(ConnectionPool::evictAll);
    }

    /** Calls counted as open. */
    int openCalls() {
        return open.get();
    }

    /** Idle connections in all pools. */
    int idleConnections() {
        return pools.stream().mapToInt(ConnectionPool::idleConnectionCount).sum();
    }

    /** Shuts the shared dispatcher's threads down and closes the idle connections. */
    void close() {
        clients[0].dispatcher().executorService().shutdown();
        evictIdle();
    }
}
