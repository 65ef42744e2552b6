package dev.switchboard.usage.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.chat.ChatService;
import dev.switchboard.chat.Generation;
import dev.switchboard.llm.StreamEvent;
import dev.switchboard.llm.ChatMessage;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.testsupport.MockUpstream;
import dev.switchboard.usage.JdbcUsageRecorder;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real chats against a mock upstream on a socket: one row per generation whatever its end, with the numbers the
 * stream reported; and /api/usage totals equal to the sum of the streamed usage events over many chats and users.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:usage-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + UsageEndToEndTest.ADMIN_PASSWORD,
        "switchboard.models=gpt-5.5,local-free",
        "switchboard.prices[gpt-5.5].input-per-million=1.25",
        "switchboard.prices[gpt-5.5].output-per-million=10"})
@DirtiesContext
class UsageEndToEndTest {
    static final String ADMIN_PASSWORD = "Admin-password-1";
    static final String USER_PASSWORD = "user-password-1";
    /** One per test class: a subclass runs these tests on PostgreSQL with its own. */
    static OfflineModelServer server;

    @DynamicPropertySource
    static void upstream(DynamicPropertyRegistry r) {
        MockUpstream.register(r, 0, "mock", server);
    }

    @BeforeAll
    static void startServer() {
        server = OfflineModelServer.start(0, Behavior.fast());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    JdbcUsageRecorder recorder;
    @Autowired
    UserAccounts accounts;
    @Autowired
    ChatService chatService;

    UsageHttp http;

    @BeforeEach
    void setUp() {
        http = new UsageHttp(port);
        server.setBehavior(Behavior.fast());
        server.resetCalls();
        for (String u : List.of("ann", "ben", "cem")) {
            if (accounts.findByUsername(u).isEmpty()) accounts.create(u, USER_PASSWORD, Role.USER);
        }
    }

    @Test
    void completedWithTheUpstreamsCountsAndTheCostAtTheConfiguredPrice() {
        long before = rows();
        UsageHttp.Chat chat = http.chat("admin", ADMIN_PASSWORD, "gpt-5.5", "Count me exactly, please.");
        Map<String, Object> row = awaitNewRow(before);
        assertThat(chat.estimated()).isFalse();
        assertRow(row, "completed", chat, false);
        BigDecimal cost = BigDecimal.valueOf(chat.prompt()).multiply(new BigDecimal("1.25"))
                .add(BigDecimal.valueOf(chat.completion()).multiply(BigDecimal.TEN))
                .divide(BigDecimal.valueOf(1_000_000), 8, RoundingMode.HALF_UP);
        assertThat((BigDecimal) row.get("COST_USD")).isEqualByComparingTo(cost);
        assertThat(row.get("UPSTREAM")).isEqualTo("mock");
        assertThat(row.get("TTFT_MS")).isNotNull();
    }

    @Test
    void noUsageChunkIsEstimatedAndAModelWithoutPriceHasNoCost() {
        server.setBehavior(Behavior.fast().withUsage(false));
        long before = rows();
        UsageHttp.Chat chat = http.chat("admin", ADMIN_PASSWORD, "local-free", "No usage chunk this time.");
        Map<String, Object> row = awaitNewRow(before);
        assertThat(chat.estimated()).isTrue();
        assertRow(row, "completed", chat, true);
        assertThat(row.get("COST_USD")).isNull();
    }

    @Test
    void brokenStreamIsInterruptedAndEstimated() {
        server.setBehavior(Behavior.fast().withReplyTokens(40).withDropAfter(5));
        long before = rows();
        UsageHttp.Chat chat = http.chat("admin", ADMIN_PASSWORD, "gpt-5.5", "Break after a few tokens.");
        assertThat(chat.error()).isTrue();
        Map<String, Object> row = awaitNewRow(before);
        assertRow(row, "interrupted", chat, true);
        assertThat(chat.completion()).isPositive();
    }

    @Test
    void upstreamFailureIsOneFailedRow() {
        server.setBehavior(Behavior.failing(500));
        long before = rows();
        UsageHttp.Chat chat = http.chat("admin", ADMIN_PASSWORD, "gpt-5.5", "This one fails.");
        assertThat(chat.error()).isTrue();
        Map<String, Object> row = awaitNewRow(before);
        assertRow(row, "failed", chat, true);
        // No upstream answered: nothing was billed, so nothing is counted.
        assertThat(row.get("PROMPT_TOKENS")).isEqualTo(0L);
        assertThat(row.get("COMPLETION_TOKENS")).isEqualTo(0L);
        assertThat(row.get("TTFT_MS")).isNull();
        assertThat(row.get("ERROR")).isNotNull();
    }

    @Test
    void stoppedByTheUserIsOneStoppedRowWithTheEstimateOfWhatArrived() throws Exception {
        server.setBehavior(Behavior.fast().withReplyTokens(400).withTokensPerSecond(20));
        long before = rows();
        List<StreamEvent> events = new CopyOnWriteArrayList<>();
        Generation g = chatService.accept("admin", "gpt-5.5", List.of(ChatMessage.user("Talk slowly, I will stop you.")));
        g.subscribe(events::add);
        chatService.begin(g);
        long deadline = System.currentTimeMillis() + 10_000;
        while (events.stream().filter(e -> e instanceof StreamEvent.Delta).count() < 3 && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        g.stop();
        Map<String, Object> row = awaitNewRow(before);
        List<StreamEvent.Usage> usages = events.stream().filter(e -> e instanceof StreamEvent.Usage)
                .map(e -> (StreamEvent.Usage) e).toList();
        assertThat(usages).hasSize(1);
        assertThat(row.get("STATUS")).isEqualTo("stopped");
        assertThat(row.get("ESTIMATED")).isEqualTo(true);
        assertThat(row.get("PROMPT_TOKENS")).isEqualTo(usages.get(0).usage().promptTokens());
        assertThat(row.get("COMPLETION_TOKENS")).isEqualTo(usages.get(0).usage().completionTokens());
        assertThat((Long) row.get("COMPLETION_TOKENS")).isBetween(1L, 399L);
        Thread.sleep(300); // nothing else arrives for the same generation
        recorder.flush();
        assertThat(rows()).isEqualTo(before + 1);
    }

    @Test
    void apiTotalsEqualTheSumOfStreamedUsageOverManyChatsAndUsers() throws Exception {
        JsonNode start = usage("groupBy=user");
        List<String> users = List.of("ann", "ben", "cem", "admin");
        for (int i = 0; i < 40; i++) {
            server.enqueue(i % 3 == 0 ? Behavior.fast().withUsage(false) : i % 7 == 0 ? Behavior.fast().withReplyTokens(30).withDropAfter(4) : Behavior.fast());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Map.Entry<String, UsageHttp.Chat>>> futures = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String user = users.get(i % users.size());
            String model = i % 2 == 0 ? "gpt-5.5" : "local-free";
            String text = "Chat number " + i + " from " + user + ": " + "tell me something. ".repeat(1 + i % 5);
            futures.add(pool.submit(() -> Map.entry(user, http.chat(user, user.equals("admin") ? ADMIN_PASSWORD : USER_PASSWORD, model, text))));
        }
        Map<String, long[]> streamed = new HashMap<>(); // user -> requests, prompt, completion, estimated
        for (var f : futures) {
            var e = f.get();
            long[] s = streamed.computeIfAbsent(e.getKey(), k -> new long[4]);
            s[0]++;
            s[1] += e.getValue().prompt();
            s[2] += e.getValue().completion();
            if (e.getValue().estimated()) s[3]++;
        }
        pool.shutdown();
        awaitRowsAtLeast(rows(start) + 40);

        JsonNode end = usage("groupBy=user");
        long[] sum = new long[4];
        for (String u : users) {
            long[] s = streamed.get(u);
            long[] delta = minus(group(end, u), group(start, u));
            assertThat(delta).as(u + ": requests, prompt, completion, estimated").containsExactly(s);
            for (int k = 0; k < 4; k++) sum[k] += s[k];
        }
        assertThat(minus(totals(end), totals(start))).containsExactly(sum);
        // Every grouping adds up to the same totals.
        for (String by : List.of("model", "day", "upstream")) {
            JsonNode r = usage("groupBy=" + by);
            long[] rowsSum = new long[4];
            r.get("rows").forEach(row -> add(rowsSum, values(row)));
            assertThat(rowsSum).as(by).containsExactly(totals(r));
        }
    }

    private JsonNode usage(String query) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        var r = http.get("/api/usage?from=" + today.minusDays(1) + "&to=" + today.plusDays(1) + "&" + query, "admin", ADMIN_PASSWORD);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return UsageHttp.read(r.body());
    }

    private static long[] group(JsonNode body, String group) {
        for (JsonNode row : body.get("rows")) if (row.get("group").asText().equals(group)) return values(row);
        return new long[4];
    }

    private static long[] totals(JsonNode body) { return values(body.get("totals")); }

    private static long rows(JsonNode body) { return body.get("totals").get("requests").asLong(); }

    private static long[] values(JsonNode n) {
        return new long[] {n.get("requests").asLong(), n.get("prompt_tokens").asLong(), n.get("completion_tokens").asLong(),
                n.get("estimated_requests").asLong()};
    }

    private static long[] minus(long[] a, long[] b) {
        long[] d = new long[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i] - b[i];
        return d;
    }

    private static void add(long[] into, long[] v) {
        for (int i = 0; i < v.length; i++) into[i] += v[i];
    }

    private static void assertRow(Map<String, Object> row, String status, UsageHttp.Chat chat, boolean estimated) {
        assertThat(row.get("STATUS")).isEqualTo(status);
        assertThat(row.get("PROMPT_TOKENS")).isEqualTo(chat.prompt());
        assertThat(row.get("COMPLETION_TOKENS")).isEqualTo(chat.completion());
        assertThat(row.get("TOTAL_TOKENS")).isEqualTo(chat.prompt() + chat.completion());
        assertThat(row.get("ESTIMATED")).isEqualTo(estimated);
        assertThat(row.get("USERNAME")).isEqualTo("admin");
    }

    private long rows() {
        recorder.flush();
        return jdbc.sql("SELECT COUNT(*) FROM usage_records").query(Long.class).single();
    }

    /** The writer is asynchronous and the row is recorded just after the stream's last event: poll. */
    private void awaitRowsAtLeast(long n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (rows() < n && System.currentTimeMillis() < deadline) Thread.sleep(10);
        assertThat(rows()).isGreaterThanOrEqualTo(n);
    }

    private Map<String, Object> awaitNewRow(long before) {
        try {
            awaitRowsAtLeast(before + 1);
            Thread.sleep(100); // and no second one
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(rows()).as("exactly one row per generation").isEqualTo(before + 1);
        return jdbc.sql("SELECT * FROM usage_records ORDER BY id DESC LIMIT 1").query().singleRow();
    }
}
