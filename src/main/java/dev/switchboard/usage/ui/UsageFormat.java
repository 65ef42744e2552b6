package dev.switchboard.usage.ui;

import dev.switchboard.usage.UsageRow;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** How usage numbers read on screen: the same in every view. An unknown cost is "—", never $0. */
public final class UsageFormat {
    public static final String UNKNOWN = "—";

    private UsageFormat() {}

    public static String count(long n) {
        return String.format(Locale.ENGLISH, "%,d", n);
    }

    /** Short form for axes: 950, 1.2k, 3.4M. */
    public static String compact(double n) {
        double a = Math.abs(n);
        if (a >= 1e9) return trim(n / 1e9) + "B";
        if (a >= 1e6) return trim(n / 1e6) + "M";
        if (a >= 1e3) return trim(n / 1e3) + "k";
        return trim(n);
    }

    /** USD with cents, or more decimals for sub-cent amounts; null is {@link #UNKNOWN}. */
    public static String usd(BigDecimal v) {
        if (v == null) return UNKNOWN;
        if (v.signum() != 0 && v.abs().compareTo(new BigDecimal("0.01")) < 0) {
            return "$" + v.setScale(4, RoundingMode.HALF_UP).toPlainString();
        }
        return "$" + String.format(Locale.ENGLISH, "%,.2f", v.setScale(2, RoundingMode.HALF_UP));
    }

    /** A group's cost: "$1.23", "—" when nothing is priced, "$1.23 + 4 unpriced" when some requests lack a price. */
    public static String cost(UsageRow r) {
        if (r.costUsd() == null) return UNKNOWN;
        return r.fullyPriced() ? usd(r.costUsd()) : usd(r.costUsd()) + " + " + count(r.unpricedRequests()) + " unpriced";
    }

    public static String percent(double rate) {
        return String.format(Locale.ENGLISH, "%.1f %%", rate * 100);
    }

    public static String millis(Long ms) {
        if (ms == null) return UNKNOWN;
        return ms >= 10_000 ? String.format(Locale.ENGLISH, "%.1f s", ms / 1000.0) : count(ms) + " ms";
    }

    private static String trim(double v) {
        String s = String.format(Locale.ENGLISH, Math.abs(v) >= 100 || v == Math.rint(v) ? "%.0f" : "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
