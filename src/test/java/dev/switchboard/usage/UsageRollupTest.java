package dev.switchboard.usage;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static dev.switchboard.usage.UsageRollup.Table.FULL;
import static dev.switchboard.usage.UsageRollup.Table.MODEL;
import static dev.switchboard.usage.UsageRollup.Table.MONTHLY;
import static dev.switchboard.usage.UsageRollup.Table.MONTHLY_MODEL;
import static dev.switchboard.usage.UsageRollup.Table.MONTHLY_USER;
import static dev.switchboard.usage.UsageRollup.Table.USER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which rollup rows answer a range: whole months from the monthly rollups, the days around them from the daily ones,
 * or a month mostly in the range from its monthly row less the days outside it.
 */
class UsageRollupTest {
    private static UsageRollup.Slice slice(UsageRollup.Table t, String from, String to) {
        return new UsageRollup.Slice(t, LocalDate.parse(from), LocalDate.parse(to));
    }

    private static UsageFilter range(String from, String to) {
        return new UsageFilter(LocalDate.parse(from), LocalDate.parse(to), null, null);
    }

    private static UsageRollup.Slice minus(UsageRollup.Table t, String from, String to) {
        return new UsageRollup.Slice(t, LocalDate.parse(from), LocalDate.parse(to), true);
    }

    @Test
    void wholeMonthsComeFromTheMonthlyRollupAndTheEdgesFromTheDailyOne() {
        assertThat(UsageRollup.slices(range("2026-01-31", "2026-02-28").withModel("m"), "username")).containsExactly(
                slice(FULL, "2026-01-31", "2026-01-31"), slice(MONTHLY, "2026-02-01", "2026-02-01"));
        assertThat(UsageRollup.slices(range("2024-02-01", "2024-02-29").withUser("u"), null)) // leap year
                .containsExactly(slice(MONTHLY_USER, "2024-02-01", "2024-02-01"));
        assertThat(UsageRollup.slices(range("2026-03-01", "2026-12-31").withUser("u"), "model"))
                .containsExactly(slice(MONTHLY, "2026-03-01", "2026-12-01"));
        assertThat(UsageRollup.slices(range("2026-02-16", "2026-05-15"), "username")).containsExactly( // 13 of 28, 15 of 31
                slice(USER, "2026-02-16", "2026-02-28"), slice(MONTHLY_USER, "2026-03-01", "2026-04-01"),
                slice(USER, "2026-05-01", "2026-05-15"));
    }

    @Test
    void anEdgeMonthMostlyInTheRangeIsItsMonthlyRowMinusTheDaysOutsideIt() {
        assertThat(UsageRollup.slices(range("2026-01-15", "2026-04-01"), "username")).containsExactly( // 17 of 31 days
                minus(USER, "2026-01-01", "2026-01-14"), slice(MONTHLY_USER, "2026-01-01", "2026-03-01"),
                slice(USER, "2026-04-01", "2026-04-01"));
        assertThat(UsageRollup.slices(range("2025-12-31", "2026-12-30"), null)).containsExactly(
                slice(MODEL, "2025-12-31", "2025-12-31"), slice(MONTHLY_MODEL, "2026-01-01", "2026-12-01"),
                minus(MODEL, "2026-12-31", "2026-12-31"));
        assertThat(UsageRollup.slices(range("2026-02-02", "2026-03-30").withModel("m"), "username")).containsExactly(
                minus(FULL, "2026-02-01", "2026-02-01"), slice(MONTHLY, "2026-02-01", "2026-03-01"),
                minus(FULL, "2026-03-31", "2026-03-31"));
        // The last 30 days on the 27th: three days, then this month less the days to come.
        assertThat(UsageRollup.slices(range("2026-10-29", "2026-11-27"), "model")).containsExactly(
                slice(MODEL, "2026-10-29", "2026-10-31"), slice(MONTHLY_MODEL, "2026-11-01", "2026-11-01"),
                minus(MODEL, "2026-11-28", "2026-11-30"));
        assertThat(UsageRollup.slices(range("2026-02-02", "2026-02-27"), "model")).containsExactly(
                minus(MODEL, "2026-02-01", "2026-02-01"), slice(MONTHLY_MODEL, "2026-02-01", "2026-02-01"),
                minus(MODEL, "2026-02-28", "2026-02-28"));
    }

    @Test
    void fewerDaysInTheRangeThanOutOfItOrGroupedByDayOrTheUpstreamsOfAUserStaysDaily() {
        assertThat(UsageRollup.slices(range("2026-02-16", "2026-03-14"), "username")) // 13 of 28 and 14 of 31 days
                .containsExactly(slice(USER, "2026-02-16", "2026-03-14"));
        assertThat(UsageRollup.slices(range("2026-02-01", "2026-02-14"), "model")) // half of the month: no gain
                .containsExactly(slice(MODEL, "2026-02-01", "2026-02-14"));
        assertThat(UsageRollup.slices(range("2025-01-01", "2026-12-31").withUser("u"), "usage_day"))
                .containsExactly(slice(USER, "2025-01-01", "2026-12-31"));
        assertThat(UsageRollup.slices(range("2025-01-01", "2026-12-31").withUser("u"), "upstream"))
                .containsExactly(slice(FULL, "2025-01-01", "2026-12-31"));
    }
}
