package dev.switchboard.migrate;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.admin.users.AuditAction;
import dev.switchboard.admin.users.AuditLog;
import dev.switchboard.security.ApiTokens;
import dev.switchboard.testsupport.TestPostgres;
import dev.switchboard.usage.UsageRecord;
import dev.switchboard.usage.UsageWriter;
import dev.switchboard.users.ColorScheme;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The documented move from H2: an H2 database with users, tokens, preferences, conversations, usage (rows, attempts,
 * rollups) and audit entries, copied by the command into an empty PostgreSQL database, arrives whole; PostgreSQL then
 * hands out new ids; and a database that is not empty is refused.
 */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:copy-source-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Copy-admin-pass-1"})
@DirtiesContext
class MigrateFromH2Test {
    /** What the issue names: these must have rows in the H2 database, so the comparison covers them. */
    private static final List<String> FILLED = List.of("users", "api_tokens", "conversations", "messages",
            "usage_records", "upstream_attempts", "usage_daily", "usage_daily_model", "usage_daily_user", "usage_monthly",
            "usage_monthly_model", "usage_monthly_user", "audit_log");

    @Autowired DataSource h2;
    @Autowired UserAccounts users;
    @Autowired ApiTokens tokens;
    @Autowired AuditLog audit;
    @Autowired JdbcClient jdbc;
    @Autowired JdbcTemplate jdbcTemplate;
    @Autowired PlatformTransactionManager tx;

    @Test
    void everyRowOfAnH2DatabaseArrivesInPostgresAndNewRowsGetNewIds() throws Exception {
        fill();
        String postgres = TestPostgres.newDatabase();

        Map<String, Long> copied = MigrateFromH2.run(args(postgres));

        JdbcClient pg = JdbcClient.create(new DriverManagerDataSource(postgres));
        assertThat(copied.keySet()).containsAll(FILLED);
        for (String table : copied.keySet()) {
            List<String> source = rows(jdbc, table), target = rows(pg, table);
            assertThat(target).as(table).hasSize(copied.get(table).intValue()).isEqualTo(source);
            if (FILLED.contains(table)) assertThat(source).as(table).isNotEmpty();
        }
        List<Map<String, Object>> identities = pg.sql("SELECT table_name, column_name FROM information_schema.columns"
                + " WHERE table_schema = 'public' AND is_identity = 'YES'").query().listOfRows();
        assertThat(identities).hasSizeGreaterThanOrEqualTo(6);
        for (Map<String, Object> identity : identities) { // each continues after the copied ids
            String table = (String) identity.get("table_name"), column = (String) identity.get("column_name");
            long max = pg.sql("SELECT COALESCE(MAX(" + column + "), 0) FROM " + table).query(Long.class).single();
            assertThat(pg.sql("SELECT nextval(pg_get_serial_sequence(?, ?))").params(table, column).query(Long.class).single())
                    .as(table).isGreaterThan(max);
        }
        long newUser = pg.sql("INSERT INTO users (username, password_hash, role) VALUES ('newcomer', 'x', 'USER') RETURNING id")
                .query(Long.class).single();
        assertThat(newUser).isGreaterThan(jdbc.sql("SELECT MAX(id) FROM users").query(Long.class).single());
        assertThat(pg.sql("SELECT username FROM users WHERE username_key = 'alice'").query(String.class).single())
                .isEqualTo("Alice"); // the computed column, computed again
    }

    @Test
    void aDatabaseThatIsNotEmptyIsRefusedAndLeftAsItWas() throws Exception {
        String postgres = TestPostgres.newDatabase();
        MigrateFromH2.run(args(postgres));
        JdbcClient pg = JdbcClient.create(new DriverManagerDataSource(postgres));
        List<String> before = rows(pg, "users");

        assertThatThrownBy(() -> MigrateFromH2.run(args(postgres))).hasStackTraceContaining("not empty");
        assertThat(rows(pg, "users")).isEqualTo(before);
    }

    private String[] args(String postgres) {
        return new String[] {"--" + MigrateFromH2.FROM + "=" + ((HikariDataSource) h2).getJdbcUrl(),
                "--spring.datasource.url=" + postgres, "--spring.datasource.username=postgres", "--spring.datasource.password="};
    }

    private void fill() {
        users.create("Alice", "Alice Liddell", "alice-password-1", Role.USER);
        users.setColorScheme("alice", ColorScheme.DARK);
        users.setDailyTokenQuota("alice", 50_000L);
        users.create("bob", "bob-password-1", Role.ADMIN);
        tokens.create("alice", "laptop");
        tokens.revoke("alice", tokens.create("alice", "old").id());
        audit.record("admin", AuditAction.USER_CREATED, "alice", "with a quota");
        Instant at = Instant.parse("2026-11-30T23:59:58Z");
        UsageWriter writer = new UsageWriter(jdbcTemplate, tx, Map.of());
        List<UsageRecord> usage = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Instant started = at.plusSeconds(i * 3_600L);
            usage.add(new UsageRecord(UUID.randomUUID().toString(), i % 3 == 0 ? "bob" : "alice", null, "gpt-5.5",
                    "gpt-5.5", i % 5 == 0 ? null : "mock", 100 + i, 20 * i, i % 4 == 0, i % 7 == 0 ? "stopped" : "completed",
                    i % 6 == 0 ? 1 : 0, null, 50L + i, 900, started, started.plusMillis(900),
                    List.of(new UsageRecord.Attempt("mock", "ok", 40 + i, started))));
        }
        writer.write(usage);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (int c = 0; c < 3; c++) {
            String id = UUID.randomUUID().toString();
            jdbc.sql("INSERT INTO conversations (id, username, title, model, system_prompt, pinned, created_at, updated_at)"
                    + " VALUES (?, 'alice', ?, 'gpt-5.5', ?, ?, ?, ?)").params(id, "Chat " + c, c == 0 ? "Be brief." : null,
                    c == 1, now, now).update();
            Long parent = null;
            for (int m = 0; m < 4; m++) {
                boolean user = m % 2 == 0;
                KeyHolder key = new GeneratedKeyHolder();
                jdbc.sql("INSERT INTO messages (conversation_id, parent_id, role, content, model, upstream, status,"
                                + " prompt_tokens, completion_tokens, estimated, generation_id, created_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                        .params(id, parent, user ? "USER" : "ASSISTANT", "message " + m + " of " + c + " — ünïcödé",
                                user ? null : "gpt-5.5", user ? null : "mock", "COMPLETED", user ? null : 12L,
                                user ? null : 34L, user ? null : Boolean.FALSE, user ? null : UUID.randomUUID().toString(), now)
                        .update(key, "id");
                parent = key.getKeyAs(Number.class).longValue();
            }
        }
    }

    /** Every row of a table, each as its columns' values (normalised across the two drivers), sorted. */
    private static List<String> rows(JdbcClient db, String table) {
        return db.sql("SELECT * FROM " + table).query((rs, n) -> {
            Map<String, Object> row = new TreeMap<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(), normalised(rs.getObject(i)));
            }
            return row.toString();
        }).list().stream().sorted().toList();
    }

    private static Object normalised(Object v) {
        if (v instanceof OffsetDateTime t) return t.toInstant();
        if (v instanceof java.sql.Timestamp t) return t.toInstant();
        if (v instanceof java.sql.Date d) return d.toLocalDate();
        if (v instanceof LocalDate d) return d;
        if (v instanceof BigDecimal d) return d.stripTrailingZeros().toPlainString();
        if (v instanceof Number n) return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
        if (v instanceof byte[] b) return HexFormat.of().formatHex(b);
        return v;
    }
}
