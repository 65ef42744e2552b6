package dev.switchboard.chat.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** End to end: the app on a random port, streaming from a mock upstream on a real socket. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChatApiStreamingTest {
    static final OfflineModelServer upstream = MockUpstreamApp.fastServer();
    private static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        MockUpstreamApp.register(r, upstream, "api-stream");
    }

    @AfterAll
    static void stop() { upstream.close(); }

    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port, "admin", MockUpstreamApp.ADMIN_PASSWORD);
        upstream.setBehavior(Behavior.fast());
        upstream.resetCalls();
    }

    @Test
    void streamsTheSeedsEventsUpstreamFirstThenContentThenUsageThenDone() throws Exception {
        List<String> events = api.chat("{\"messages\": [{\"role\": \"user\", \"content\": \"What is Agent Router?\"}]}");

        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        JsonNode first = JSON.readTree(events.get(0));
        assertThat(first.get("upstream").asText()).isEqualTo("mock");
        assertThat(first.get("model").asText()).isEqualTo("gpt-5.5");
        StringBuilder text = new StringBuilder();
        JsonNode usage = null;
        for (String e : events.subList(1, events.size() - 1)) {
            JsonNode n = JSON.readTree(e);
            if (n.has("content")) {
                assertThat(usage).as("content after usage").isNull();
                text.append(n.get("content").asText());
            } else if (n.has("usage")) {
                usage = n.get("usage");
            }
        }
        assertThat(text.toString()).contains("What is Agent Router?").contains("turn **1**");
        assertThat(usage).isNotNull();
        assertThat(usage.get("prompt_tokens").asLong()).isPositive();
        assertThat(usage.get("completion_tokens").asLong()).isPositive();
        assertThat(usage.has("estimated")).isFalse();
        // The fast mock sends every token at once: the first is its own event, the rest are joined (flush interval).
        assertThat(events.stream().filter(e -> e.contains("\"content\"")).count()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void theStreamIsAnUncachedEventStreamWithTheApisSecurityHeaders() throws Exception {
        var r = api.post("/api/chat", "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-cache");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(r.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'none'");
        assertThat(r.body()).endsWith("data: [DONE]\n\n");
    }

    @Test
    void sendsTheWholeConversationSoTheModelSeesEveryTurn() throws Exception {
        String body = """
                {"model": "gpt-4o-mini", "messages": [
                  {"role": "system", "content": "Be brief."},
                  {"role": "user", "content": "First question"},
                  {"role": "assistant", "content": "First answer"},
                  {"role": "user", "content": "Can you give me an example?"}]}""";
        List<String> events = api.chat(body);
        String text = contentOf(events);
        assertThat(text).contains("turn **2**").contains("First question").contains("Can you give me an example?")
                .contains("gpt-4o-mini");
    }

    @Test
    void writesOneUsageRowWithTheUpstreamsNumbers() throws Exception {
        List<String> events = api.chat("{\"messages\": [{\"role\": \"user\", \"content\": \"count me\"}]}");
        JsonNode usage = events.stream().map(ChatApiStreamingTest::tree).filter(n -> n != null && n.has("usage"))
                .findFirst().orElseThrow().get("usage");
        await().untilAsserted(() -> {
            List<Map<String, Object>> rows = jdbc.sql("SELECT * FROM usage_records WHERE username = 'admin' AND prompt_tokens = ? AND completion_tokens = ?")
                    .params(usage.get("prompt_tokens").asLong(), usage.get("completion_tokens").asLong()).query().listOfRows();
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).get("STATUS")).isEqualTo("completed");
            assertThat(rows.get(0).get("UPSTREAM")).isEqualTo("mock");
            assertThat(rows.get(0).get("ESTIMATED")).isEqualTo(false);
        });
    }

    @Test
    void theFirstDeltaIsSentAtOnceAndLaterOnesAreJoinedPerFlushInterval() throws Exception {
        String reply = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
                + "seventeen eighteen nineteen twenty twenty-one twenty-two twenty-three twenty-four twenty-five";
        upstream.setBehavior(Behavior.fast().withReplyText(reply).withTokensPerSecond(100));
        List<String> events = api.chat("{\"messages\": [{\"role\": \"user\", \"content\": \"count\"}]}");

        List<String> contents = events.stream().filter(e -> e.contains("\"content\"")).map(e -> tree(e).get("content").asText()).toList();
        assertThat(String.join("", contents)).isEqualTo(reply);
        assertThat(contents.get(0)).as("first token alone, not held back").isEqualTo("one");
        // ~50 tokens over ~0.5 s at 100 tokens/s: about one event per 50 ms instead of one per token.
        assertThat(contents).hasSizeBetween(3, 20);
    }

    @Test
    void aBrokenUpstreamStreamEndsWithAnErrorEventThenDone() throws Exception {
        upstream.setBehavior(Behavior.fast().withDropAfter(4));
        List<String> events = api.chat("{\"messages\": [{\"role\": \"user\", \"content\": \"break please\"}]}");
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        JsonNode error = tree(events.get(events.size() - 2));
        assertThat(error.get("error").get("type").asText()).isEqualTo("stream_interrupted");
        assertThat(events.stream().filter(e -> e.contains("\"content\"")).count()).isBetween(1L, 4L);
        assertThat(events.get(events.size() - 4)).as("the partial reply is flushed before usage and error").contains("\"content\"");
        JsonNode usage = events.stream().map(ChatApiStreamingTest::tree).filter(n -> n != null && n.has("usage")).findFirst().orElseThrow();
        assertThat(usage.get("usage").get("estimated").asBoolean()).isTrue();
    }

    @Test
    void aClientThatDisconnectsCancelsTheUpstreamStream() throws Exception {
        upstream.setBehavior(Behavior.fast().withTokensPerSecond(20).withReplyTokens(400));
        var response = api.openChat("{\"messages\": [{\"role\": \"user\", \"content\": \"long one\"}]}");
        try (InputStream in = response.body()) {
            byte[] buf = new byte[256];
            assertThat(in.read(buf)).isPositive(); // the stream has begun
            await().until(() -> upstream.openStreams() == 1);
        }
        // Closing our end makes the app's next write fail; it must then close the upstream stream.
        await().atMost(Duration.ofSeconds(10)).until(() -> upstream.openStreams() == 0);
        await().untilAsserted(() -> assertThat(jdbc.sql("SELECT COUNT(*) FROM usage_records WHERE status = 'stopped'")
                .query(Long.class).single()).isGreaterThanOrEqualTo(1));
    }

    @Test
    void manyMoreStreamsThanRequestThreadsAreInFlightAtOnce(@Value("${server.tomcat.threads.max}") int requestThreads)
            throws Exception {
        // Tomcat's request threads only start a stream, up to its first chunk (their number is kept small); the
        // upstream readers carry it.
        int streams = requestThreads * 3;
        upstream.setBehavior(Behavior.fast().withTokensPerSecond(20).withReplyTokens(400)); // ~20 s each
        List<HttpResponse<InputStream>> open = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(streams);
        try {
            List<Future<HttpResponse<InputStream>>> started = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                String body = "{\"messages\": [{\"role\": \"user\", \"content\": \"stream " + i + "\"}]}";
                started.add(clients.submit(() -> api.openChat(body)));
            }
            for (Future<HttpResponse<InputStream>> f : started) open.add(f.get(30, TimeUnit.SECONDS));
            assertThat(open).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
            await().atMost(Duration.ofSeconds(15)).until(() -> upstream.openStreams() == streams);
        } finally {
            for (HttpResponse<InputStream> r : open) r.body().close();
            clients.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> upstream.openStreams() == 0);
    }

    @Test
    void streamsWaitingForTheirFirstTokenLeaveRequestThreadsForOtherRequests(
            @Value("${server.tomcat.threads.max}") int requestThreads) throws Exception {
        // Request threads only start streams: a slow upstream holds none of them.
        int streams = requestThreads * 2;
        upstream.setBehavior(Behavior.fast().withFirstTokenDelay(Duration.ofSeconds(5)).withReplyTokens(3));
        ExecutorService clients = Executors.newFixedThreadPool(streams);
        try {
            List<Future<List<String>>> chats = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                String body = "{\"messages\": [{\"role\": \"user\", \"content\": \"slow " + i + "\"}]}";
                chats.add(clients.submit(() -> api.chat(body)));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> upstream.openStreams() == streams);

            var health = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://localhost:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(chats).as("answered while every stream still waited for its first token").noneMatch(Future::isDone);
            for (Future<List<String>> chat : chats) {
                List<String> events = chat.get(30, TimeUnit.SECONDS);
                assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
                assertThat(contentOf(events)).isNotEmpty();
            }
        } finally {
            clients.shutdownNow();
        }
    }

    private static String contentOf(List<String> events) {
        StringBuilder sb = new StringBuilder();
        for (String e : events) {
            JsonNode n = tree(e);
            if (n != null && n.has("content")) sb.append(n.get("content").asText());
        }
        return sb.toString();
    }

    private static JsonNode tree(String s) {
        try {
            return "[DONE]".equals(s) ? null : JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }
}
