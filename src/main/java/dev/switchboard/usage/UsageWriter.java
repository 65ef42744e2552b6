package dev.switchboard.usage;

import dev.switchboard.config.Database;
import dev.switchboard.config.SwitchboardProperties;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a batch of usage rows, their upstream attempts and the matching increments of every rollup
 * ({@link UsageRollup}, daily and monthly) in one transaction. A generation id already stored is skipped, so a
 * retried batch never counts anything twice.
 */
public class UsageWriter {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate tx;
    private final Map<String, SwitchboardProperties.Price> prices;
    private final Database database;

    public UsageWriter(JdbcTemplate jdbc, PlatformTransactionManager txManager, Map<String, SwitchboardProperties.Price> prices) {
        this.jdbc = jdbc;
        this.database = Database.of(jdbc.getDataSource());
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.tx = new TransactionTemplate(txManager);
        this.prices = Map.copyOf(prices);
    }

    /**
     * Cost at the price in force of the served model (else the requested one), in USD; null when neither has a
     * price, never 0.
     */
    public BigDecimal cost(UsageRecord r) {
        return cost(prices, r);
    }

    /** {@link #cost(UsageRecord)} at the given prices (by model name); also what the cost metric adds up. */
    public static BigDecimal cost(Map<String, SwitchboardProperties.Price> prices, UsageRecord r) {
        SwitchboardProperties.Price p = r.servedModel() == null ? null : prices.get(r.servedModel());
        if (p == null) p = prices.get(r.requestedModel());
        if (p == null || p.inputPerMillion() == null || p.outputPerMillion() == null) return null;
        return p.inputPerMillion().multiply(BigDecimal.valueOf(r.promptTokens()))
                .add(p.outputPerMillion().multiply(BigDecimal.valueOf(r.completionTokens())))
                .divide(MILLION, MathContext.DECIMAL64)
                .setScale(8, RoundingMode.HALF_UP); // the column's scale: row sums and rollup sums stay equal
    }

    static final String RUNNING = "running";
    private static final String COLUMNS = """
            generation_id, username, conversation_id, requested_model, served_model, upstream,
            prompt_tokens, completion_tokens, total_tokens, estimated, cost_usd, status, failovers, error,
            ttft_ms, duration_ms, started_at, ended_at, source, upstream_request_id""";
    private static final String INSERT = "INSERT INTO usage_records (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String RUNNING_COLUMNS = """
            generation_id, username, conversation_id, requested_model, served_model, upstream, prompt_tokens,
            completion_tokens, estimated, failovers, ttft_ms, started_at, saved_at, source, upstream_request_id,
            status, error, duration_ms""";
    private static final String INSERT_RUNNING = "INSERT INTO usage_running (" + RUNNING_COLUMNS
            + ", reserved_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** A row already saved with its end keeps it: a late progress save does not undo it. */
    private static final String SAVE_RUNNING = """
            UPDATE usage_running SET served_model = ?, upstream = ?, prompt_tokens = ?, completion_tokens = ?,
                estimated = ?, failovers = ?, ttft_ms = ?, saved_at = ?, upstream_request_id = ?, status = ?, error = ?,
                duration_ms = ?
            WHERE generation_id = ? AND status IS NULL""";

    /**
     * Writes a batch in two transactions: {@link #save}, then {@link #move} of its ended records (tests, and what
     * the recorder does in two steps).
     */
    public void write(List<UsageRecord> batch) {
        save(batch);
        move(lastWords(batch).stream().filter(r -> !r.running()).toList());
    }

    /**
     * The durable step, small, as often as streams end: in one transaction, each generation's running row in
     * {@code usage_running} is written or updated with its latest progress, or with its end. A generation stored in
     * usage_records already (a retried batch, a row ended by another instance's sweeper) is left alone.
     */
    public void save(List<UsageRecord> batch) {
        List<UsageRecord> last = lastWords(batch);
        try {
            tx.executeWithoutResult(status -> saveRunning(last));
        } catch (DuplicateKeyException insertedMeanwhile) { // by a quota reservation or another instance: again, seeing it
            tx.executeWithoutResult(status -> saveRunning(last));
        }
    }

    /**
     * The second step, in batches: ended generations are inserted into usage_records with their attempts and rollup
     * increments, and their running rows deleted, in one transaction. A generation stored already is not counted
     * again.
     */
    public void move(List<UsageRecord> ended) {
        if (ended.isEmpty()) return;
        tx.executeWithoutResult(status -> moveInTransaction(lastWords(ended)));
    }

    /** Writes a generation's running row at once, holding {@code tokens} of its user's quota. */
    void insertReserved(UsageRecord running, long tokens) {
        jdbc.update(INSERT_RUNNING, runningValues(running, tokens));
    }

    /**
     * The running rows whose last save is before {@code lastSaveBefore}: those still running, and those ended but
     * not moved to usage_records (as they ended).
     */
    public List<UsageRecord> runningSince(Instant lastSaveBefore) {
        return jdbc.query("SELECT " + RUNNING_COLUMNS + " FROM usage_running WHERE saved_at < ?",
                (rs, n) -> {
                    Instant started = rs.getObject("started_at", OffsetDateTime.class).toInstant();
                    Instant saved = rs.getObject("saved_at", OffsetDateTime.class).toInstant();
                    String status = rs.getString("status");
                    Long duration = rs.getObject("duration_ms", Long.class);
                    return new UsageRecord(rs.getString("generation_id"), rs.getString("username"),
                            rs.getString("conversation_id"), rs.getString("requested_model"), rs.getString("served_model"),
                            rs.getString("upstream"), rs.getLong("prompt_tokens"), rs.getLong("completion_tokens"),
                            rs.getBoolean("estimated"), status == null ? RUNNING : status, rs.getInt("failovers"),
                            rs.getString("error"), rs.getObject("ttft_ms", Long.class),
                            duration != null ? duration : java.time.Duration.between(started, saved).toMillis(),
                            started, saved, List.of(), rs.getString("source"), rs.getString("upstream_request_id"));
                }, utc(lastSaveBefore));
    }

    /** The generations of these records that have their row in usage_records already. */
    private Set<String> stored(List<UsageRecord> records) {
        return withRowIn("usage_records", records);
    }

    /** The generations of these records that have a row in {@code table} (usage_records or usage_running). */
    private Set<String> withRowIn(String table, List<UsageRecord> records) {
        if (records.isEmpty()) return Set.of();
        return Set.copyOf(named.queryForList("SELECT generation_id FROM " + table + " WHERE generation_id IN (:ids)",
                Map.of("ids", records.stream().map(UsageRecord::generationId).toList()), String.class));
    }

    /** The last word on each generation of a batch: its end if the batch has it, else its latest progress. */
    private static List<UsageRecord> lastWords(List<UsageRecord> batch) {
        Map<String, UsageRecord> last = new LinkedHashMap<>();
        for (UsageRecord r : batch) {
            UsageRecord before = last.get(r.generationId());
            if (before == null || !r.running() || before.running()) last.put(r.generationId(), r);
        }
        return List.copyOf(last.values());
    }

    private void moveInTransaction(List<UsageRecord> ended) {
        List<UsageRecord> endedHere = end(ended);
        if (endedHere.isEmpty()) return;

        List<Object[]> attempts = new ArrayList<>();
        Map<DailyKey, Increment> daily = new LinkedHashMap<>();
        for (UsageRecord r : endedHere) {
            for (UsageRecord.Attempt a : r.attempts()) {
                attempts.add(new Object[] {r.generationId(), truncate(a.upstream(), 64), truncate(a.outcome(), 200),
                        a.latencyMillis(), utc(a.at())});
            }
            DailyKey key = new DailyKey(r.startedAt().atOffset(ZoneOffset.UTC).toLocalDate(), r.username(),
                    r.requestedModel(), r.upstream() == null ? "" : r.upstream());
            daily.computeIfAbsent(key, k -> new Increment()).add(r, cost(r));
        }
        if (!attempts.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO upstream_attempts (generation_id, upstream, outcome, latency_ms, at) VALUES (?, ?, ?, ?, ?)",
                    attempts);
        }
        // The same increments at every grain of UsageRollup; usage_month is the first day of the UTC month.
        Map<UsageRollup.Table, Map<List<Object>, Increment>> grains = new LinkedHashMap<>();
        daily.forEach((k, d) -> {
            LocalDate month = k.day().withDayOfMonth(1);
            add(grains, UsageRollup.Table.FULL, d, k.day(), k.username(), k.model(), k.upstream());
            add(grains, UsageRollup.Table.MODEL, d, k.day(), k.model(), k.upstream());
            add(grains, UsageRollup.Table.USER, d, k.day(), k.username());
            add(grains, UsageRollup.Table.MONTHLY, d, month, k.username(), k.model());
            add(grains, UsageRollup.Table.MONTHLY_MODEL, d, month, k.model(), k.upstream());
            add(grains, UsageRollup.Table.MONTHLY_USER, d, month, k.username());
        });
        // Every writer updates rollup rows in one order (tables as above, rows by key): writers of several instances
        // sharing PostgreSQL wait for each other's rows, never deadlock.
        grains.forEach((table, rollup) -> jdbc.batchUpdate(UsageRollup.mergeSql(table, database),
                rollup.entrySet().stream().sorted(Map.Entry.comparingByKey(UsageWriter::compareKeys))
                        .map(e -> e.getValue().row(e.getKey())).toList()));
    }

    /**
     * Saves running generations' progress or end in their running rows; a generation without one gets one, unless
     * it is in usage_records already.
     */
    private void saveRunning(List<UsageRecord> records) {
        if (records.isEmpty()) return;
        int[] updated = jdbc.batchUpdate(SAVE_RUNNING, records.stream().map(r -> new Object[] {r.servedModel(),
                r.upstream(), r.promptTokens(), r.completionTokens(), r.estimated(), r.failovers(), r.ttftMillis(),
                utc(r.endedAt()), truncate(r.upstreamRequestId(), 128), endStatus(r), truncate(r.error(), 500),
                r.running() ? null : r.durationMillis(), r.generationId()}).toList());
        List<UsageRecord> notUpdated = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) if (updated[i] == 0) notUpdated.add(records.get(i));
        if (notUpdated.isEmpty()) return;
        Set<String> present = withRowIn("usage_running", notUpdated);
        List<UsageRecord> absent = notUpdated.stream().filter(r -> !present.contains(r.generationId())).toList();
        Set<String> stored = stored(absent);
        List<Object[]> fresh = absent.stream().filter(r -> !stored.contains(r.generationId()))
                .map(r -> runningValues(r, 0)).toList();
        if (!fresh.isEmpty()) jdbc.batchUpdate(INSERT_RUNNING, fresh);
    }

    private static String endStatus(UsageRecord r) {
        return r.running() ? null : r.status();
    }

    /**
     * Stores ended generations in usage_records and deletes their running rows; returns those stored here (a
     * generation stored already, by a retried batch or another instance's sweeper, is left as it is).
     */
    private List<UsageRecord> end(List<UsageRecord> records) {
        if (records.isEmpty()) return List.of();
        Set<String> stored = stored(records);
        List<UsageRecord> fresh = records.stream().filter(r -> !stored.contains(r.generationId())).toList();
        if (!fresh.isEmpty()) jdbc.batchUpdate(INSERT, fresh.stream().map(this::values).toList());
        jdbc.batchUpdate("DELETE FROM usage_running WHERE generation_id = ?",
                records.stream().map(r -> new Object[] {r.generationId()}).toList());
        return fresh;
    }

    private Object[] runningValues(UsageRecord r, long reservedTokens) {
        return new Object[] {r.generationId(), r.username(), r.conversationId(), r.requestedModel(), r.servedModel(),
                r.upstream(), r.promptTokens(), r.completionTokens(), r.estimated(), r.failovers(), r.ttftMillis(),
                utc(r.startedAt()), utc(r.endedAt()), r.source(), truncate(r.upstreamRequestId(), 128), endStatus(r),
                truncate(r.error(), 500), r.running() ? null : r.durationMillis(), reservedTokens};
    }

    private Object[] values(UsageRecord r) {
        return new Object[] {r.generationId(), r.username(), r.conversationId(), r.requestedModel(), r.servedModel(),
                r.upstream(), r.promptTokens(), r.completionTokens(), r.promptTokens() + r.completionTokens(),
                r.estimated(), cost(r), r.status(), r.failovers(),
                truncate(r.error(), 500), r.ttftMillis(), r.durationMillis(), utc(r.startedAt()), utc(r.endedAt()),
                r.source(), truncate(r.upstreamRequestId(), 128)};
    }

    private static void add(Map<UsageRollup.Table, Map<List<Object>, Increment>> grains, UsageRollup.Table table, Increment d,
                            Object... keys) {
        grains.computeIfAbsent(table, t -> new LinkedHashMap<>()).computeIfAbsent(List.of(keys), k -> new Increment()).add(d);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareKeys(List<Object> a, List<Object> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = ((Comparable) a.get(i)).compareTo(b.get(i));
            if (c != 0) return c;
        }
        return 0;
    }

    private static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }

    private static String truncate(String s, int n) {
        return s == null || s.length() <= n ? s : s.substring(0, n);
    }

    private record DailyKey(LocalDate day, String username, String model, String upstream) {}

    /** The sums one batch adds to one rollup row, in the column order of {@link UsageRollup#MEASURES}. */
    private static final class Increment {
        long requests, prompt, completion, estimated, unpriced, stopped, failed, interrupted, failovers;
        BigDecimal cost = BigDecimal.ZERO;
        final long[] ttft = new long[UsageRollup.BUCKETS];

        void add(UsageRecord r, BigDecimal rowCost) {
            requests++;
            prompt += r.promptTokens();
            completion += r.completionTokens();
            if (r.estimated()) estimated++;
            if (rowCost == null) unpriced++; else cost = cost.add(rowCost);
            switch (r.status()) {
                case "stopped" -> stopped++;
                case "failed" -> failed++;
                case "interrupted" -> interrupted++;
                default -> { }
            }
            failovers += r.failovers();
            if (r.ttftMillis() != null) ttft[UsageRollup.bucket(r.ttftMillis())]++;
        }

        void add(Increment d) {
            requests += d.requests;
            prompt += d.prompt;
            completion += d.completion;
            estimated += d.estimated;
            unpriced += d.unpriced;
            cost = cost.add(d.cost);
            stopped += d.stopped;
            failed += d.failed;
            interrupted += d.interrupted;
            failovers += d.failovers;
            for (int i = 0; i < ttft.length; i++) ttft[i] += d.ttft[i];
        }

        Object[] row(List<Object> keys) {
            List<Object> v = new ArrayList<>(keys);
            v.addAll(List.of(requests, prompt, completion, estimated, cost, unpriced, stopped, failed, interrupted, failovers));
            for (long c : ttft) v.add(c);
            return v.toArray();
        }
    }
}
