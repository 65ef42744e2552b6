package dev.switchboard.usage;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.PlatformTransactionManager;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writer against the real schema: a batch written again after its commit (a retry whose answer was lost) adds
 * only the rows not stored yet, to the rows, attempts and rollups alike; a running generation's row is moved to
 * usage_records once, at its end.
 */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:usage-writer-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1"})
@DirtiesContext
class UsageWriterTest {
    private static final Instant AT = Instant.parse("2026-03-04T05:06:07Z");

    @Autowired
    JdbcTemplate jdbcTemplate;
    @Autowired
    PlatformTransactionManager tx;
    @Autowired
    JdbcClient jdbc;

    private static UsageRecord row(String user) {
        return UsageRecords.of(user, "writer-model", "mock", 10, 20, "completed", 100L, AT,
                List.of(new UsageRecord.Attempt("mock", "ok", 5, AT)));
    }

    @Test
    void aBatchWrittenAgainAfterItsCommitAddsOnlyTheRowsNotStoredYet() {
        UsageWriter writer = new UsageWriter(jdbcTemplate, tx, Map.of());
        UsageRecord a = row("writer-a"), b = row("writer-b"), c = row("writer-c");
        writer.write(List.of(a, b));
        writer.write(List.of(b, c, c)); // b is stored; c comes twice in the batch

        assertThat(count("SELECT COUNT(*) FROM usage_records WHERE requested_model = 'writer-model'")).isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM upstream_attempts WHERE generation_id IN ('%s', '%s', '%s')"
                .formatted(a.generationId(), b.generationId(), c.generationId()))).isEqualTo(3);
        for (String rollup : List.of("usage_daily_model", "usage_monthly_model")) {
            assertThat(count("SELECT SUM(requests) FROM " + rollup + " WHERE model = 'writer-model'")).as(rollup).isEqualTo(3);
            assertThat(count("SELECT SUM(completion_tokens) FROM " + rollup + " WHERE model = 'writer-model'")).as(rollup).isEqualTo(60);
        }
        assertThat(count("SELECT SUM(requests) FROM usage_daily_user WHERE username = 'writer-b'")).isEqualTo(1);
    }

    @Test
    void aRunningGenerationLivesInUsageRunningUntilItsEndMovesItToUsageRecordsOnce() {
        UsageWriter writer = new UsageWriter(jdbcTemplate, tx, Map.of());
        UsageRecord ended = UsageRecords.of("writer-running", "running-model", "mock", 10, 20, "completed", 100L, AT);
        UsageRecord started = progress(ended, 0, AT);
        writer.write(List.of(started));
        writer.write(List.of(progress(ended, 7, AT.plusMillis(500))));
        String id = ended.generationId();
        assertThat(count("SELECT completion_tokens FROM usage_running WHERE generation_id = '" + id + "'")).isEqualTo(7);
        assertThat(count("SELECT COUNT(*) FROM usage_records WHERE generation_id = '" + id + "'")).isZero();
        assertThat(writer.runningSince(AT.plusSeconds(1))).extracting(UsageRecord::completionTokens).containsExactly(7L);
        assertThat(writer.runningSince(AT.plusMillis(500))).as("saved since").isEmpty();

        writer.write(List.of(ended, progress(ended, 9, AT.plusMillis(900)))); // a progress save queued after its end
        writer.write(List.of(progress(ended, 11, AT.plusSeconds(2)))); // and one in the next batch
        assertThat(count("SELECT COUNT(*) FROM usage_running WHERE generation_id = '" + id + "'")).isZero();
        assertThat(count("SELECT completion_tokens FROM usage_records WHERE generation_id = '" + id + "'")).isEqualTo(20);
        assertThat(count("SELECT SUM(requests) FROM usage_daily_user WHERE username = 'writer-running'")).isEqualTo(1);

        writer.write(List.of(ended.ended("interrupted", "gone", AT.plusSeconds(3)))); // a late sweep of another instance
        assertThat(jdbc.sql("SELECT status FROM usage_records WHERE generation_id = ?").param(id).query(String.class).single())
                .isEqualTo("completed");
        assertThat(count("SELECT SUM(requests) FROM usage_daily_user WHERE username = 'writer-running'")).isEqualTo(1);
    }

    private static UsageRecord progress(UsageRecord r, long completion, Instant savedAt) {
        return new UsageRecord(r.generationId(), r.username(), r.conversationId(), r.requestedModel(), r.servedModel(),
                r.upstream(), r.promptTokens(), completion, true, UsageWriter.RUNNING, 0, null, null, 0, r.startedAt(),
                savedAt, List.of());
    }

    @Test
    void h2KeepsMoreParsedStatementsThanTheWriterRunsPerBatch() throws Exception {
        // rows, attempts and six rollups: 8 statements per batch, H2's default cache size. The setting is in the
        // datasource URL of application.properties (this test runs on its own in-memory URL): a database opened with
        // that URL's settings uses it.
        Properties app = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            app.load(in);
        }
        String url = app.getProperty("spring.datasource.url");
        assertThat(url).startsWith("jdbc:h2:file:").contains(";QUERY_CACHE_SIZE=64");
        String settings = url.substring(url.indexOf(';'));
        try (HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl("jdbc:h2:mem:usage-writer-settings-" + UUID.randomUUID() + settings);
            assertThat(JdbcClient.create(ds)
                    .sql("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'QUERY_CACHE_SIZE'")
                    .query(String.class).single()).isEqualTo("64");
        }
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
