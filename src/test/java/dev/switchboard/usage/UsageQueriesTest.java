package dev.switchboard.usage;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read side against hand-made rows: UTC day boundaries, filters, groupings, cost of priced rows only with
 * the unpriced ones counted, median time to first token, and rollup sums equal to the raw rows' sums, also for
 * ranges that the monthly rollups answer in part (month edges).
 */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:usage-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1",
        "switchboard.prices[gpt-5.5].input-per-million=2",
        "switchboard.prices[gpt-5.5].output-per-million=8"})
@DirtiesContext
class UsageQueriesTest {
    private static final LocalDate FROM = LocalDate.parse("2026-01-10");
    private static final LocalDate TO = LocalDate.parse("2026-01-12");
    private static boolean loaded;
    private static boolean monthsLoaded;

    @Autowired
    JdbcUsageRecorder recorder;
    @Autowired
    UsageQueries queries;
    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    static void reset() {
        loaded = false;
        monthsLoaded = false;
    }

    private void load() {
        if (loaded) return;
        loaded = true;
        UsageRecord first = UsageRecords.of("alice", "gpt-5.5", "mock", 1000, 500, "completed", 100L, Instant.parse("2026-01-09T23:59:59Z"));
        List.of(first,
                first, // recorded twice: still one row
                UsageRecords.of("alice", "gpt-5.5", "mock", 1000, 500, "completed", 100L, Instant.parse("2026-01-10T23:59:59Z")),
                UsageRecords.of("alice", "gpt-5.5", null, 2000, 0, "failed", null, Instant.parse("2026-01-11T00:00:00Z")),
                UsageRecords.of("bob", "free-model", "mock", 300, 700, "completed", 300L, Instant.parse("2026-01-11T12:00:00Z")),
                UsageRecords.of("bob", "gpt-5.5", "other", 100, 100, "stopped", 200L, Instant.parse("2026-01-12T23:59:59.999Z")),
                UsageRecords.of("carol", "gpt-5.5", "mock", 5, 5, "completed", 1L, Instant.parse("2026-01-13T00:00:00Z")))
                .forEach(recorder::record);
        recorder.flush();
    }

    private UsageFilter range() {
        load();
        return new UsageFilter(FROM, TO, null, null);
    }

    @Test
    void totalsCountOnlyTheRangeInUtcWithCostOfPricedRowsAndTheMedianTtft() {
        UsageTotals t = queries.totals(range());
        assertThat(t.sums().requests()).isEqualTo(4);
        assertThat(t.sums().promptTokens()).isEqualTo(3400);
        assertThat(t.sums().completionTokens()).isEqualTo(1300);
        // (1000*2 + 500*8 + 2000*2 + 100*2 + 100*8) / 1e6
        assertThat(t.sums().costUsd()).isEqualByComparingTo("0.011");
        assertThat(t.sums().unpricedRequests()).isEqualTo(1);
        assertThat(t.sums().errors()).isEqualTo(1);
        assertThat(t.sums().stopped()).isEqualTo(1);
        assertThat(t.sums().errorRate()).isEqualTo(0.25);
        assertThat(t.medianTtftMillis()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM usage_records WHERE started_at < ?") // not the month-edge rows
                .param(Instant.parse("2026-01-20T00:00:00Z").atOffset(java.time.ZoneOffset.UTC))
                .query(Long.class).single()).isEqualTo(6);
    }

    @Test
    void groupsByUserModelDayAndUpstream() {
        Map<String, UsageRow> users = byGroup(UsageGroupBy.USER);
        assertThat(users.keySet()).containsExactlyInAnyOrder("alice", "bob");
        assertThat(users.get("alice").costUsd()).isEqualByComparingTo("0.010");
        assertThat(users.get("alice").fullyPriced()).isTrue();
        assertThat(users.get("bob").costUsd()).isEqualByComparingTo("0.001");
        assertThat(users.get("bob").unpricedRequests()).isEqualTo(1);

        Map<String, UsageRow> models = byGroup(UsageGroupBy.MODEL);
        assertThat(models.get("free-model").costUsd()).as("no price: unknown, not 0").isNull();
        assertThat(models.get("gpt-5.5").requests()).isEqualTo(3);

        assertThat(queries.grouped(range(), UsageGroupBy.DAY)).extracting(UsageRow::group, UsageRow::requests)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2026-01-10", 1L),
                        org.assertj.core.groups.Tuple.tuple("2026-01-11", 2L),
                        org.assertj.core.groups.Tuple.tuple("2026-01-12", 1L));
        Map<String, UsageRow> upstreams = byGroup(UsageGroupBy.UPSTREAM);
        assertThat(upstreams.keySet()).containsExactlyInAnyOrder("mock", "other", UsageQueries.NO_UPSTREAM);
    }

    @Test
    void filtersByUserAndModel() {
        assertThat(queries.totals(range().withUser("bob")).sums().requests()).isEqualTo(2);
        assertThat(queries.totals(range().withUser("bob").withModel("gpt-5.5")).sums().promptTokens()).isEqualTo(100);
        assertThat(queries.totals(range().withUser("bob")).medianTtftMillis()).isEqualTo(250);
        assertThat(queries.totals(range().withModel("free-model")).sums().costUsd()).isNull();
        assertThat(queries.totals(range().withUser("nobody")).medianTtftMillis()).isNull();
        assertThat(queries.users(range())).containsExactly("alice", "bob");
        assertThat(queries.models(range())).containsExactly("free-model", "gpt-5.5");
    }

    @Test
    void rollupSumsEqualTheRawRows() {
        load();
        var raw = jdbc.sql("SELECT COUNT(*), SUM(prompt_tokens), SUM(completion_tokens), SUM(cost_usd) FROM usage_records")
                .query((rs, i) -> new Object[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getBigDecimal(4)}).single();
        UsageRow all = queries.totals(new UsageFilter(LocalDate.parse("2000-01-01"), LocalDate.parse("2100-01-01"), null, null)).sums();
        assertThat(new Object[] {all.requests(), all.promptTokens(), all.completionTokens()})
                .containsExactly(raw[0], raw[1], raw[2]);
        assertThat(all.costUsd()).isEqualByComparingTo((BigDecimal) raw[3]);
    }

    @Test
    void chartDataIsPerDayAndModel() {
        List<UsageDayModel> chart = queries.perDayByModel(range());
        assertThat(chart).hasSize(4);
        assertThat(chart).filteredOn(d -> d.model().equals("free-model")).singleElement()
                .satisfies(d -> {
                    assertThat(d.tokens()).isEqualTo(1000);
                    assertThat(d.costUsd()).isNull();
                });
    }

    @Test
    void rangesAcrossMonthEdgesSumExactlyLikeTheRawRows() {
        loadMonths();
        RawUsage.assertRollupTablesMatch(jdbc);
        List<String[]> ranges = List.of(
                new String[] {"2026-01-31", "2026-03-31"}, // one day, then two whole months
                new String[] {"2026-01-15", "2026-04-01"}, // days, two whole months, one day
                new String[] {"2026-02-01", "2026-02-28"}, // exactly one month
                new String[] {"2026-02-02", "2026-03-30"}, // two months less a day at either end
                new String[] {"2026-02-02", "2026-02-27"}, // one month less a day at either end
                new String[] {"2026-02-16", "2026-03-14"}, // under half of either month: days only
                new String[] {"2026-02-15", "2026-05-05"},
                new String[] {"2025-12-01", "2026-12-31"}); // whole months only
        for (String[] r : ranges) {
            UsageFilter f = new UsageFilter(LocalDate.parse(r[0]), LocalDate.parse(r[1]), null, null);
            for (UsageFilter g : List.of(f, f.withModel("gpt-5.5"), f.withUser("dave"),
                    f.withUser("dave").withModel("free-model"))) {
                RawUsage.assertQueriesMatch(jdbc, queries, g);
            }
        }
        // A month that gains rows after the first query: the monthly rollup keeps up.
        recorder.record(UsageRecords.of("dave", "gpt-5.5", "mock", 7, 3, "completed", 90L,
                Instant.parse("2026-02-14T10:00:00Z")));
        recorder.flush();
        RawUsage.assertQueriesMatch(jdbc, queries,
                new UsageFilter(LocalDate.parse("2026-01-31"), LocalDate.parse("2026-03-31"), "dave", null));
        RawUsage.assertRollupTablesMatch(jdbc);
    }

    @Test
    void aUserOrModelSeenOnlyOnDaysTakenAwayFromAMonthIsNotAGroupOfTheRange() {
        loadMonths();
        // 2026-02-02..2026-03-30 is February and March less their first and last day: zoe and rare-model are
        // only on those two days, so they are in the monthly rows and taken away again.
        for (String at : List.of("2026-02-01T08:00:00Z", "2026-03-31T23:00:00Z")) {
            recorder.record(UsageRecords.of("zoe", "rare-model", "mock", 11, 22, "completed", 120L, Instant.parse(at)));
        }
        recorder.flush();
        UsageFilter f = new UsageFilter(LocalDate.parse("2026-02-02"), LocalDate.parse("2026-03-30"), null, null);
        assertThat(UsageRollup.slices(f, "username")).anyMatch(UsageRollup.Slice::subtract);
        assertThat(queries.grouped(f, UsageGroupBy.USER)).extracting(UsageRow::group).isNotEmpty().doesNotContain("zoe");
        assertThat(queries.grouped(f, UsageGroupBy.MODEL)).extracting(UsageRow::group).doesNotContain("rare-model");
        assertThat(queries.users(f)).doesNotContain("zoe");
        assertThat(queries.models(f)).doesNotContain("rare-model");
        for (UsageFilter g : List.of(f, f.withModel("rare-model"), f.withUser("zoe"), f.withModel("gpt-5.5"))) {
            RawUsage.assertQueriesMatch(jdbc, queries, g);
        }
        assertThat(queries.totals(f.withUser("zoe")).sums().requests()).isZero();
        assertThat(queries.grouped(f.withUser("zoe"), UsageGroupBy.MODEL)).isEmpty();
        RawUsage.assertQueriesMatch(jdbc, queries,
                new UsageFilter(LocalDate.parse("2026-02-01"), LocalDate.parse("2026-03-31"), null, null));
    }

    /** Rows on both sides of the UTC month edges of January to May 2026, and random ones in between. */
    private void loadMonths() {
        load();
        if (monthsLoaded) return;
        monthsLoaded = true;
        java.util.Random random = new java.util.Random(7);
        String[] users = {"alice", "bob", "dave", "erin"};
        String[] models = {"gpt-5.5", "free-model", "gpt-5.5", "other-model"};
        String[] upstreams = {"mock", "other", null};
        String[] statuses = {"completed", "completed", "completed", "stopped", "failed", "interrupted"};
        List<Instant> starts = new java.util.ArrayList<>();
        for (int m = 2; m <= 5; m++) {
            Instant edge = Instant.parse("2026-0" + m + "-01T00:00:00Z");
            starts.addAll(List.of(edge.minusMillis(1), edge, edge.plusMillis(1), edge.minusSeconds(86_400),
                    edge.plusSeconds(86_399)));
        }
        Instant start = Instant.parse("2026-01-20T00:00:00Z");
        for (int i = 0; i < 150; i++) starts.add(start.plusSeconds(random.nextInt(110 * 86_400)));
        for (Instant at : starts) {
            String status = statuses[random.nextInt(statuses.length)];
            recorder.record(UsageRecords.of(users[random.nextInt(users.length)], models[random.nextInt(models.length)],
                    status.equals("failed") ? null : upstreams[random.nextInt(upstreams.length)], 1 + random.nextInt(5000),
                    status.equals("failed") ? 0 : random.nextInt(2000), status,
                    status.equals("failed") ? null : (long) random.nextInt(40_000), at));
        }
        recorder.flush();
    }

    private Map<String, UsageRow> byGroup(UsageGroupBy by) {
        return queries.grouped(range(), by).stream().collect(java.util.stream.Collectors.toMap(UsageRow::group, r -> r));
    }
}
