package dev.switchboard.llm.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientImpl;
import com.openai.core.ClientOptions;
import com.openai.core.http.HttpResponse;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upstream's connections over several pools, against a real keep-alive server: with few calls open every thread
 * reuses the one connection let go last, with many threads spread over the pools, and dropping idle connections (the
 * upstream closed them) empties every pool.
 */
class ConnectionShardsTest {

    @Test
    void withFewCallsOpenEveryThreadReusesTheSameConnection() throws Exception {
        ConnectionShards shards = new ConnectionShards().build(new OkHttpClient.Builder());
        try (KeepAliveServer server = new KeepAliveServer(0)) {
            // Threads taken in turn, as a server's request threads are: one request each, one after the other.
            for (Thread t : oneThreadPerPool(shards, server, 3)) {
                t.start();
                t.join();
            }

            assertThat(server.requests.get()).isEqualTo(3 * ConnectionShards.SHARDS);
            assertThat(server.connections.get()).isEqualTo(1); // never idle long enough for OkHttp's health check
            assertThat(shards.idleConnections()).isEqualTo(1);
        } finally {
            shards.close();
        }
    }

    @Test
    void withManyCallsOpenThreadsSpreadOverThePools() throws Exception {
        ConnectionShards shards = new ConnectionShards().build(new OkHttpClient.Builder());
        try (KeepAliveServer server = new KeepAliveServer(0)) {
            holdOpen(shards, ConnectionShards.SHARDS * ConnectionShards.CALLS_PER_SHARD);
            for (Thread t : oneThreadPerPool(shards, server, 3)) {
                t.start();
                t.join();
            }

            assertThat(server.requests.get()).isEqualTo(3 * ConnectionShards.SHARDS);
            // Each thread finds only the connection it let go: one per pool, each reused twice.
            assertThat(server.connections.get()).isEqualTo(ConnectionShards.SHARDS);
            assertThat(shards.idleConnections()).isEqualTo(ConnectionShards.SHARDS);

            shards.evictIdle();

            assertThat(shards.idleConnections()).isZero();
        } finally {
            shards.close();
        }
    }

    @Test
    void callsAnsweredFailedOrRefusedThroughTheSdkEndClosed() throws Exception {
        ConnectionShards shards = new ConnectionShards().build(new OkHttpClient.Builder());
        try (OfflineModelServer ok = OfflineModelServer.start(0, Behavior.fast());
             OfflineModelServer failing = OfflineModelServer.start(0, Behavior.failing(503))) {
            int refused;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                refused = s.getLocalPort();
            }
            for (String base : List.of(ok.baseUrl(), failing.baseUrl(), "http://127.0.0.1:" + refused + "/v1")) {
                OpenAIClient client = new OpenAIClientImpl(ClientOptions.builder().httpClient(new OkHttpTransport(shards))
                        .baseUrl(base).apiKey(base.equals(ok.baseUrl()) ? ok.apiKey() : "k").maxRetries(0).build());
                for (int i = 0; i < 3; i++) {
                    try (HttpResponse r = client.chat().completions().withRawResponse().createStreaming(ChatCompletionCreateParams.builder()
                            .model("m").addUserMessage("hi").build())) {
                        r.body().readAllBytes();
                    } catch (RuntimeException failed) {
                        // the 503 and the refused connection
                    }
                }
            }

            assertThat(shards.openCalls()).isZero();
        } finally {
            shards.close();
        }
    }

    /** Counts {@code n} calls as open, as streams in flight would. */
    private static void holdOpen(ConnectionShards shards, int n) {
        for (int i = 0; i < n; i++) shards.open();
    }

    /** A thread for each pool (a thread's pool is fixed by its id), each sending {@code requests} in turn. */
    private static List<Thread> oneThreadPerPool(ConnectionShards shards, KeepAliveServer server, int requests) {
        List<Thread> threads = new ArrayList<>();
        boolean[] covered = new boolean[ConnectionShards.SHARDS];
        while (threads.size() < ConnectionShards.SHARDS) {
            Thread t = new Thread(() -> {
                for (int i = 0; i < requests; i++) get(shards, server);
            });
            int shard = (int) (t.getId() % ConnectionShards.SHARDS);
            if (!covered[shard]) {
                covered[shard] = true;
                threads.add(t);
            }
        }
        return threads;
    }

    private static void get(ConnectionShards shards, KeepAliveServer server) {
        Request request = new Request.Builder().url(server.baseUrl() + "/chat/completions").build();
        try (Response r = shards.open().newCall(request).execute()) {
            assertThat(r.body().string()).contains("[DONE]");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        } finally {
            shards.closed();
        }
    }
}
