package dev.switchboard.llm.openai;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upstream's connections over several pools, against a real keep-alive server: each thread reuses the connection it
 * let go, threads spread over the pools, and dropping idle connections (the upstream closed them) empties every pool.
 */
class ConnectionShardsTest {

    @Test
    void aThreadReusesItsConnectionAndThreadsSpreadOverThePools() throws Exception {
        ConnectionShards shards = new ConnectionShards().build(new OkHttpClient.Builder());
        try (KeepAliveServer server = new KeepAliveServer(0)) {
            // One thread for each pool (a thread's pool is fixed by its id), each sending three requests in turn.
            List<Thread> threads = new ArrayList<>();
            boolean[] covered = new boolean[ConnectionShards.SHARDS];
            while (threads.size() < ConnectionShards.SHARDS) {
                Thread t = new Thread(() -> {
                    for (int i = 0; i < 3; i++) get(shards, server);
                });
                int shard = (int) (t.getId() % ConnectionShards.SHARDS);
                if (!covered[shard]) {
                    covered[shard] = true;
                    threads.add(t);
                }
            }
            for (Thread t : threads) {
                t.start();
                t.join();
            }

            assertThat(server.requests.get()).isEqualTo(3 * threads.size());
            assertThat(server.connections.get()).isEqualTo(ConnectionShards.SHARDS); // one a thread: each reused twice
            assertThat(shards.idleConnections()).isEqualTo(ConnectionShards.SHARDS); // each in its thread's pool
        } finally {
            shards.close();
        }
    }

    @Test
    void droppingIdleConnectionsEmptiesEveryPool() throws Exception {
        ConnectionShards shards = new ConnectionShards().build(new OkHttpClient.Builder());
        ExecutorService threads = Executors.newFixedThreadPool(ConnectionShards.SHARDS * 2);
        try (KeepAliveServer server = new KeepAliveServer(0)) {
            List<Callable<Void>> calls = new ArrayList<>();
            for (int i = 0; i < ConnectionShards.SHARDS * 2; i++) calls.add(() -> { get(shards, server); return null; });
            for (Future<Void> f : threads.invokeAll(calls)) f.get();
            assertThat(shards.idleConnections()).isGreaterThan(1);

            shards.evictIdle();

            assertThat(shards.idleConnections()).isZero();
        } finally {
            threads.shutdownNow();
            shards.close();
        }
    }

    private static void get(ConnectionShards shards, KeepAliveServer server) {
        Request request = new Request.Builder().url(server.baseUrl() + "/chat/completions").build();
        try (Response r = shards.client().newCall(request).execute()) {
            assertThat(r.body().string()).contains("[DONE]");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
