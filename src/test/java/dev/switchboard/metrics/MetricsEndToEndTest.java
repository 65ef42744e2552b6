package dev.switchboard.metrics;

import dev.switchboard.chat.GenerationStatus;
import dev.switchboard.chat.ui.ChatInKaribu;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.testsupport.MockUpstream;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * A few chats through the API and one in a (Karibu) browser tab, with failovers, a failed generation and a quota
 * refusal, against two mock upstreams on real sockets; then one scrape of /actuator/prometheus (as an admin) must
 * count each of them exactly, and agree with the usage rows. Spring's own HTTP, JVM, Tomcat and Hikari metrics and
 * the Vaadin gauges are in the same scrape. The scenario runs once; the tests read its scrape.
 */
@AutoConfigureObservability(tracing = false) // Spring Boot's tests leave metrics export (the Prometheus scrape) off
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:metrics-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + MetricsEndToEndTest.PASSWORD,
        "switchboard.first-token-timeout=10s", "switchboard.stall-timeout=10s", "switchboard.cooldown=10m",
        "switchboard.prices[gpt-5.5].input-per-million=2", "switchboard.prices[gpt-5.5].output-per-million=8"})
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsEndToEndTest {
    static final String PASSWORD = "Metrics-admin-password-1";
    private static final String MODEL = "gpt-5.5";
    static final OfflineModelServer primary = OfflineModelServer.start(0, Behavior.fast());
    static final OfflineModelServer backup = OfflineModelServer.start(0, Behavior.fast());

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry r) {
        MockUpstream.register(r, 0, "primary", primary);
        MockUpstream.register(r, 1, "backup", backup);
    }

    @LocalServerPort int port;
    @Autowired UserAccounts accounts;
    @Autowired JdbcClient jdbc;
    @Autowired ApplicationContext ctx;
    private final HttpClient http = HttpClient.newHttpClient();
    private Scrape scrape;
    private double inFlightWhileStreaming = -1;

    @BeforeAll
    void chatThenScrape() throws Exception {
        accounts.create("quinn", "Quinn-password-1", Role.USER);
        accounts.setDailyTokenQuota("quinn", 1L);

        assertThat(chat("admin", PASSWORD, "A: the primary answers")).isEqualTo(200);
        assertThat(chat("quinn", "Quinn-password-1", "C1: within the quota")).isEqualTo(200);
        awaitUsageRows(2); // the quota counts stored usage (stored just after the reply's end)
        assertThat(chat("quinn", "Quinn-password-1", "C2: over the quota")).as("refused by the quota").isEqualTo(429);

        primary.setBehavior(Behavior.failing(503));
        assertThat(chat("admin", PASSWORD, "B: fail over to the backup")).isEqualTo(200);
        backup.setBehavior(Behavior.failing(503));
        assertThat(chat("admin", PASSWORD, "D: nobody answers")).isEqualTo(200);

        primary.setBehavior(Behavior.fast());
        backup.setBehavior(Behavior.fast());
        ChatInKaribu.open(ctx, "admin", "ADMIN");
        try {
            assertThat(ChatInKaribu.sendAndAwaitReply("UI: in a browser tab").status()).isEqualTo(GenerationStatus.COMPLETED);
        } finally {
            ChatInKaribu.close();
        }

        primary.setBehavior(Behavior.failing(401));
        assertThat(chat("admin", PASSWORD, "E: the primary's key is rejected")).isEqualTo(200);

        backup.setBehavior(Behavior.fast().withTokensPerSecond(10).withReplyTokens(30));
        CompletableFuture<Integer> slow = CompletableFuture.supplyAsync(() -> chat("admin", PASSWORD, "S: a slow one"));
        inFlightWhileStreaming = await().atMost(Duration.ofSeconds(10)).until(
                () -> scrape().value("switchboard_generations_in_flight"), v -> v == 1.0);
        assertThat(slow.get()).isEqualTo(200);

        // A generation's end is counted (and its usage row queued) just after its last event left, and the server
        // observes a streamed request when its response has ended: both a moment after the client read [DONE].
        awaitUsageRows(7);
        scrape = await().atMost(Duration.ofSeconds(10)).until(this::scrape,
                s -> s.sum("switchboard_generations_total") == 7 && s.sum("http_server_requests_seconds_count", "uri", "/api/chat") == 7);
        // Kept for people to read: what a scrape looks like after these chats.
        java.nio.file.Path classes = java.nio.file.Path.of(getClass().getProtectionDomain().getCodeSource().getLocation().toURI());
        java.nio.file.Files.writeString(classes.getParent().resolve("metrics-scrape.txt"), scrape.text());
    }

    @AfterAll
    void stopUpstreams() {
        primary.close();
        backup.close();
    }

    @Test
    void generationsAreCountedByModelAnsweringUpstreamAndEnd() {
        assertThat(scrape.value("switchboard_generations_total", "model", MODEL, "upstream", "primary", "status", "completed"))
                .as("A, C1, UI").isEqualTo(3);
        assertThat(scrape.value("switchboard_generations_total", "model", MODEL, "upstream", "backup", "status", "completed"))
                .as("B, E, S").isEqualTo(3);
        assertThat(scrape.value("switchboard_generations_total", "model", MODEL, "upstream", "none", "status", "failed"))
                .as("D").isEqualTo(1);
        assertThat(scrape.sum("switchboard_generations_total")).isEqualTo(rows("SELECT COUNT(*) FROM usage_records"));
        assertThat(scrape.value("switchboard_generation_duration_seconds_count", "model", MODEL, "status", "completed")).isEqualTo(6);
        assertThat(scrape.value("switchboard_generation_duration_seconds_count", "model", MODEL, "status", "failed")).isEqualTo(1);
        assertThat(scrape.value("switchboard_generations_in_flight")).isZero();
        assertThat(inFlightWhileStreaming).isEqualTo(1);
    }

    @Test
    void failoversAreCountedFromToAndWhy() {
        assertThat(scrape.value("switchboard_failovers_total", "from", "primary", "to", "backup", "reason", "503"))
                .as("B and D").isEqualTo(2);
        assertThat(scrape.value("switchboard_failovers_total", "from", "primary", "to", "backup", "reason", "401"))
                .as("E").isEqualTo(1);
        assertThat(scrape.sum("switchboard_failovers_total")).isEqualTo(rows("SELECT SUM(failovers) FROM usage_records"));
    }

    @Test
    void tokensAndCostAgreeWithTheUsageRows() {
        for (String kind : List.of("prompt", "completion")) {
            double stored = rows("SELECT SUM(" + kind + "_tokens) FROM usage_records WHERE NOT estimated");
            assertThat(stored).isPositive();
            assertThat(scrape.value("switchboard_tokens_total", "model", MODEL, "kind", kind, "estimated", "false"))
                    .as(kind).isEqualTo(stored);
            assertThat(scrape.value("switchboard_tokens_total", "model", MODEL, "kind", kind, "estimated", "true"))
                    .as("D's tokens: none, counted by us").isZero();
        }
        BigDecimal cost = jdbc.sql("SELECT SUM(cost_usd) FROM usage_records").query(BigDecimal.class).single();
        assertThat(cost).isPositive();
        assertThat(scrape.value("switchboard_cost_usd_total", "model", MODEL)).isCloseTo(cost.doubleValue(), within(1e-9));
    }

    @Test
    void timeToFirstTokenIsAHistogramByUpstream() {
        assertThat(scrape.value("switchboard_time_to_first_token_seconds_count", "upstream", "primary")).isEqualTo(3);
        assertThat(scrape.value("switchboard_time_to_first_token_seconds_count", "upstream", "backup")).isEqualTo(3);
        assertThat(scrape.value("switchboard_time_to_first_token_seconds_bucket", "upstream", "backup", "le", "+Inf")).isEqualTo(3);
        assertThat(scrape.find("switchboard_time_to_first_token_seconds_bucket", Map.of("upstream", "primary"))).hasSizeGreaterThan(5);
        assertThat(scrape.sum("switchboard_time_to_first_token_seconds_sum")).isPositive();
    }

    @Test
    void upstreamStateQuotaRefusalsAndThePushDelayOfTheTab() {
        assertThat(scrape.value("switchboard_upstream_state", "upstream", "primary")).as("key rejected").isEqualTo(3);
        assertThat(scrape.value("switchboard_upstream_state", "upstream", "backup")).as("healthy").isZero();
        assertThat(scrape.value("switchboard_quota_rejections_total")).isEqualTo(1);
        assertThat(scrape.value("switchboard_push_delay_seconds_count")).as("the one chat in a tab").isEqualTo(1);
        assertThat(scrape.value("switchboard_push_delay_seconds_sum")).isPositive().isLessThan(5);
    }

    @Test
    void springJvmTomcatHikariAndVaadinMetricsAreThereToo() {
        assertThat(scrape.value("http_server_requests_seconds_count", "uri", "/api/chat", "method", "POST", "status", "429"))
                .isEqualTo(1);
        assertThat(scrape.names()).contains("jvm_memory_used_bytes", "jvm_gc_overhead", "process_cpu_usage",
                "tomcat_sessions_active_current_sessions", "hikaricp_connections_active", "vaadin_sessions_active",
                "vaadin_ui_active");
        assertThat(scrape.value("jvm_threads_live_threads")).isPositive();
    }

    @Test
    void noMetricHasAUserLabel() {
        for (String name : scrape.names()) {
            assertThat(scrape.find(name, Map.of())).allSatisfy(s -> {
                assertThat(s.labels()).doesNotContainKeys("user", "username");
                assertThat(s.labels().values()).doesNotContain("quinn", "admin");
            });
        }
    }

    @Test
    void theGrafanaDashboardNamesOnlyMetricsOfARealScrape() throws Exception {
        GrafanaDashboard dashboard = GrafanaDashboard.read(java.nio.file.Path.of("docs/grafana/switchboard-dashboard.json"));
        assertThat(dashboard.expressions()).hasSizeGreaterThanOrEqualTo(10);
        assertThat(dashboard.metricNames()).allSatisfy(name -> assertThat(scrape.names()).as("in the scrape").contains(name));
        List<String> issued = List.of("switchboard_generations_total", "switchboard_tokens_total", "switchboard_cost_usd_total",
                "switchboard_time_to_first_token_seconds_bucket", "switchboard_generation_duration_seconds_bucket",
                "switchboard_failovers_total", "switchboard_upstream_state", "switchboard_generations_in_flight",
                "switchboard_quota_rejections_total", "switchboard_push_delay_seconds_bucket");
        assertThat(dashboard.metricNames()).as("a panel for each of Switchboard's metrics").containsAll(issued);
    }

    private void awaitUsageRows(int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> rows("SELECT COUNT(*) FROM usage_records") == n);
    }

    private double rows(String sql) {
        return jdbc.sql(sql).query(Number.class).single().doubleValue();
    }

    private Scrape scrape() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus"))
                .header("Authorization", basic("admin", PASSWORD)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return new Scrape(r.body());
    }

    /** A chat through POST /api/chat, read to its end; the HTTP status. */
    private int chat(String user, String password, String message) {
        String body = "{\"model\": \"" + MODEL + "\", \"messages\": [{\"role\": \"user\", \"content\": \"" + message + "\"}]}";
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/chat"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .header("Authorization", basic(user, password))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) assertThat(r.body()).contains("data: [DONE]");
            return r.statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
