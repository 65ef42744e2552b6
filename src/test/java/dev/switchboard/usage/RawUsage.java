package dev.switchboard.usage;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sums straight from {@code usage_records}, to check that whatever rollups {@link UsageQueries} reads (daily,
 * monthly, or both around month edges) add up to exactly the same.
 */
final class RawUsage {
    private static final String SUMS = "COUNT(*), SUM(prompt_tokens), SUM(completion_tokens), SUM(cost_usd),"
            + " SUM(CASE WHEN cost_usd IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN estimated THEN 1 ELSE 0 END),"
            + " SUM(CASE WHEN status IN ('failed', 'interrupted') THEN 1 ELSE 0 END),"
            + " SUM(CASE WHEN status = 'stopped' THEN 1 ELSE 0 END), SUM(failovers)";

    private RawUsage() {}

    /** Totals, every grouping and the user and model lists of {@code f} equal the raw rows'. */
    static void assertQueriesMatch(JdbcClient jdbc, UsageQueries queries, UsageFilter f) {
        assertThat(values(queries.totals(f).sums())).as("totals of %s", f).isEqualTo(raw(jdbc, f, null).get("total"));
        for (UsageGroupBy by : UsageGroupBy.values()) {
            Map<String, List<Object>> rollup = queries.grouped(f, by).stream()
                    .collect(Collectors.toMap(UsageRow::group, RawUsage::values, (a, b) -> a, TreeMap::new));
            assertThat(rollup).as("%s by %s", f, by).isEqualTo(raw(jdbc, f, by));
        }
        assertThat(queries.users(f)).as("users of %s", f).isEqualTo(jdbc.sql(
                "SELECT DISTINCT username FROM usage_records WHERE started_at >= ? AND started_at < ? ORDER BY username")
                .params(f.startInclusive(), f.endExclusive()).query(String.class).list());
        assertThat(queries.models(f)).as("models of %s", f).isEqualTo(jdbc.sql(
                "SELECT DISTINCT requested_model FROM usage_records WHERE started_at >= ? AND started_at < ? ORDER BY 1")
                .params(f.startInclusive(), f.endExclusive()).query(String.class).list());
    }

    /** Every rollup table, daily and monthly, holds the same grand sums (TTFT histogram included) as the raw rows. */
    static void assertRollupTablesMatch(JdbcClient jdbc) {
        String sums = UsageRollup.MEASURES.stream().map(m -> "SUM(" + m + ")").collect(Collectors.joining(", "));
        List<Object> expected = jdbc.sql("SELECT COUNT(*), SUM(prompt_tokens), SUM(completion_tokens), COUNT(ttft_ms),"
                + " SUM(cost_usd) FROM usage_records").query((rs, i) -> List.<Object>of(rs.getLong(1), rs.getLong(2),
                rs.getLong(3), rs.getLong(4), plain(rs.getBigDecimal(5)))).single();
        for (UsageRollup.Table t : UsageRollup.Table.values()) {
            List<Object> actual = jdbc.sql("SELECT " + sums + " FROM " + t.name).query((rs, i) -> {
                long firstTokens = 0;
                for (String b : UsageRollup.BUCKET_COLUMNS) firstTokens += rs.getLong(UsageRollup.MEASURES.indexOf(b) + 1);
                return List.<Object>of(rs.getLong(1), rs.getLong(2), rs.getLong(3), firstTokens, plain(rs.getBigDecimal(5)));
            }).single();
            assertThat(actual).as(t.name).isEqualTo(expected);
        }
    }

    private static Map<String, List<Object>> raw(JdbcClient jdbc, UsageFilter f, UsageGroupBy by) {
        String g = by == null ? "'total'" : switch (by) {
            case USER -> "username";
            case MODEL -> "requested_model";
            case DAY -> "CAST(started_at AT TIME ZONE 'UTC' AS DATE)";
            case UPSTREAM -> "COALESCE(upstream, '')";
        };
        StringBuilder sql = new StringBuilder("SELECT " + g + " AS g, " + SUMS
                + " FROM usage_records WHERE started_at >= ? AND started_at < ?");
        List<Object> params = new ArrayList<>(List.of(f.startInclusive(), f.endExclusive()));
        if (f.user() != null) {
            sql.append(" AND username = ?");
            params.add(f.user());
        }
        if (f.model() != null) {
            sql.append(" AND requested_model = ?");
            params.add(f.model());
        }
        if (by != null) sql.append(" GROUP BY ").append(g);
        Map<String, List<Object>> out = new TreeMap<>();
        jdbc.sql(sql.toString()).params(params).query((ResultSet rs) -> {
            String group = by == UsageGroupBy.DAY ? rs.getObject("g", LocalDate.class).toString() : rs.getString("g");
            if (by == UsageGroupBy.UPSTREAM && group.isEmpty()) group = UsageQueries.NO_UPSTREAM;
            out.put(group, values(rs));
        });
        return out;
    }

    private static List<Object> values(ResultSet rs) throws SQLException {
        return Arrays.asList(rs.getLong(2), rs.getLong(3), rs.getLong(4), plain(rs.getBigDecimal(5)), rs.getLong(6),
                rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10));
    }

    private static List<Object> values(UsageRow r) {
        return Arrays.asList(r.requests(), r.promptTokens(), r.completionTokens(), plain(r.costUsd()), r.unpricedRequests(),
                r.estimatedRequests(), r.errors(), r.stopped(), r.failovers());
    }

    /** Cost as a scale-free string, null when nothing is priced. */
    private static String plain(BigDecimal d) {
        return d == null ? null : d.stripTrailingZeros().toPlainString();
    }
}
