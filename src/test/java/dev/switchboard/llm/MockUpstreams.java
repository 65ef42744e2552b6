package dev.switchboard.llm;

import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.llm.openai.OpenAiUpstream;
import okhttp3.OkHttpClient;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds a router over mock upstreams on real loopback sockets, the way the app wires real ones. */
public final class MockUpstreams implements AutoCloseable {
    public final ThreadPoolTaskExecutor readers = new ThreadPoolTaskExecutor();
    public final ThreadPoolTaskScheduler timers = new ThreadPoolTaskScheduler();
    private final OkHttpClient http = OpenAiUpstream.httpClient(256);

    public MockUpstreams() {
        readers.setThreadNamePrefix("test-reader-");
        readers.setQueueCapacity(0);
        readers.setMaxPoolSize(256);
        readers.setDaemon(true);
        readers.initialize();
        timers.setPoolSize(2);
        timers.setDaemon(true);
        timers.initialize();
    }

    public Upstream upstream(String name, OfflineModelServer server, Duration stallTimeout) {
        return new OpenAiUpstream(name, server.baseUrl(), server.apiKey(), null, false, http,
                Duration.ofSeconds(2), stallTimeout, readers);
    }

    /** An upstream whose key the server rejects (401), as after a key rotation. */
    public Upstream badKey(String name, OfflineModelServer server) {
        return new OpenAiUpstream(name, server.baseUrl(), "sk-wrong", null, false, http, Duration.ofSeconds(2), Duration.ofSeconds(5), readers);
    }

    /** An upstream on a port where nothing listens: connection refused. */
    public Upstream refused(String name) {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return new OpenAiUpstream(name, "http://127.0.0.1:" + port + "/v1", "k", null, false, http,
                Duration.ofSeconds(2), Duration.ofSeconds(5), readers);
    }

    public UpstreamRouter router(Clock clock, Duration firstTokenTimeout, Duration maxRetryWait, Duration cooldown, Upstream... chain) {
        return new UpstreamRouter(new ArrayList<>(List.of(chain)), timers, clock, firstTokenTimeout, maxRetryWait, cooldown);
    }

    @Override
    public void close() {
        readers.shutdown();
        timers.shutdown();
        http.connectionPool().evictAll();
    }
}
