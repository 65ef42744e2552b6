package dev.switchboard.usage;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The read side of usage, for the dashboard, "My usage" and the API. Sums come from the smallest rollups that
 * answer the filter, monthly ones for the months of the range where that reads fewer rows
 * ({@link UsageRollup#slices}); the median time to first token is exact from the raw rows (through the
 * {@code (started_at, ttft_ms)} index) up to {@link #EXACT_MEDIAN_LIMIT} first tokens (fewer with a filter), else
 * from the histogram.
 */
@Service
public class UsageQueries {
    /** Shown as the group of requests no upstream answered. */
    public static final String NO_UPSTREAM = "(none)";

    /**
     * Up to this many first tokens the median is exact (raw rows); above it, it is read from the TTFT histogram.
     * Without a user/model filter the (started_at, ttft_ms) index covers the scan (~0.4 µs a row; ~0.9 µs on the
     * twelfth round's slower machine, where 100,000 made the default 30-day dashboard take 108 ms); with one, each
     * row is looked up (~25 µs), hence the lower limit. Both keep the median under ~50 ms.
     */
    public static final long EXACT_MEDIAN_LIMIT = 50_000;
    public static final long EXACT_MEDIAN_LIMIT_FILTERED = 2_000;

    private final JdbcClient jdbc;

    public UsageQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public UsageTotals totals(UsageFilter f) {
        Where w = source(f, null, UsageRollup.MEASURES);
        long[] histogram = new long[UsageRollup.BUCKETS];
        UsageRow sums = jdbc.sql("SELECT " + UsageRollup.sumsSelect(UsageRollup.MEASURES) + w.sql).params(w.params)
                .query((rs, i) -> {
                    for (int b = 0; b < histogram.length; b++) histogram[b] = rs.getLong(UsageRollup.BUCKET_COLUMNS.get(b));
                    return row(rs, "total");
                }).single();
        long firstTokens = java.util.Arrays.stream(histogram).sum();
        long limit = f.user() == null && f.model() == null ? EXACT_MEDIAN_LIMIT : EXACT_MEDIAN_LIMIT_FILTERED;
        if (firstTokens <= limit) return new UsageTotals(sums, medianTtftMillis(f), false);
        return new UsageTotals(sums, UsageRollup.medianFromHistogram(histogram), true);
    }

    /**
     * Tokens the user used on that UTC day, finished generations only: one row of the daily per-user rollup, written
     * in the same transaction as the usage rows (every chat request of a user with a quota asks).
     */
    public long tokensOn(String username, LocalDate day) {
        return jdbc.sql("SELECT prompt_tokens + completion_tokens FROM usage_daily_user WHERE usage_day = ? AND username = ?")
                .params(day, username).query(Long.class).optional().orElse(0L);
    }

    /** One row per group; days in order, the rest by total tokens, largest first. */
    public List<UsageRow> grouped(UsageFilter f, UsageGroupBy by) {
        Where w = source(f, by.column, UsageRollup.SUMS); // a group has no median: no histogram
        String order = by == UsageGroupBy.DAY ? "g" : "SUM(prompt_tokens) + SUM(completion_tokens) DESC, g";
        return jdbc.sql("SELECT " + by.column + " AS g, " + UsageRollup.sumsSelect(UsageRollup.SUMS) + w.sql
                        + " GROUP BY " + by.column + w.having + " ORDER BY " + order)
                .params(w.params)
                .query((rs, i) -> row(rs, label(by, rs))).list();
    }

    /** Tokens and cost per day and model, for the chart. */
    public List<UsageDayModel> perDayByModel(UsageFilter f) {
        UsageRollup.Table t = UsageRollup.Table.forFilter(f, "model");
        Where w = where(f, new UsageRollup.Slice(t, f.from(), f.to()));
        return jdbc.sql("SELECT usage_day, model, SUM(prompt_tokens) + SUM(completion_tokens) AS tokens, SUM(cost_usd) AS cost,"
                        + " SUM(unpriced_requests) AS unpriced, SUM(requests) AS requests" + w.sql
                        + " GROUP BY usage_day, model ORDER BY usage_day, model")
                .params(w.params)
                .query((rs, i) -> new UsageDayModel(rs.getObject("usage_day", LocalDate.class), rs.getString("model"),
                        rs.getLong("tokens"), rs.getLong("unpriced") == rs.getLong("requests") ? null : rs.getBigDecimal("cost"),
                        rs.getLong("unpriced")))
                .list();
    }

    /** Median time to first token over the raw rows of the filter; null when none got a first token. */
    public Long medianTtftMillis(UsageFilter f) {
        StringBuilder sql = new StringBuilder("SELECT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY ttft_ms) FROM usage_records WHERE started_at >= ? AND started_at < ?");
        List<Object> params = new ArrayList<>(List.of(f.startInclusive(), f.endExclusive()));
        if (f.user() != null) {
            sql.append(" AND username = ?");
            params.add(f.user());
        }
        if (f.model() != null) {
            sql.append(" AND requested_model = ?");
            params.add(f.model());
        }
        BigDecimal median = jdbc.sql(sql.toString()).params(params).query(BigDecimal.class).optional().orElse(null);
        return median == null ? null : median.setScale(0, java.math.RoundingMode.HALF_UP).longValue();
    }

    /** Users with usage in the date range (for the filter), ignoring the user and model filters. */
    public List<String> users(UsageFilter f) {
        Where w = source(new UsageFilter(f.from(), f.to(), null, null), "username", List.of());
        return jdbc.sql("SELECT username" + w.sql + " GROUP BY username" + w.having + " ORDER BY username").params(w.params)
                .query(String.class).list();
    }

    /** Models with usage in the date range (for the filter). */
    public List<String> models(UsageFilter f) {
        Where w = source(new UsageFilter(f.from(), f.to(), null, null), "model", List.of());
        return jdbc.sql("SELECT model" + w.sql + " GROUP BY model" + w.having + " ORDER BY model").params(w.params)
                .query(String.class).list();
    }

    private static String label(UsageGroupBy by, ResultSet rs) throws SQLException {
        if (by == UsageGroupBy.DAY) return rs.getObject("g", LocalDate.class).toString();
        String g = rs.getString("g");
        return by == UsageGroupBy.UPSTREAM && g.isEmpty() ? NO_UPSTREAM : g;
    }

    private static UsageRow row(ResultSet rs, String group) throws SQLException {
        long requests = rs.getLong("requests");
        long unpriced = rs.getLong("unpriced_requests");
        BigDecimal cost = requests > unpriced ? rs.getBigDecimal("cost_usd") : null;
        return new UsageRow(group, requests, rs.getLong("prompt_tokens"), rs.getLong("completion_tokens"), cost, unpriced,
                rs.getLong("estimated_requests"), rs.getLong("failed") + rs.getLong("interrupted"), rs.getLong("stopped"), rs.getLong("failovers"));
    }

    /**
     * A {@code FROM ... [WHERE ...]} clause, its parameters, and the {@code HAVING} a grouping needs after it: with
     * rows subtracted, a group whose requests were all outside the range sums to 0 and is not a group of the range.
     */
    private record Where(String sql, List<Object> params, String having) {}

    /**
     * The rollup rows of a filter, with the grouped column and the measures: one table, or the union of months and
     * the days around them (or taken from them), each summed per group first (the outer query sums again).
     */
    private static Where source(UsageFilter f, String groupColumn, List<String> measures) {
        List<UsageRollup.Slice> slices = UsageRollup.slices(f, groupColumn);
        if (slices.size() == 1) return where(f, slices.get(0));
        boolean subtracts = slices.stream().anyMatch(UsageRollup.Slice::subtract);
        List<String> summed = new ArrayList<>(measures);
        if (subtracts && !summed.contains("requests")) summed.add("requests");
        List<String> selects = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        for (UsageRollup.Slice s : slices) {
            Where w = where(f, s);
            List<String> cols = new ArrayList<>();
            if (groupColumn != null) cols.add(groupColumn);
            summed.forEach(m -> cols.add((s.subtract() ? "-" : "") + "SUM(" + m + ") AS " + m));
            selects.add("SELECT " + String.join(", ", cols) + w.sql + (groupColumn == null ? "" : " GROUP BY " + groupColumn));
            params.addAll(w.params);
        }
        String having = subtracts && groupColumn != null ? " HAVING SUM(requests) > 0" : "";
        return new Where(" FROM (" + String.join(" UNION ALL ", selects) + ") u", params, having);
    }

    private static Where where(UsageFilter f, UsageRollup.Slice s) {
        StringBuilder sql = new StringBuilder(" FROM " + s.table().name + " WHERE " + s.table().period() + " BETWEEN ? AND ?");
        List<Object> params = new ArrayList<>(List.of(s.from(), s.to()));
        if (f.user() != null && s.table().keys.contains("username")) {
            sql.append(" AND username = ?");
            params.add(f.user());
        }
        if (f.model() != null && s.table().keys.contains("model")) {
            sql.append(" AND model = ?");
            params.add(f.model());
        }
        return new Where(sql.toString(), params, "");
    }
}
