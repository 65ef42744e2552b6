package dev.switchboard.usage.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.config.Database;
import dev.switchboard.config.SwitchboardProperties.Price;
import dev.switchboard.testsupport.TestPostgres;
import dev.switchboard.usage.UsageFilter;
import dev.switchboard.usage.UsageGroupBy;
import dev.switchboard.usage.UsageQueries;
import dev.switchboard.usage.UsageRecord;
import dev.switchboard.usage.UsageWriter;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Not a test: fills a file H2 database with 1,000,000 usage rows spread over the last 365 days (raw rows in bulk,
 * then the V4 and V6 migrations build the rollups from them, then 1,000 more through the real {@link UsageWriter}), and
 * prints the median time of each dashboard query. Run:
 * {@code ./mvnw -B -Pbench-usage -Dsb.buildDir=target-usage test-compile exec:java} (args: rows, database path;
 * delete the database to regenerate). A second run reuses the database.
 */
public final class UsageBenchmark {
    private static final String[] MODELS = {"gpt-5.5", "gpt-4.1-mini", "claude-sonnet-4.5", "mistral-large", "llama-3.3-70b", "offline"};
    private static final double[] MODEL_WEIGHTS = {0.40, 0.25, 0.15, 0.08, 0.07, 0.05};
    private static final String[] UPSTREAMS = {"agent-router", "openrouter", "local"};
    private static final int USERS = 200;
    private static final int DAYS = 365;
    private static final int RUNS = 7;
    private static final Map<String, Price> PRICES = Map.of(
            "gpt-5.5", new Price(new BigDecimal("1.25"), new BigDecimal("10")),
            "gpt-4.1-mini", new Price(new BigDecimal("0.40"), new BigDecimal("1.60")),
            "claude-sonnet-4.5", new Price(new BigDecimal("3"), new BigDecimal("15")),
            "mistral-large", new Price(new BigDecimal("2"), new BigDecimal("6")));

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        Path db = Path.of(args.length > 1 ? args[1] : "target-usage/bench-usage/usage").toAbsolutePath();
        // -Dbench.db=postgres: the same on PostgreSQL (Maven Central's binaries, its own durability settings), its files
        // next to the H2 file's, kept for the next run as the H2 file is.
        boolean postgres = "postgres".equals(System.getProperty("bench.db", "h2"));
        Database database = postgres ? Database.POSTGRESQL : Database.H2;
        String[] migrations = database.migrationLocations().toArray(String[]::new);
        EmbeddedPostgres server = postgres ? TestPostgres.start(db.resolveSibling("postgres"), 0, true) : null;
        try {
            // Without OPTIMIZE_REUSE_RESULTS=FALSE, H2 hands back the previous result of an identical query on unchanged
            // tables: not a measurement. bench.h2 adds settings, e.g. -Dbench.h2=";CACHE_SIZE=262144".
            String url = postgres ? server.getJdbcUrl("postgres", "postgres") + "&reWriteBatchedInserts=true"
                    : "jdbc:h2:file:" + db + ";OPTIMIZE_REUSE_RESULTS=FALSE" + System.getProperty("bench.h2", "");
            System.out.printf("Usage dashboard on %s%n", database);
            run(url, postgres ? "postgres" : "sa", rows, migrations, postgres);
        } finally {
            if (server != null) server.close();
        }
    }

    private static void run(String url, String user, long rows, String[] migrations, boolean postgres) {
        try (HikariDataSource ds = dataSource(url, user)) {
            JdbcTemplate jdbc = new JdbcTemplate(ds);
            Flyway.configure().dataSource(ds).locations(migrations).target("2").load().migrate();
            boolean fresh = count(jdbc, "usage_records") == 0;
            if (fresh) load(jdbc, rows);
            long t = System.nanoTime();
            var migrated = Flyway.configure().dataSource(ds).locations(migrations).load().migrate();
            if (migrated.migrationsExecuted > 0) System.out.printf("Migrations %s (rollups of %,d rows): %.1f s%n",
                    migrated.migrations.stream().map(m -> m.version).toList(), count(jdbc, "usage_records"), (System.nanoTime() - t) / 1e9);
            // The real writer too: rows + six rollups, one transaction per batch.
            UsageWriter writer = new UsageWriter(jdbc, new DataSourceTransactionManager(ds), PRICES);
            Random random = new Random();
            t = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                List<UsageRecord> batch = new ArrayList<>();
                for (int j = 0; j < 50; j++) batch.add(record(random, Instant.now()));
                writer.write(batch);
            }
            System.out.printf("UsageWriter: 20 batches of 50 rows: %.1f ms per batch%n", (System.nanoTime() - t) / 1e6 / 20);
            // a bulk load leaves H2's file fragmented; a running app compacts in the background
            if (!postgres) jdbc.execute("SHUTDOWN COMPACT");
        }
        try (HikariDataSource ds = dataSource(url, user)) {
            JdbcTemplate jdbc = new JdbcTemplate(ds);
            jdbc.execute("ANALYZE");
            System.out.printf("%nusage_records: %,d rows; usage_daily: %,d; usage_daily_user: %,d; usage_daily_model: %,d;"
                    + " usage_monthly: %,d; usage_monthly_user: %,d; usage_monthly_model: %,d%n", count(jdbc, "usage_records"),
                    count(jdbc, "usage_daily"), count(jdbc, "usage_daily_user"), count(jdbc, "usage_daily_model"),
                    count(jdbc, "usage_monthly"), count(jdbc, "usage_monthly_user"), count(jdbc, "usage_monthly_model"));
            JdbcClient client = JdbcClient.create(ds);
            measure(new UsageQueries(client));
            measureQuotaCheck(client);
        }
    }

    private static HikariDataSource dataSource(String url, String user) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(url);
        ds.setUsername(user);
        ds.setMaximumPoolSize(2);
        return ds;
    }

    private static long count(JdbcTemplate jdbc, String table) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
    }

    /** Raw rows only, in big batches; the migration then builds the rollups from them as it would in production. */
    private static void load(JdbcTemplate jdbc, long n) {
        UsageWriter pricing = new UsageWriter(jdbc, new DataSourceTransactionManager(jdbc.getDataSource()), PRICES);
        Random random = new Random(42);
        Instant now = Instant.now();
        long t0 = System.nanoTime();
        List<Object[]> batch = new ArrayList<>(10_000);
        for (long i = 0; i < n; i++) {
            UsageRecord r = record(random, now);
            batch.add(new Object[] {r.generationId(), r.username(), r.conversationId(), r.requestedModel(), r.servedModel(),
                    r.upstream(), r.promptTokens(), r.completionTokens(), r.promptTokens() + r.completionTokens(), r.estimated(),
                    pricing.cost(r), r.status(), r.failovers(), r.error(), r.ttftMillis(), r.durationMillis(),
                    r.startedAt().atOffset(ZoneOffset.UTC), r.endedAt().atOffset(ZoneOffset.UTC)});
            if (batch.size() == 10_000 || i == n - 1) {
                jdbc.batchUpdate("""
                        INSERT INTO usage_records (generation_id, username, conversation_id, requested_model, served_model,
                            upstream, prompt_tokens, completion_tokens, total_tokens, estimated, cost_usd, status, failovers,
                            error, ttft_ms, duration_ms, started_at, ended_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", batch);
                batch.clear();
            }
        }
        System.out.printf("Loaded %,d raw rows in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
    }

    private static UsageRecord record(Random random, Instant now) {
        // A few heavy users, a long tail: user k with probability ~ 1/(k+1).
        int user = (int) Math.min(USERS - 1, Math.floor(Math.exp(random.nextDouble() * Math.log(USERS + 1)) - 1));
        String model = MODELS[pick(random, MODEL_WEIGHTS)];
        double s = random.nextDouble();
        String status = s < 0.93 ? "completed" : s < 0.96 ? "stopped" : s < 0.985 ? "failed" : "interrupted";
        boolean failed = status.equals("failed");
        int failovers = random.nextDouble() < 0.03 ? 1 + random.nextInt(2) : 0;
        String upstream = failed ? null : UPSTREAMS[Math.min(UPSTREAMS.length - 1, failovers + (random.nextDouble() < 0.1 ? 1 : 0))];
        long prompt = 20 + (long) (random.nextDouble() * random.nextDouble() * 6000);
        long completion = failed ? 0 : 1 + (long) (random.nextDouble() * 1500);
        Instant start = now.minus(random.nextInt(DAYS * 24 * 60), ChronoUnit.MINUTES).minusMillis(random.nextInt(60_000));
        Long ttft = failed ? null : 150L + (long) Math.abs(random.nextGaussian() * 600);
        long duration = (ttft == null ? 800 : ttft) + completion * 15;
        return new UsageRecord(UUID.randomUUID().toString(), "user" + user, UUID.randomUUID().toString(), model,
                failed ? null : model, upstream, prompt, completion, random.nextDouble() < 0.08 || !status.equals("completed"),
                status, failovers, failed ? "The upstream failed: simulated." : null, ttft, duration, start,
                start.plusMillis(duration), List.of());
    }

    private static int pick(Random random, double[] weights) {
        double x = random.nextDouble();
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) return i;
        }
        return weights.length - 1;
    }

    private static void measure(UsageQueries q) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Map<String, UsageFilter> filters = new LinkedHashMap<>();
        filters.put("last 30 days", new UsageFilter(today.minusDays(29), today, null, null));
        filters.put("all 366 days (1M rows)", new UsageFilter(today.minusDays(DAYS), today, null, null));
        filters.put("all days, model gpt-5.5", new UsageFilter(today.minusDays(DAYS), today, null, "gpt-5.5"));
        filters.put("all days, user0 (13 %)", new UsageFilter(today.minusDays(DAYS), today, "user0", null));
        filters.put("30 days, user0 (heaviest)", new UsageFilter(today.minusDays(29), today, "user0", null));
        filters.put("30 days, model gpt-5.5", new UsageFilter(today.minusDays(29), today, null, "gpt-5.5"));
        filters.put("all days, user0 + gpt-5.5", new UsageFilter(today.minusDays(DAYS), today, "user0", "gpt-5.5"));
        // Ten whole months less a day at either end: each edge month is its monthly row less one day.
        LocalDate lastMonth = today.withDayOfMonth(1).minusMonths(1);
        filters.put("mid-month edges, gpt-5.5", new UsageFilter(lastMonth.minusMonths(10).plusDays(1),
                lastMonth.plusMonths(1).minusDays(2), null, "gpt-5.5"));
        // The worst case for monthly rollups: an edge month half in the range (16th to 15th), ~15 days at either
        // edge read day by day (added to the months, or taken from a month).
        UsageFilter halfMonthEdges = new UsageFilter(lastMonth.minusMonths(10).withDayOfMonth(16),
                lastMonth.withDayOfMonth(15), null, null);
        filters.put("half-month edges", halfMonthEdges);
        filters.put("half-month edges, gpt-5.5", halfMonthEdges.withModel("gpt-5.5"));
        // Refreshes of every filter first: otherwise the first line also times the JIT compiling the query path.
        for (int i = 0; i < 10; i++) filters.values().forEach(f -> dashboard(q, f));
        System.out.printf("%nMedian of %d runs after 2 warm-ups, milliseconds:%n", RUNS);
        System.out.printf("%-28s %8s %8s %8s %8s %8s %8s %8s %8s %9s%n", "filter", "totals", "rawMed", "byUser", "byModel",
                "byDay", "byUpstr", "chart", "lists", "dashboard");
        for (var e : filters.entrySet()) {
            UsageFilter f = e.getValue();
            double totals = time(() -> q.totals(f)); // rollup sums plus the median over raw rows
            double median = time(() -> q.medianTtftMillis(f));
            double byUser = time(() -> q.grouped(f, UsageGroupBy.USER));
            double byModel = time(() -> q.grouped(f, UsageGroupBy.MODEL));
            double byDay = time(() -> q.grouped(f, UsageGroupBy.DAY));
            double byUpstream = time(() -> q.grouped(f, UsageGroupBy.UPSTREAM));
            double chart = time(() -> q.perDayByModel(f));
            double lists = time(() -> List.of(q.users(f), q.models(f)));
            double all = time(() -> dashboard(q, f));
            System.out.printf("%-28s %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %9.1f%n", e.getKey(), totals,
                    median, byUser, byModel, byDay, byUpstream, chart, lists, all);
        }
        System.out.println("(totals = rollup sums + median TTFT, exact up to " + UsageQueries.EXACT_MEDIAN_LIMIT / 1000 + "k first tokens (" + UsageQueries.EXACT_MEDIAN_LIMIT_FILTERED / 1000 + "k with a filter), else histogram; rawMed = exact median alone; dashboard = everything one refresh of /admin/usage runs)");
    }

    /**
     * The daily quota check every chat request of a user with a quota runs (its used part: the daily per-user rollup), against what it cost when it summed the user's raw rows of the day; the rows of 7 and 30 days
     * stand in for a user who made that many requests in one day.
     */
    private static void measureQuotaCheck(JdbcClient jdbc) {
        UsageQueries usage = new UsageQueries(jdbc);
        System.out.printf("%nQuota check, user0, median of %d runs after 2 warm-ups:%n", RUNS);
        System.out.printf("  tokensOn (one rollup row; the check adds a sum over the user's usage_running rows): %.3f ms%n",
                time(() -> usage.tokensOn("user0", LocalDate.now(ZoneOffset.UTC))));
        for (int days : new int[] {0, 7, 30}) {
            Instant from = LocalDate.now(ZoneOffset.UTC).minusDays(days).atStartOfDay(ZoneOffset.UTC).toInstant();
            long rows = jdbc.sql("SELECT COUNT(*) FROM usage_records WHERE username = ? AND started_at >= ?")
                    .params("user0", from.atOffset(ZoneOffset.UTC)).query(Long.class).single();
            double ms = time(() -> jdbc.sql("SELECT COALESCE(SUM(total_tokens), 0) FROM usage_records WHERE username = ? AND started_at >= ?")
                    .params("user0", from.atOffset(ZoneOffset.UTC)).query(Long.class).single());
            System.out.printf("  before, summing the raw rows since %d days ago (%,d rows): %.2f ms%n", days, rows, ms);
        }
    }

    /** What one refresh of /admin/usage runs. */
    private static List<?> dashboard(UsageQueries q, UsageFilter f) {
        return List.of(q.totals(f), q.grouped(f, UsageGroupBy.USER), q.grouped(f, UsageGroupBy.MODEL), q.perDayByModel(f),
                q.users(f), q.models(f));
    }

    private static double time(Supplier<?> query) {
        for (int i = 0; i < 2; i++) query.get();
        double[] ms = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long t = System.nanoTime();
            query.get();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms[RUNS / 2];
    }
}
