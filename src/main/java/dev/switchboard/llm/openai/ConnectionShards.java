package dev.switchboard.llm.openai;

import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * One upstream's keep-alive connections, in several OkHttp pools, each reader thread always using the same one.
 * OkHttp looks for a free connection by walking its pool's whole list, and tidies the pool (a second walk, on its
 * task thread) every time a connection is let go: with ~260 connections in one pool at 256 streams, those two walks
 * were 6.8 % of a profile's samples in the benchmark, the first of them on every first token's path. A reader thread holds
 * one connection at a time and finds the one it let go in its own pool, so connections are reused as before.
 */
final class ConnectionShards {
    /** Pools; a thread's pool is fixed by its id. */
    static final int SHARDS = 16;
    /** Idle connections kept per pool: 512 in all, where one pool kept 256. */
    static final int MAX_IDLE_PER_SHARD = 32;

    private final List<ConnectionPool> pools = IntStream.range(0, SHARDS)
            .mapToObj(i -> new ConnectionPool(MAX_IDLE_PER_SHARD, 5, TimeUnit.MINUTES)).toList();
    private OkHttpClient[] clients;

    /** The clients: {@code base} with each pool; everything else (dispatcher, sockets, interceptors) shared. */
    ConnectionShards build(OkHttpClient.Builder base) {
        clients = pools.stream().map(p -> base.connectionPool(p).build()).toArray(OkHttpClient[]::new);
        return this;
    }

    /** The calling thread's client. */
    OkHttpClient client() {
        return clients[(int) (Thread.currentThread().getId() % SHARDS)];
    }

    /** Closes the idle connections of every pool (the upstream dropped idle connections, or it is closing). */
    void evictIdle() {
        pools.forEach(ConnectionPool::evictAll);
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
