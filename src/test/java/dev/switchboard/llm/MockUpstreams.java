package dev.switchboard.llm;

import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.llm.openai.OpenAiUpstream;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Builds a router over mock upstreams on real loopback sockets, the way the app wires real ones. */
public final class MockUpstreams implements AutoCloseable {
    public final ExecutorService readers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-reader");
        t.setDaemon(true);
        return t;
    });
    public final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);

    public Upstream upstream(String name, OfflineModelServer server, Duration stallTimeout) {
        return new OpenAiUpstream(name, server.baseUrl(), server.apiKey(), null, false,
                Duration.ofSeconds(2), stallTimeout, READ_INTERVAL, readers);
    }

    /** As the app reads streams by default (switchboard.upstream-read-interval). */
    public static final Duration READ_INTERVAL = Duration.ofMillis(50);

    /** An upstream whose key the server rejects (401), as after a key rotation. */
    public Upstream badKey(String name, OfflineModelServer server) {
        return new OpenAiUpstream(name, server.baseUrl(), "sk-wrong", null, false, Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ZERO, readers);
    }

    /** An upstream on a port where nothing listens: connection refused. */
    public Upstream refused(String name) {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return new OpenAiUpstream(name, "http://127.0.0.1:" + port + "/v1", "k", null, false,
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ZERO, readers);
    }

    public UpstreamRouter router(Clock clock, Duration firstTokenTimeout, Duration maxRetryWait, Duration cooldown, Upstream... chain) {
        return new UpstreamRouter(new ArrayList<>(List.of(chain)), timers, clock, firstTokenTimeout, maxRetryWait, cooldown);
    }

    @Override
    public void close() {
        readers.shutdownNow();
        timers.shutdownNow();
    }
}
