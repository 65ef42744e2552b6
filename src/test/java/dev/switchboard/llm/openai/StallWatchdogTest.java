package dev.switchboard.llm.openai;

import dev.switchboard.llm.ChatMessage;
import dev.switchboard.llm.CompletionRequest;
import dev.switchboard.llm.StreamHandler;
import dev.switchboard.llm.TokenUsage;
import dev.switchboard.llm.UpstreamException;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upstream sockets read without OkHttp's read timeout (okio would time every read); the watchdog must still end a
 * call whose upstream never answers or stops sending, and must leave a slow but steady stream alone. Connecting
 * keeps OkHttp's connect timeout.
 */
class StallWatchdogTest {
    private static final Duration CONNECT = Duration.ofMillis(200);
    private static final Duration STALL = Duration.ofMillis(400);
    /** Streams read as the app reads them by default, at most every 50 ms after the first chunk. */
    private static final Duration PACE = Duration.ofMillis(50);
    private final ExecutorService readers = Executors.newCachedThreadPool();

    /**
     * The first call in a JVM loads the client's classes; on a loaded CI machine that alone once took longer than the
     * 600 ms these tests allow for a first answer. One call to a fast server first, with time to spare.
     */
    @BeforeEach
    void warmTheClient() throws Exception {
        try (OfflineModelServer warm = OfflineModelServer.start(0, Behavior.fast().withReplyTokens(2))) {
            assertThat(chat(new OpenAiUpstream("warm", warm.baseUrl(), warm.apiKey(), null, false, CONNECT,
                    Duration.ofSeconds(10), PACE, readers)).error).isNull();
        }
    }

    @AfterEach
    void stop() {
        readers.shutdownNow();
    }

    @Test
    void anUpstreamThatAcceptsButNeverAnswersFailsWithNoAnswerInTimeAfterConnectPlusStall() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) held.add(silent.accept()); // reads nothing, writes nothing
                } catch (Exception closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long millis = millisToNoAnswerInTime(silent.getLocalPort(), STALL);
            assertThat(millis).isBetween(CONNECT.plus(STALL).toMillis() - 10, CONNECT.plus(STALL).toMillis() + 1500);
        } finally {
            for (Socket s : held) s.close();
        }
    }

    @Test
    void aConnectionThatIsNeverEstablishedEndsAtTheConnectTimeoutNotTheWatchdogs() throws Exception {
        // A listener whose accept queue is full: the kernel drops further SYNs, so a connect hangs as it does to a
        // host that drops packets. OkHttp's connect timeout ends it (the sockets are BlockingSockets' channels).
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 8; i++) {
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 200);
                    fillers.add(s);
                } catch (java.net.SocketTimeoutException queueFull) {
                    s.close();
                    break;
                }
            }
            Duration longStall = Duration.ofSeconds(5);
            long millis = millisToNoAnswerInTime(full.getLocalPort(), longStall);
            assertThat(millis).isBetween(CONNECT.toMillis() - 10, CONNECT.plus(longStall).toMillis() - 1000);
        } finally {
            for (Socket s : fillers) s.close();
        }
    }

    @Test
    void aStreamThatStopsSendingFailsAfterTheStallTimeoutWithWhatCameBeforeKept() throws Exception {
        try (OfflineModelServer server = OfflineModelServer.start(0, Behavior.fast().withReplyTokens(10).withStallAfter(3))) {
            OpenAiUpstream upstream = new OpenAiUpstream("stalling", server.baseUrl(), server.apiKey(), null, false,
                    CONNECT, STALL, PACE, readers);
            Outcome o = chat(upstream);

            assertThat(o.error).isNotNull();
            assertThat(o.error.kind()).isEqualTo(UpstreamException.Kind.TIMEOUT);
            assertThat(o.error.getMessage()).isEqualTo("no chunk within the stall timeout");
            assertThat(o.deltas).hasSize(3);
            assertThat(o.lastDeltaToEndMillis).isBetween(STALL.toMillis() - 10, STALL.toMillis() + 1500);
        }
    }

    @Test
    void aSteadyStreamLongerThanTheLongestReplyIsEndedWithItsTokensKept() throws Exception {
        // One token every 100 ms for 3 s, never silent for the stall timeout (1 s here), but the longest reply is 1.5 s.
        // The stall timeout also bounds the wait for the first answer (connect + stall): on a loaded CI machine a cold
        // first call took over 600 ms, so this test allows 1.2 s.
        Duration stall = Duration.ofSeconds(1);
        try (OfflineModelServer server = OfflineModelServer.start(0, Behavior.fast().withReplyTokens(30).withTokensPerSecond(10))) {
            OpenAiUpstream upstream = new OpenAiUpstream("endless", server.baseUrl(), server.apiKey(), null, false,
                    CONNECT, stall, PACE, Duration.ofMillis(1500), readers);
            Outcome o = chat(upstream);

            assertThat(o.error).isNotNull();
            assertThat(o.error.kind()).isEqualTo(UpstreamException.Kind.TIMEOUT);
            assertThat(o.error.getMessage()).isEqualTo("the reply ran longer than 1500 ms");
            assertThat(o.deltas).hasSizeBetween(3, 16);
        }
    }

    @Test
    void aSlowButSteadyStreamLongerThanTheStallTimeoutCompletes() throws Exception {
        // 8 tokens, one every 150 ms: 1.2 s in all, three times the stall timeout, never 400 ms silent.
        try (OfflineModelServer server = OfflineModelServer.start(0, Behavior.fast().withReplyTokens(8).withTokensPerSecond(1000 / 150.0))) {
            OpenAiUpstream upstream = new OpenAiUpstream("steady", server.baseUrl(), server.apiKey(), null, false,
                    CONNECT, STALL, PACE, readers);
            Outcome o = chat(upstream);

            assertThat(o.error).isNull();
            assertThat(o.deltas).hasSize(8);
        }
    }

    /** Chats with an upstream on {@code port} that never answers: it must fail with "no answer in time"; how soon. */
    private long millisToNoAnswerInTime(int port, Duration stall) throws Exception {
        OpenAiUpstream upstream = new OpenAiUpstream("silent", "http://127.0.0.1:" + port + "/v1", "k", null, false,
                CONNECT, stall, Duration.ZERO, readers);
        long t0 = System.nanoTime();
        Outcome o = chat(upstream);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(o.error).isNotNull();
        assertThat(o.error.kind()).isEqualTo(UpstreamException.Kind.TIMEOUT);
        assertThat(o.error.getMessage()).isEqualTo("no answer in time");
        return millis;
    }

    private record Outcome(List<String> deltas, UpstreamException error, long lastDeltaToEndMillis) {}

    private static Outcome chat(OpenAiUpstream upstream) throws Exception {
        CompletableFuture<UpstreamException> end = new CompletableFuture<>();
        List<String> deltas = new ArrayList<>();
        long[] lastDelta = {System.nanoTime()};
        upstream.start(new CompletionRequest("m", List.of(ChatMessage.user("hi"))), new StreamHandler() {
            @Override public void delta(String t) { deltas.add(t); lastDelta[0] = System.nanoTime(); }
            @Override public void usage(TokenUsage u) {}
            @Override public void completed() { end.complete(null); }
            @Override public void failed(UpstreamException e) { end.complete(e); }
        });
        UpstreamException error = end.get(10, TimeUnit.SECONDS);
        return new Outcome(deltas, error, (System.nanoTime() - lastDelta[0]) / 1_000_000);
    }
}
