package dev.switchboard.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.llm.ChatMessage;
import dev.switchboard.llm.CompletionRequest;
import dev.switchboard.llm.RecordingListener;
import dev.switchboard.llm.UpstreamRouter;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.testsupport.MockUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** End to end through POST /api/chat: the SSE events, the usage row and the attempt rows of a failover. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:failover-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + FailoverEndToEndTest.PASSWORD,
        "switchboard.first-token-timeout=2s", "switchboard.stall-timeout=2s"})
@DirtiesContext
class FailoverEndToEndTest {
    static final String PASSWORD = "Failover-admin-password-1";
    static final OfflineModelServer primary = OfflineModelServer.start(0, Behavior.fast());
    static final OfflineModelServer backup = OfflineModelServer.start(0, Behavior.fast());
    private static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry r) {
        register(r, primary, backup);
    }

    static void register(DynamicPropertyRegistry r, OfflineModelServer primary, OfflineModelServer backup) {
        MockUpstream.register(r, 0, "primary", primary);
        MockUpstream.register(r, 1, "backup", backup);
    }

    @AfterAll
    static void stop() {
        primary.close();
        backup.close();
    }

    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    @Autowired UpstreamRouter router;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Instant testStart = Instant.now();

    @BeforeEach
    void healthyChain() throws Exception {
        primary.setBehavior(Behavior.fast());
        backup.setBehavior(Behavior.fast());
        clearFailureCounts(router);
        primary.resetCalls();
        backup.resetCalls();
    }

    /** One clean answer from each upstream, straight through the router (no usage row): the tests start even. */
    static void clearFailureCounts(UpstreamRouter router) throws InterruptedException {
        RecordingListener l = new RecordingListener();
        router.route(new CompletionRequest("gpt-5.5", List.of(ChatMessage.user("warm"))), l);
        l.await();
    }

    @Test
    void aPrimary503IsAnsweredByTheBackupWithUpstreamFailoverContentUsageDoneAndOneUsageRow() throws Exception {
        primary.setBehavior(Behavior.failing(503));
        List<JsonNode> events = chat("Fail over please");

        assertThat(events.get(0).get("failover").get("from").asText()).isEqualTo("primary");
        assertThat(events.get(0).get("failover").get("to").asText()).isEqualTo("backup");
        assertThat(events.get(0).get("failover").get("reason").asText()).isEqualTo("503");
        assertThat(events.get(1).get("upstream").asText()).isEqualTo("backup");
        assertThat(events.get(1).get("model").asText()).isEqualTo("gpt-5.5");
        assertThat(events.get(2).has("content")).isTrue();
        String text = events.stream().filter(e -> e.has("content")).map(e -> e.get("content").asText()).collect(Collectors.joining());
        assertThat(text).contains("Fail over please");
        assertThat(events.get(events.size() - 2).has("usage")).isTrue();
        assertThat(events.get(events.size() - 1).isNull()).as("[DONE]").isTrue();
        assertThat(primary.calls()).isEqualTo(1);
        assertThat(backup.calls()).isEqualTo(1);

        Map<String, Object> row = awaitRow("completed", 1);
        assertThat(row.get("UPSTREAM")).isEqualTo("backup");
        assertThat(row.get("ESTIMATED")).isEqualTo(false);
        assertThat(attempts(row)).containsExactly("primary 503", "backup ok");
    }

    @Test
    void aDropAfterTheFirstTokensEndsWithAnErrorThenDoneAndAnInterruptedRow() throws Exception {
        primary.setBehavior(Behavior.fast().withReplyTokens(20).withDropAfter(5));
        List<JsonNode> events = chat("Break halfway");

        assertThat(events.get(0).get("upstream").asText()).isEqualTo("primary");
        assertThat(events.stream().filter(e -> e.has("content")).map(e -> e.get("content").asText()).collect(Collectors.joining()))
                .as("the partial text, once").isEqualTo("tok0 tok1 tok2 tok3 tok4");
        JsonNode error = events.get(events.size() - 2).get("error");
        assertThat(error.get("type").asText()).isEqualTo("stream_interrupted");
        assertThat(error.get("message").asText()).contains("interrupted");
        assertThat(events.get(events.size() - 1).isNull()).isTrue();
        assertThat(backup.calls()).as("no silent continuation").isZero();

        Map<String, Object> row = awaitRow("interrupted", 0);
        assertThat(row.get("UPSTREAM")).isEqualTo("primary");
        assertThat(row.get("ESTIMATED")).isEqualTo(true);
        assertThat((Long) row.get("COMPLETION_TOKENS")).isPositive();
        assertThat(attempts(row)).containsExactly("primary interrupted: connection dropped");
    }

    @Test
    void theCallersOwnFaultIsNotFailedOverAndSaysWhy() throws Exception {
        primary.setBehavior(Behavior.fast().withContextWindow(5));
        List<JsonNode> events = chat("A conversation far too long for a tiny model");

        assertThat(events).hasSize(3); // usage (estimated), error, [DONE]
        assertThat(events.get(1).get("error").get("message").asText()).contains("too long for this model");
        assertThat(backup.calls()).isZero();
        Map<String, Object> row = awaitRow("failed", 0);
        assertThat(attempts(row)).containsExactly("primary 400 (context length exceeded)");
    }

    @Test
    void actuatorHealthReportsEachUpstreamAndStaysUp() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode upstreams = JSON.readTree(r.body()).get("components").get("upstreams");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(upstreams.get("status").asText()).isEqualTo("UP");
        assertThat(upstreams.get("details").get("chain").get("primary").get("state").asText()).isEqualTo("healthy");
        assertThat(upstreams.get("details").get("chain").get("backup").get("state").asText()).isEqualTo("healthy");
        assertThat(r.body()).doesNotContain(primary.apiKey()).doesNotContain(backup.baseUrl());
    }

    private List<JsonNode> chat(String message) throws Exception {
        String body = JSON.createObjectNode().set("messages", JSON.createArrayNode().add(
                JSON.createObjectNode().put("role", "user").put("content", message))).toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/chat"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<java.util.stream.Stream<String>> r = http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).map(FailoverEndToEndTest::tree).toList();
    }

    private static JsonNode tree(String s) {
        try {
            return "[DONE]".equals(s) ? JSON.nullNode() : JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }

    private Map<String, Object> awaitRow(String status, int failovers) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                "SELECT * FROM usage_records WHERE status = ? AND failovers = ? AND started_at >= ? ORDER BY started_at DESC")
                .params(status, failovers, java.sql.Timestamp.from(testStart)).query().listOfRows(), rows -> rows.size() == 1).get(0);
    }

    private List<String> attempts(Map<String, Object> row) {
        return jdbc.sql("SELECT upstream, outcome FROM upstream_attempts WHERE generation_id = ? ORDER BY id")
                .param(row.get("GENERATION_ID")).query((rs, n) -> rs.getString(1) + " " + rs.getString(2)).list();
    }
}
