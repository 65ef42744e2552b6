package dev.switchboard.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.security.ApiTokens;
import dev.switchboard.testsupport.MockUpstream;
import dev.switchboard.usage.UsageRecord;
import dev.switchboard.usage.UsageWriter;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Daily token quotas (global default and per-user override) and the per-user API rate limit, over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "switchboard.rate-limit.requests-per-minute=4",
        "switchboard.quota.daily-tokens-per-user=1000000",
        "switchboard.admin-password=limits-admin-password",
        "spring.datasource.url=jdbc:h2:mem:limits;DB_CLOSE_DELAY=-1"})
class ChatLimitsTest {
    /** One per test class: a subclass runs these tests on PostgreSQL with its own. */
    static OfflineModelServer upstream;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT = "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        MockUpstream.register(r, 0, "mock", upstream);
    }

    @BeforeAll
    static void start() { upstream = OfflineModelServer.start(0, Behavior.fast()); }

    @AfterAll
    static void stop() { upstream.close(); }

    @LocalServerPort int port;
    @Autowired UserAccounts users;
    @Autowired ChatLimits limits;

    @Test
    void aUserOverTheirOwnDailyQuotaGets429QuotaExceededWithTheTimeUntilReset() throws Exception {
        users.create("quota-user", "quota-user-password", Role.USER);
        users.setDailyTokenQuota("quota-user", 10L);
        assertThat(post("quota-user", "quota-user-password").statusCode()).isEqualTo(200);
        await().until(() -> limits.tokensToday("quota-user") >= 10);

        HttpResponse<String> r = post("quota-user", "quota-user-password");
        assertThat(r.statusCode()).isEqualTo(429);
        var error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("quota_exceeded");
        assertThat(error.get("message").asText()).contains("of 10 tokens").contains("00:00 UTC");
        assertThat(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 86_400L);
    }

    @Test
    void tokensTodayAreTheUsersOwnFromTheCurrentUtcDayOnly(@Autowired JdbcTemplate jdbc, @Autowired PlatformTransactionManager tx) {
        UsageWriter writer = new UsageWriter(jdbc, tx, Map.of());
        Instant now = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(2);
        Instant yesterday = now.minusSeconds(3);
        writer.write(List.of(usage("sum-user", 100, 20, now), usage("sum-user", 30, 5, now.minusSeconds(1)),
                usage("sum-user", 1_000, 1_000, yesterday), usage("sum-other", 7, 7, now)));
        writer.write(List.of(usage("sum-user", 3, 2, now)));

        assertThat(limits.tokensToday("sum-user")).isEqualTo(160);
        assertThat(limits.tokensToday("sum-other")).isEqualTo(14);
        assertThat(limits.tokensToday("sum-nobody")).isZero();
    }

    private static UsageRecord usage(String user, long prompt, long completion, Instant at) {
        return new UsageRecord(UUID.randomUUID().toString(), user, null, "m", "m", "mock", prompt, completion, false,
                "completed", 0, null, 10L, 100, at, at.plusMillis(100), List.of());
    }

    @Test
    void aChangedQuotaAppliesToTheNextRequest() {
        users.create("changing-user", "changing-user-password", Role.USER);
        assertThat(limits.quotaFor("changing-user")).isEqualTo(1_000_000L);
        users.setDailyTokenQuota("changing-user", 5L);
        assertThat(limits.quotaFor("changing-user")).isEqualTo(5L);
        users.setDailyTokenQuota("changing-user", null);
        assertThat(limits.quotaFor("changing-user")).isEqualTo(1_000_000L);
    }

    @Test
    void theGlobalQuotaAppliesToUsersWithoutTheirOwn() {
        users.create("plain-user", "plain-user-password", Role.USER);
        assertThat(limits.quotaFor("plain-user")).isEqualTo(1_000_000L);
    }

    @Test
    void theFifthApiRequestWithinAMinuteIsRateLimited() throws Exception {
        users.create("rate-user", "rate-user-password", Role.USER);
        for (int i = 0; i < 4; i++) assertThat(post("rate-user", "rate-user-password").statusCode()).isEqualTo(200);
        HttpResponse<String> r = post("rate-user", "rate-user-password");
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(r.body()).get("error").get("type").asText()).isEqualTo("rate_limited");
        // Another user is not affected.
        users.create("other-user", "other-user-password", Role.USER);
        assertThat(post("other-user", "other-user-password").statusCode()).isEqualTo(200);
    }

    @Test
    void aBearerTokenCountsAgainstItsOwnersRateLimitAndIsToldWhenToRetry(@Autowired ApiTokens tokens) throws Exception {
        users.create("token-user", "token-user-password", Role.USER);
        String bearer = "Bearer " + tokens.create("token-user", "limits").token();
        for (int i = 0; i < 2; i++) assertThat(post("token-user", "token-user-password").statusCode()).isEqualTo(200);
        for (int i = 0; i < 2; i++) assertThat(post(bearer).statusCode()).isEqualTo(200);
        HttpResponse<String> r = post(bearer);
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(JSON.readTree(r.body()).get("error").get("type").asText()).isEqualTo("rate_limited");
    }

    private HttpResponse<String> post(String user, String password) throws Exception {
        return post("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> post(String authorization) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/chat"))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
