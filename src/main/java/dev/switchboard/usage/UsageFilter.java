package dev.switchboard.usage;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * What the dashboard and the API ask for: UTC days {@code from}..{@code to}, both inclusive, optionally one user
 * and/or one (requested) model; null means all.
 */
public record UsageFilter(LocalDate from, LocalDate to, String user, String model) {
    public UsageFilter {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) throw new IllegalArgumentException("'from' (" + from + ") is after 'to' (" + to + ").");
        user = blankToNull(user);
        model = blankToNull(model);
    }

    /** The last {@code days} UTC days, today included. */
    public static UsageFilter lastDays(int days) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return new UsageFilter(today.minusDays(days - 1L), today, null, null);
    }

    public UsageFilter withUser(String u) { return new UsageFilter(from, to, u, model); }

    public UsageFilter withModel(String m) { return new UsageFilter(from, to, user, m); }

    /** Start of {@code from} in UTC. */
    public OffsetDateTime startInclusive() { return from.atStartOfDay().atOffset(ZoneOffset.UTC); }

    /** Start of the day after {@code to} in UTC. */
    public OffsetDateTime endExclusive() { return to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC); }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
