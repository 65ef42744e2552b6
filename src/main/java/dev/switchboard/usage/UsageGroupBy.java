package dev.switchboard.usage;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How usage rows are grouped; each maps to a column of the {@code usage_daily} rollup. */
public enum UsageGroupBy {
    USER("username"), MODEL("model"), DAY("usage_day"), UPSTREAM("upstream");

    final String column;

    UsageGroupBy(String column) {
        this.column = column;
    }

    public String wire() { return name().toLowerCase(Locale.ROOT); }

    /** Parses {@code user|model|day|upstream}; anything else is an {@link IllegalArgumentException}. */
    public static UsageGroupBy parse(String s) {
        for (UsageGroupBy g : values()) {
            if (g.wire().equalsIgnoreCase(s == null ? "" : s.strip())) return g;
        }
        throw new IllegalArgumentException("'groupBy' must be one of "
                + Arrays.stream(values()).map(UsageGroupBy::wire).collect(Collectors.joining(", ")) + ".");
    }
}
