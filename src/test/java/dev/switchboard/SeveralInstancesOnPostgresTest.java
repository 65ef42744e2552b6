package dev.switchboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.testsupport.LoginForm;
import dev.switchboard.testsupport.TestPostgres;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the app (two application contexts, each with its web server) on one PostgreSQL database, as behind
 * a load balancer: what one does, the other sees; the limits hold across both; an instance stopped mid-stream leaves
 * its usage rows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeveralInstancesOnPostgresTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "boss", ADMIN_PASSWORD = "boss-password-1";
    private static final int RATE_PER_MINUTE = 10;

    private static OfflineModelServer upstream;
    private static ConfigurableApplicationContext a, b;
    private static JdbcClient db;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void startTwoInstancesTogether() throws InterruptedException {
        upstream = OfflineModelServer.start(0, Behavior.fast().withReplyTokens(40));
        String url = TestPostgres.newDatabase();
        // Started together on an empty database: both migrate it (Flyway waits for the other) and find no users. B starts
        // once A has set up logging, which is one per JVM (two apps doing it at once trip over each other).
        CountDownLatch aLogs = new CountDownLatch(1);
        CompletableFuture<ConfigurableApplicationContext> first = CompletableFuture.supplyAsync(() -> start(url, aLogs));
        aLogs.await(2, TimeUnit.MINUTES);
        CompletableFuture<ConfigurableApplicationContext> second =
                CompletableFuture.supplyAsync(() -> start(url, new CountDownLatch(1)));
        a = first.join();
        b = second.join();
        db = b.getBean(JdbcClient.class); // B's: A is stopped by the last test
        a.getBean(UserAccounts.class).create(ADMIN, ADMIN_PASSWORD, Role.ADMIN);
    }

    private static ConfigurableApplicationContext start(String url, CountDownLatch loggingReady) {
        ApplicationListener<ApplicationEnvironmentPreparedEvent> afterLogging = e -> loggingReady.countDown();
        return new SpringApplicationBuilder(SwitchboardApplication.class).listeners(afterLogging).run(
                "--server.port=0", "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
                "--spring.datasource.password=", "--spring.datasource.hikari.minimum-idle=1",
                "--switchboard.upstreams[0].name=mock", "--switchboard.upstreams[0].base-url=" + upstream.baseUrl(),
                "--switchboard.upstreams[0].api-key=" + upstream.apiKey(),
                "--switchboard.rate-limit.requests-per-minute=" + RATE_PER_MINUTE,
                // a chat holds its prompt and 10 tokens of its user's quota while it runs: two fit at once
                "--switchboard.quota.reserve-completion-tokens=10",
                // a stop waits this long for running replies (30 s by default), then ends them
                "--spring.lifecycle.timeout-per-shutdown-phase=2s");
    }

    @AfterAll
    static void stop() {
        if (a != null) a.close();
        if (b != null) b.close();
        if (upstream != null) upstream.close();
    }

    @Test
    @Order(1)
    void twoInstancesStartingTogetherCreateOneAdmin() {
        assertThat(db.sql("SELECT username FROM users WHERE role = 'ADMIN' AND username <> ?").param(ADMIN)
                .query(String.class).list()).containsExactly("admin");
    }

    @Test
    @Order(2)
    void aUserCreatedOnALogsInOnB() throws Exception {
        HttpResponse<String> created = send(a, "POST", "/api/admin/users", basic(ADMIN, ADMIN_PASSWORD),
                "{\"username\": \"ann\", \"password\": \"ann-password-1\", \"role\": \"USER\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(send(b, "GET", "/api/tokens", basic("ann", "ann-password-1"), null).statusCode()).isEqualTo(200);
        HttpResponse<String> form = LoginForm.post(http, port(b), "ann", "ann-password-1");
        assertThat(form.statusCode()).isEqualTo(302);
        assertThat(form.headers().firstValue("Location").orElseThrow()).doesNotContain("login");
    }

    @Test
    @Order(3)
    void aTokenRevokedOnAIsRefusedOnBAtOnce() throws Exception {
        user("tom");
        JsonNode token = JSON.readTree(send(a, "POST", "/api/tokens", basic("tom", "tom-password-1"), "{\"name\": \"ci\"}").body());
        String bearer = "Bearer " + token.get("token").asText();
        assertThat(send(b, "GET", "/api/tokens", bearer, null).statusCode()).isEqualTo(200); // B knows it now
        assertThat(send(a, "DELETE", "/api/tokens/" + token.get("id").asLong(), basic("tom", "tom-password-1"), null)
                .statusCode()).isEqualTo(204);
        assertThat(send(b, "GET", "/api/tokens", bearer, null).statusCode()).isEqualTo(401);
    }

    @Test
    @Order(4)
    void anAccountDisabledOnAIsRefusedOnBWithinTheSharedCacheTime() throws Exception {
        user("dan");
        String password = basic("dan", "dan-password-1");
        assertThat(send(b, "GET", "/api/tokens", password, null).statusCode()).isEqualTo(200); // B remembers the password
        String session = LoginForm.post(http, port(b), "dan", "dan-password-1").headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("JSESSIONID=")).map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();
        assertThat(sendWithCookie(b, "/api/tokens", session).statusCode()).isEqualTo(200); // a login session on B
        assertThat(send(a, "PATCH", "/api/admin/users/dan", basic(ADMIN, ADMIN_PASSWORD), "{\"enabled\": false}")
                .statusCode()).isEqualTo(200);
        long changed = System.nanoTime();
        await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(100))
                .until(() -> send(b, "GET", "/api/tokens", password, null).statusCode() == 401
                        && sendWithCookie(b, "/api/tokens", session).statusCode() == 401);
        System.out.printf("[measure] a change on A reached B's caches after %d ms%n", (System.nanoTime() - changed) / 1_000_000);
    }

    @Test
    @Order(5)
    void failedLoginsOnBothInstancesLockTheUsernameOnBoth() throws Exception {
        user("lou");
        for (int i = 0; i < 10; i++) {
            ConfigurableApplicationContext instance = i % 2 == 0 ? a : b;
            assertThat(send(instance, "GET", "/api/tokens", basic("lou", "guess-" + i), null).statusCode()).isEqualTo(401);
        }
        assertThat(send(a, "GET", "/api/tokens", basic("lou", "lou-password-1"), null).statusCode()).isEqualTo(429);
        assertThat(send(b, "GET", "/api/tokens", basic("lou", "lou-password-1"), null).statusCode()).isEqualTo(429);
    }

    @Test
    @Order(6)
    void theApiRateLimitCountsRequestsOnBothInstances() throws Exception {
        user("rae");
        for (int i = 0; i < RATE_PER_MINUTE; i++) {
            assertThat(chat(i % 2 == 0 ? a : b, "rae").status).as("request " + (i + 1)).isEqualTo(200);
        }
        Chat refusedOnA = chat(a, "rae"), refusedOnB = chat(b, "rae");
        assertThat(List.of(refusedOnA.status, refusedOnB.status)).containsExactly(429, 429);
        assertThat(refusedOnB.body).contains("rate_limited");
    }

    /**
     * Chats on A and B at once, round after round, until both are refused: each round was let in while the user was
     * under the quota (its chats' reservations seen by both instances), so the tokens used exceed it by at most the
     * round that was in flight; and the usage both instances report is the sum of the usage events their streams sent.
     */
    @Test
    @Order(7)
    void aQuotaHoldsAcrossInstancesAndUsageTotalsAreTheStreamedOnes() throws Exception {
        long quota = 300;
        user("quinn");
        a.getBean(UserAccounts.class).setDailyTokenQuota("quinn", quota);
        long streamed = 0, beforeLastLetIn = 0;
        int accepted = 0;
        List<Integer> refusals = new ArrayList<>();
        List<Long> rounds = new ArrayList<>();
        while (refusals.size() < 2) {
            assertThat(rounds).as("rounds").hasSizeLessThan(6);
            CompletableFuture<Chat> onA = CompletableFuture.supplyAsync(() -> chat(a, "quinn"));
            CompletableFuture<Chat> onB = CompletableFuture.supplyAsync(() -> chat(b, "quinn"));
            long round = 0;
            refusals.clear();
            for (Chat c : List.of(onA.join(), onB.join())) {
                if (c.status == 429) {
                    assertThat(c.body).contains("quota_exceeded");
                    refusals.add(c.status);
                } else {
                    assertThat(c.status).isEqualTo(200);
                    accepted++;
                    round += c.tokens;
                }
            }
            if (round > 0) beforeLastLetIn = streamed;
            streamed += round;
            rounds.add(round);
            int rows = accepted;
            await().atMost(Duration.ofSeconds(10)).until(() -> endedUsageRows("quinn") == rows); // counted before the next round
        }
        System.out.printf("[measure] quota %d: tokens per round of a chat on A and one on B %s, %d used%n", quota, rounds,
                streamed);
        assertThat(accepted).isGreaterThanOrEqualTo(2);
        assertThat(beforeLastLetIn).as("tokens used before the last round let in").isLessThan(quota);
        assertThat(streamed).isGreaterThanOrEqualTo(quota);
        for (ConfigurableApplicationContext instance : List.of(a, b)) {
            JsonNode usage = JSON.readTree(send(instance, "GET", "/api/usage?from=" + today() + "&to=" + today()
                    + "&groupBy=user", basic("quinn", "quinn-password-1"), null).body());
            assertThat(usage.get("totals").get("total_tokens").asLong()).isEqualTo(streamed);
        }
    }

    @Test
    @Order(8)
    void anInstanceStoppedMidStreamLeavesItsUsageRows() throws Exception {
        user("sid");
        upstream.enqueue(Behavior.fast().withReplyTokens(400).withTokensPerSecond(20));
        HttpResponse<InputStream> stream = http.send(chatRequest(a, "sid"), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null && !line.contains("\"content\"")) {
            // until the reply is streaming
        }
        assertThat(line).isNotNull();
        a.close(); // its graceful shutdown waits 2 s for the running reply, then ends it
        await().atMost(Duration.ofSeconds(10)).until(() -> usageRows("sid") == 1);
        var row = db.sql("SELECT status, completion_tokens FROM usage_records WHERE username = 'sid'").query().singleRow();
        assertThat(row.get("status")).isNotEqualTo("completed");
        assertThat((Long) row.get("completion_tokens")).isBetween(1L, 399L);
        assertThat(send(b, "GET", "/api/tokens", basic("sid", "sid-password-1"), null).statusCode()).isEqualTo(200);
    }

    private void user(String name) {
        a.getBean(UserAccounts.class).create(name, name + "-password-1", Role.USER);
    }

    private long endedUsageRows(String user) {
        return db.sql("SELECT COUNT(*) FROM usage_records WHERE username = ? AND status <> 'running'").param(user)
                .query(Long.class).single();
    }

    private long usageRows(String user) {
        return db.sql("SELECT COUNT(*) FROM usage_records WHERE username = ?").param(user).query(Long.class).single();
    }

    private static String today() {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }

    private record Chat(int status, String body, long tokens) {}

    /** A chat's status, body, and the prompt plus completion tokens of its usage event. */
    private Chat chat(ConfigurableApplicationContext instance, String user) {
        try {
            HttpResponse<String> r = http.send(chatRequest(instance, user), HttpResponse.BodyHandlers.ofString());
            long tokens = 0;
            for (String line : r.body().split("\n")) {
                if (!line.startsWith("data: {")) continue;
                JsonNode usage = JSON.readTree(line.substring(6)).get("usage");
                if (usage != null) tokens += usage.get("prompt_tokens").asLong() + usage.get("completion_tokens").asLong();
            }
            return new Chat(r.statusCode(), r.body(), tokens);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static HttpRequest chatRequest(ConfigurableApplicationContext instance, String user) {
        return HttpRequest.newBuilder(uri(instance, "/api/chat")).timeout(Duration.ofSeconds(60))
                .header("Authorization", basic(user, user + "-password-1")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"))
                .build();
    }

    private HttpResponse<String> send(ConfigurableApplicationContext instance, String method, String path,
                                      String authorization, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri(instance, path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) r.header("Authorization", authorization);
        if (body != null) r.header("Content-Type", "application/json");
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> sendWithCookie(ConfigurableApplicationContext instance, String path, String cookie)
            throws Exception {
        return http.send(HttpRequest.newBuilder(uri(instance, path)).header("Cookie", cookie).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(ConfigurableApplicationContext instance, String path) {
        return URI.create("http://localhost:" + port(instance) + path);
    }

    private static int port(ConfigurableApplicationContext instance) {
        return ((WebServerApplicationContext) instance).getWebServer().getPort();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
