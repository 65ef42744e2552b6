package dev.switchboard.usage.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.usage.JdbcUsageRecorder;
import dev.switchboard.usage.UsageCsv;
import dev.switchboard.usage.UsageRecords;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/usage: the JSON shape, CSV, defaults, bad input (400 with the API's error body) and access rules. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:usage-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + UsageApiTest.ADMIN_PASSWORD,
        "switchboard.prices[gpt-5.5].input-per-million=2",
        "switchboard.prices[gpt-5.5].output-per-million=8"})
@DirtiesContext
class UsageApiTest {
    static final String ADMIN_PASSWORD = "Admin-password-1";
    private static boolean loaded;

    @LocalServerPort
    int port;
    @Autowired
    JdbcUsageRecorder recorder;
    @Autowired
    UserAccounts accounts;
    UsageHttp http;

    @BeforeAll
    static void reset() {
        loaded = false; // per test class: a subclass runs these tests on PostgreSQL
    }

    @BeforeEach
    void setUp() {
        http = new UsageHttp(port);
        if (loaded) return;
        loaded = true;
        accounts.create("ursula", "ursula-password-1", Role.USER);
        recorder.record(UsageRecords.of("alice", "gpt-5.5", "mock", 1000, 500, "completed", 100L, Instant.parse("2026-02-01T10:00:00Z")));
        recorder.record(UsageRecords.of("bob, the \"second\"", "free-model", "mock", 300, 700, "completed", 300L, Instant.parse("2026-02-02T23:59:59Z")));
        recorder.record(UsageRecords.of("alice", "gpt-5.5", null, 50, 0, "failed", null, Instant.parse("2026-02-03T00:00:00Z")));
        recorder.flush();
    }

    private HttpResponse<String> admin(String query) {
        return http.get("/api/usage" + query, "admin", ADMIN_PASSWORD);
    }

    @Test
    void jsonHasRowsAndTotalsWithNullCostForUnpricedGroups() {
        HttpResponse<String> r = admin("?from=2026-02-01&to=2026-02-02&groupBy=model");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode body = UsageHttp.read(r.body());
        assertThat(body.get("from").asText()).isEqualTo("2026-02-01");
        assertThat(body.get("to").asText()).isEqualTo("2026-02-02");
        JsonNode rows = body.get("rows");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("group").asText()).isEqualTo("gpt-5.5"); // most tokens first
        assertThat(rows.get(0).get("cost_usd").decimalValue()).isEqualByComparingTo("0.006");
        assertThat(rows.get(1).get("group").asText()).isEqualTo("free-model");
        assertThat(rows.get(1).get("cost_usd").isNull()).as("no price: null, not 0").isTrue();
        JsonNode totals = body.get("totals");
        assertThat(totals.get("requests").asLong()).isEqualTo(2);
        assertThat(totals.get("prompt_tokens").asLong()).isEqualTo(1300);
        assertThat(totals.get("completion_tokens").asLong()).isEqualTo(1200);
        assertThat(totals.get("cost_usd").decimalValue()).isEqualByComparingTo("0.006");
        assertThat(totals.get("unpriced_requests").asLong()).isEqualTo(1);
        assertThat(totals.get("median_ttft_ms").asLong()).isEqualTo(200);
    }

    @Test
    void datesAreUtcAndInclusive() {
        JsonNode day = UsageHttp.read(admin("?from=2026-02-03&to=2026-02-03&groupBy=day").body());
        assertThat(day.get("rows")).hasSize(1);
        assertThat(day.get("rows").get(0).get("group").asText()).isEqualTo("2026-02-03");
        assertThat(day.get("totals").get("errors").asLong()).isEqualTo(1);
        assertThat(day.get("totals").get("error_rate").asDouble()).isEqualTo(1.0);
        JsonNode all = UsageHttp.read(admin("?from=2026-02-01&to=2026-02-03&groupBy=user").body());
        assertThat(all.get("totals").get("requests").asLong()).isEqualTo(3);
    }

    @Test
    void csvHasAHeaderAndTheSameRows() {
        HttpResponse<String> r = admin("?from=2026-02-01&to=2026-02-03&groupBy=user&format=csv");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        List<String> lines = r.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo(UsageCsv.HEADER);
        assertThat(lines).hasSize(3);
        JsonNode json = UsageHttp.read(admin("?from=2026-02-01&to=2026-02-03&groupBy=user").body());
        assertThat(lines.get(1)).isEqualTo("alice,2,1050,500,1550,0.00610000,0,1,1,0,0");
        assertThat(json.get("rows").get(0).get("group").asText()).isEqualTo("alice");
        assertThat(lines.get(2)).isEqualTo("\"bob, the \"\"second\"\"\",1,300,700,1000,,1,0,0,0,0");
    }

    @Test
    void defaultsToTheLast30DaysByDay() {
        JsonNode body = UsageHttp.read(admin("").body());
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        assertThat(body.get("to").asText()).isEqualTo(today.toString());
        assertThat(body.get("from").asText()).isEqualTo(today.minusDays(29).toString());
        assertThat(body.get("groupBy").asText()).isEqualTo("day");
    }

    @Test
    void badInputIs400WithTheApiErrorBody() {
        for (String q : List.of("?from=2026-13-01&to=2026-02-01", "?from=yesterday", "?from=2026-02-03&to=2026-02-01",
                "?groupBy=team", "?format=xml", "?from=2000-01-01&to=2026-01-01")) {
            HttpResponse<String> r = admin(q);
            assertThat(r.statusCode()).as(q).isEqualTo(400);
            JsonNode error = UsageHttp.read(r.body()).get("error");
            assertThat(error.get("type").asText()).as(q).isEqualTo("invalid_request_error");
            assertThat(error.get("message").asText()).as(q).isNotBlank();
        }
    }

    @Test
    void aUserSeesOnlyTheirOwnUsageAndAnAdminEveryones() {
        recorder.record(UsageRecords.of("ursula", "gpt-5.5", "mock", 7, 3, "completed", 100L, Instant.parse("2026-03-15T12:00:00Z")));
        recorder.flush();
        for (String q : List.of("?from=2026-02-01&to=2026-03-31&groupBy=user",
                "?from=2026-02-01&to=2026-03-31&groupBy=user&user=alice")) {
            HttpResponse<String> own = http.get("/api/usage" + q, "ursula", "ursula-password-1");
            assertThat(own.statusCode()).as(q).isEqualTo(200);
            JsonNode body = UsageHttp.read(own.body());
            assertThat(body.get("rows")).as(q).hasSize(1);
            assertThat(body.get("rows").get(0).get("group").asText()).as(q).isEqualTo("ursula");
            assertThat(body.get("totals").get("prompt_tokens").asLong()).as(q).isEqualTo(7);
        }
        String csv = http.get("/api/usage?from=2026-02-01&to=2026-03-31&groupBy=user&format=csv", "ursula", "ursula-password-1").body();
        assertThat(csv).contains("ursula").doesNotContain("alice").doesNotContain("bob");
        JsonNode all = UsageHttp.read(admin("?from=2026-02-01&to=2026-03-31&groupBy=user").body());
        assertThat(all.get("rows")).hasSize(3);
        assertThat(http.get("/api/usage", null, null).statusCode()).isEqualTo(401);
        assertThat(http.get("/api/usage", "admin", "wrong-password").statusCode()).isEqualTo(401);
    }
}
