package dev.switchboard.llm;

import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Two mock upstreams on real loopback sockets (primary, backup), the production openai-java path, short timeouts:
 * first token 300 ms, stall 300 ms, Retry-After waits up to 2 s, cooldown 30 s on a hand-moved clock.
 */
abstract class FaultInjection {
    static final Duration FIRST_TOKEN = Duration.ofMillis(300);
    static final Duration STALL = Duration.ofMillis(300);
    static final Duration MAX_RETRY_WAIT = Duration.ofSeconds(2);
    static final Duration COOLDOWN = Duration.ofSeconds(30);
    /** Generous: speed is reported, not asserted; this only catches a hang or a missing failover. */
    static final long SLOW_MS = 3_000;

    final MockUpstreams mocks = new MockUpstreams();
    final TestClock clock = new TestClock();
    final OfflineModelServer primary = OfflineModelServer.start(0, Behavior.fast().withReplyTokens(20));
    final OfflineModelServer backup = OfflineModelServer.start(0, Behavior.fast().withReplyTokens(20));

    private static volatile boolean warm;

    /** The JVM's first SDK call loads hundreds of classes (~0.5 s): not a fault, so it happens before the clock runs. */
    @BeforeAll
    static void warmUp() throws InterruptedException {
        if (warm) return;
        try (MockUpstreams m = new MockUpstreams(); OfflineModelServer s = OfflineModelServer.start(0, Behavior.fast())) {
            run(m.router(Clock.systemUTC(), Duration.ofSeconds(20), MAX_RETRY_WAIT, COOLDOWN, m.upstream("warm-up", s, Duration.ofSeconds(20))));
        }
        warm = true;
    }

    @AfterEach
    void closeServers() {
        primary.close();
        backup.close();
        mocks.close();
    }

    UpstreamRouter router(Upstream... chain) {
        return mocks.router(clock, FIRST_TOKEN, MAX_RETRY_WAIT, COOLDOWN, chain);
    }

    UpstreamRouter router() {
        return router(mocks.upstream("primary", primary, STALL), mocks.upstream("backup", backup, STALL));
    }

    static CompletionRequest hello() {
        return new CompletionRequest("gpt-5.5", List.of(ChatMessage.system("sys"), ChatMessage.user("Hello there")));
    }

    static RecordingListener run(UpstreamRouter router) throws InterruptedException {
        RecordingListener l = new RecordingListener();
        router.route(hello(), l);
        return l.await();
    }

    /** The synthetic reply of {@code n} tokens: "tok0 tok1 …". */
    static String tokens(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append(i == 0 ? "tok0" : " tok" + i);
        return sb.toString();
    }

    /** One line per fault for the closing note. */
    void report(String fault, RecordingListener l) {
        long ttft = l.firstTokenNanos >= 0 ? l.firstTokenMillis() : l.endMillis();
        System.out.printf("fault=%s calls primary=%d backup=%d ttft_after_failover_ms=%d%n", fault, primary.calls(), backup.calls(), ttft);
    }

    UpstreamHealth.Snapshot health(UpstreamRouter router, String name) {
        return router.health().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
