package dev.switchboard.usage;

import dev.switchboard.config.Database;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The rollups of {@code usage_records} and the SQL shared by writer and queries. Every rollup row carries the same
 * sums plus a histogram of time to first token, so totals and a median stay cheap at any date range. Daily
 * (V4__usage.sql): {@code usage_daily} (day, user, model, upstream) answers filters by user; {@code usage_daily_model}
 * (day, model, upstream, about 20 rows a day) everything without a user filter; {@code usage_daily_user} (day, user)
 * the by-user grid without a model filter. Each has a monthly twin (V6__usage_monthly.sql): a range is answered from
 * the monthly rollup for its months and the daily one for the days around them, or the days of an edge month outside
 * the range taken away ({@link #slices}), so a year costs ~12 months and at most ~30 days of rows, not ~365 days.
 */
public final class UsageRollup {
    /** Upper bounds (exclusive, ms) of the TTFT histogram buckets; the last bucket is open-ended. */
    static final long[] TTFT_BOUNDS = {100, 200, 300, 400, 500, 600, 800, 1000, 1250, 1500, 2000, 2500, 3000, 4000,
            5000, 7500, 10000, 15000, 30000};
    static final int BUCKETS = TTFT_BOUNDS.length + 1;

    static final List<String> SUMS = List.of("requests", "prompt_tokens", "completion_tokens", "estimated_requests",
            "cost_usd", "unpriced_requests", "stopped", "failed", "interrupted", "failovers");
    static final List<String> BUCKET_COLUMNS = IntStream.range(0, BUCKETS).mapToObj(i -> String.format("ttft_%02d", i)).toList();
    static final List<String> MEASURES = concat(SUMS, BUCKET_COLUMNS);

    enum Table {
        FULL("usage_daily", List.of("usage_day", "username", "model", "upstream")),
        MODEL("usage_daily_model", List.of("usage_day", "model", "upstream")),
        USER("usage_daily_user", List.of("usage_day", "username")),
        MONTHLY("usage_monthly", List.of("usage_month", "username", "model")), // no upstream: ~15,000 rows a year, not ~40,000
        MONTHLY_MODEL("usage_monthly_model", List.of("usage_month", "model", "upstream")),
        MONTHLY_USER("usage_monthly_user", List.of("usage_month", "username"));

        final String name;
        /** The period column ({@code usage_day} or {@code usage_month}) first, then the grouping columns. */
        final List<String> keys;

        Table(String name, List<String> keys) {
            this.name = name;
            this.keys = keys;
        }

        String period() { return keys.get(0); }

        /** The smallest daily rollup that can answer a filter (and, for groupings, has the grouped column). */
        static Table forFilter(UsageFilter f, String groupColumn) {
            boolean needsUser = f.user() != null || "username".equals(groupColumn);
            boolean needsModel = f.model() != null || "model".equals(groupColumn) || "upstream".equals(groupColumn);
            if (needsUser && needsModel) return FULL;
            return needsUser ? USER : MODEL;
        }

        /** The monthly rollup of this daily one's grain (for usage_daily, without the upstream). */
        Table monthly() {
            return switch (this) {
                case FULL -> MONTHLY;
                case MODEL -> MONTHLY_MODEL;
                case USER -> MONTHLY_USER;
                default -> this;
            };
        }
    }

    /**
     * Rows of one rollup table with its period column {@code from}..{@code to} (both inclusive); {@code subtract}
     * rows are taken away from the others' sums (the days of a month from the monthly rollup outside the range).
     */
    record Slice(Table table, LocalDate from, LocalDate to, boolean subtract) {
        Slice(Table table, LocalDate from, LocalDate to) {
            this(table, from, to, false);
        }
    }

    /**
     * Where the rollup rows of a filter are, if the monthly rollup has the grouped column (not the day; not the
     * upstream of a user): whole months from it, and the days around them from the daily one. An edge month with
     * fewer days outside the range than in it comes from the monthly rollup too, minus its days outside the range;
     * so at most ~15 days at either edge are read day by day, not up to 30. The parts add up to the range's sums.
     */
    static List<Slice> slices(UsageFilter f, String groupColumn) {
        Table daily = Table.forFilter(f, groupColumn);
        Table monthly = groupColumn == null || daily.monthly().keys.contains(groupColumn) ? daily.monthly() : null;
        LocalDate from = f.from(), to = f.to();
        LocalDate firstMonth = from.withDayOfMonth(1), lastMonth = to.withDayOfMonth(1);
        if (!fromMonthly(firstMonth, f)) firstMonth = firstMonth.plusMonths(1);
        if (!fromMonthly(lastMonth, f)) lastMonth = lastMonth.minusMonths(1);
        if (monthly == null || firstMonth.isAfter(lastMonth)) return List.of(new Slice(daily, from, to));
        LocalDate monthsEnd = lastMonth.plusMonths(1).minusDays(1);
        List<Slice> slices = new ArrayList<>(4);
        if (from.isBefore(firstMonth)) slices.add(new Slice(daily, from, firstMonth.minusDays(1)));
        if (from.isAfter(firstMonth)) slices.add(new Slice(daily, firstMonth, from.minusDays(1), true));
        slices.add(new Slice(monthly, firstMonth, lastMonth));
        if (to.isBefore(monthsEnd)) slices.add(new Slice(daily, to.plusDays(1), monthsEnd, true));
        if (to.isAfter(monthsEnd)) slices.add(new Slice(daily, monthsEnd.plusDays(1), to));
        return slices;
    }

    /** Whether fewer of {@code month}'s days are outside the filter's range than inside it. */
    private static boolean fromMonthly(LocalDate month, UsageFilter f) {
        LocalDate end = month.plusMonths(1).minusDays(1);
        LocalDate first = f.from().isAfter(month) ? f.from() : month, last = f.to().isBefore(end) ? f.to() : end;
        long inside = first.isAfter(last) ? 0 : ChronoUnit.DAYS.between(first, last) + 1;
        return month.lengthOfMonth() - inside < inside;
    }

    private UsageRollup() {}

    static int bucket(long ttftMillis) {
        for (int i = 0; i < TTFT_BOUNDS.length; i++) if (ttftMillis < TTFT_BOUNDS[i]) return i;
        return TTFT_BOUNDS.length;
    }

    /** Median from bucket counts, interpolated inside its bucket; null when there are no counts. */
    static Long medianFromHistogram(long[] counts) {
        long n = 0;
        for (long c : counts) n += c;
        if (n == 0) return null;
        double half = n / 2.0, seen = 0;
        for (int i = 0; i < counts.length; i++) {
            if (seen + counts[i] >= half && counts[i] > 0) {
                double lo = i == 0 ? 0 : TTFT_BOUNDS[i - 1];
                if (i == TTFT_BOUNDS.length) return (long) lo;
                return Math.round(lo + (TTFT_BOUNDS[i] - lo) * (half - seen) / counts[i]);
            }
            seen += counts[i];
        }
        return null;
    }

    /**
     * The statement adding one increment row to a rollup table: H2's {@code MERGE}; on PostgreSQL
     * {@code INSERT ... ON CONFLICT DO UPDATE}, which stays one atomic upsert when writers of several instances add
     * to a row that does not exist yet (PostgreSQL's {@code MERGE} may then fail on the primary key instead).
     */
    static String mergeSql(Table t, Database database) {
        return (database == Database.POSTGRESQL ? UPSERT_SQL : MERGE_SQL).get(t);
    }

    /** Built once (after the column lists above): the usage writer runs six per batch, ~6 % of what it allocated. */
    private static final Map<Table, String> MERGE_SQL = new EnumMap<>(Table.class);
    private static final Map<Table, String> UPSERT_SQL = new EnumMap<>(Table.class);

    static {
        for (Table t : Table.values()) {
            MERGE_SQL.put(t, buildMergeSql(t));
            UPSERT_SQL.put(t, buildUpsertSql(t));
        }
    }

    private static String buildUpsertSql(Table t) {
        List<String> cols = concat(t.keys, MEASURES);
        return "INSERT INTO " + t.name + " AS d (" + String.join(", ", cols) + ") VALUES ("
                + cols.stream().map(c -> "?").collect(Collectors.joining(", ")) + ") ON CONFLICT ("
                + String.join(", ", t.keys) + ") DO UPDATE SET "
                + MEASURES.stream().map(m -> m + " = d." + m + " + EXCLUDED." + m).collect(Collectors.joining(", "));
    }

    private static String buildMergeSql(Table t) {
        List<String> cols = concat(t.keys, MEASURES);
        String casts = cols.stream().map(c -> "CAST(? AS " + type(c) + ")").collect(Collectors.joining(", "));
        String on = t.keys.stream().map(k -> "d." + k + " = s." + k).collect(Collectors.joining(" AND "));
        String set = MEASURES.stream().map(m -> m + " = d." + m + " + s." + m).collect(Collectors.joining(", "));
        return "MERGE INTO " + t.name + " d USING (VALUES (" + casts + ")) AS s (" + String.join(", ", cols) + ") ON " + on
                + " WHEN MATCHED THEN UPDATE SET " + set
                + " WHEN NOT MATCHED THEN INSERT (" + String.join(", ", cols) + ") VALUES ("
                + cols.stream().map(c -> "s." + c).collect(Collectors.joining(", ")) + ")";
    }

    /** {@code COALESCE(SUM(...), 0)} of each measure, named after it. */
    static String sumsSelect(List<String> measures) {
        return measures.stream().map(m -> "COALESCE(SUM(" + m + "), 0) AS " + m).collect(Collectors.joining(", "));
    }

    private static String type(String column) {
        return switch (column) {
            case "usage_day", "usage_month" -> "DATE";
            case "username", "upstream" -> "VARCHAR(64)";
            case "model" -> "VARCHAR(128)";
            case "cost_usd" -> "DECIMAL(24, 8)";
            default -> "BIGINT";
        };
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return Collections.unmodifiableList(out);
    }
}
