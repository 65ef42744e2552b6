package dev.switchboard.usage;

import dev.switchboard.config.Database;
import dev.switchboard.config.SwitchboardProperties.Price;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Usage recorded before the rollups existed: V4 builds the daily rollups from the raw rows, V6 the monthly ones from
 * the daily ones, and afterwards the writer keeps all of them; the sums stay those of the raw rows throughout.
 */
class UsageRollupMigrationTest {
    private static final String[] H2_MIGRATIONS = Database.H2.migrationLocations().toArray(String[]::new);
    private static final Map<String, Price> PRICES = Map.of("gpt-5.5", new Price(new BigDecimal("1.25"), new BigDecimal("10")));

    @Test
    void migrationsBackFillTheRollupsFromRowsWrittenBefore() {
        DriverManagerDataSource ds = new DriverManagerDataSource(
                "jdbc:h2:mem:usage-migration-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        JdbcTemplate template = new JdbcTemplate(ds);
        Flyway.configure().dataSource(ds).locations(H2_MIGRATIONS).target("2").load().migrate();
        UsageWriter writer = new UsageWriter(template, new DataSourceTransactionManager(ds), PRICES);
        Random random = new Random(11);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            UsageRecord r = record(random);
            rows.add(new Object[] {r.generationId(), r.username(), r.conversationId(), r.requestedModel(), r.servedModel(),
                    r.upstream(), r.promptTokens(), r.completionTokens(), r.promptTokens() + r.completionTokens(), r.estimated(),
                    writer.cost(r), r.status(), r.failovers(), r.ttftMillis(), r.durationMillis(),
                    r.startedAt().atOffset(ZoneOffset.UTC), r.endedAt().atOffset(ZoneOffset.UTC)});
        }
        template.batchUpdate("""
                INSERT INTO usage_records (generation_id, username, conversation_id, requested_model, served_model, upstream,
                    prompt_tokens, completion_tokens, total_tokens, estimated, cost_usd, status, failovers, ttft_ms,
                    duration_ms, started_at, ended_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows);
        Flyway.configure().dataSource(ds).locations(H2_MIGRATIONS).load().migrate();

        JdbcClient jdbc = JdbcClient.create(ds);
        UsageQueries queries = new UsageQueries(jdbc);
        RawUsage.assertRollupTablesMatch(jdbc);
        assertAllMatch(jdbc, queries);

        List<UsageRecord> later = new ArrayList<>();
        for (int i = 0; i < 100; i++) later.add(record(random));
        writer.write(later);
        RawUsage.assertRollupTablesMatch(jdbc);
        assertAllMatch(jdbc, queries);
    }

    private static void assertAllMatch(JdbcClient jdbc, UsageQueries queries) {
        UsageFilter f = new UsageFilter(LocalDate.parse("2025-11-20"), LocalDate.parse("2026-03-02"), null, null);
        for (UsageFilter g : List.of(f, f.withModel("gpt-5.5"), f.withUser("u1"), f.withUser("u1").withModel("gpt-5.5"))) {
            RawUsage.assertQueriesMatch(jdbc, queries, g);
        }
    }

    /** Between 2025-11-01 and 2026-03-31, UTC. */
    private static UsageRecord record(Random random) {
        Instant start = Instant.parse("2025-11-01T00:00:00Z").plusSeconds(random.nextInt(151 * 86_400));
        String model = random.nextBoolean() ? "gpt-5.5" : "local-model";
        String status = random.nextInt(10) == 0 ? "failed" : "completed";
        return new UsageRecord(UUID.randomUUID().toString(), "u" + random.nextInt(4), null, model, model,
                status.equals("failed") ? null : "mock", 1 + random.nextInt(3000), random.nextInt(900), random.nextBoolean(),
                status, random.nextInt(3), null, status.equals("failed") ? null : (long) random.nextInt(5000), 1000, start,
                start.plusSeconds(1), List.of());
    }
}
