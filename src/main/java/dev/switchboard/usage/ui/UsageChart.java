package dev.switchboard.usage.ui;

import dev.switchboard.usage.UsageDayModel;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Draws tokens or cost per day, stacked by model, as an SVG string: rendered on the server, so no frontend bundle
 * change, and testable as text. Every text is XML-escaped (model names come from configuration and requests).
 */
public final class UsageChart {
    public enum Metric { TOKENS, COST }

    static final String[] PALETTE = {"#1a73e8", "#f28b30", "#12a150", "#9c4ddb", "#e5484d", "#0fa5b8", "#c79a00", "#6b7a90"};
    private static final int W = 960, H = 300, LEFT = 64, RIGHT = 16, TOP = 40, BOTTOM = 28;
    // Lumo's colours where the chart is shown (light or dark), the old fixed ones elsewhere.
    private static final String TEXT = "fill: var(--lumo-body-text-color, #1f2933)";
    private static final String MUTED = "fill: var(--lumo-secondary-text-color, #5f6b7a)";
    private static final String GRID = "stroke: var(--lumo-contrast-20pct, #d0d5dd)";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMM d", Locale.ENGLISH);

    private UsageChart() {}

    public static String svg(List<UsageDayModel> data, LocalDate from, LocalDate to, Metric metric) {
        int days = (int) ChronoUnit.DAYS.between(from, to) + 1;
        Map<String, Double> modelTotals = new LinkedHashMap<>();
        Map<LocalDate, Map<String, Double>> byDay = new HashMap<>();
        for (UsageDayModel d : data) {
            double v = value(d, metric);
            modelTotals.merge(d.model(), v, Double::sum);
            byDay.computeIfAbsent(d.day(), k -> new HashMap<>()).merge(d.model(), v, Double::sum);
        }
        // Biggest model at the bottom of each bar and first in the legend. Colours go by model name, not by this
        // order, so a model keeps its colour when the metric (tokens, cost) changes the order.
        List<String> models = new ArrayList<>(modelTotals.keySet());
        models.sort((a, b) -> Double.compare(modelTotals.get(b), modelTotals.get(a)));
        Map<String, String> colors = colors(models);
        double max = byDay.values().stream().mapToDouble(m -> m.values().stream().mapToDouble(Double::doubleValue).sum())
                .max().orElse(0);

        StringBuilder s = new StringBuilder(4096);
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" width=\"100%\" role=\"img\" aria-label=\"").append(metric == Metric.TOKENS ? "Tokens" : "Cost")
                .append(" per day by model\" style=\"font-family: var(--lumo-font-family, sans-serif); font-size: 12px\">");
        legend(s, models, colors, metric);
        double step = niceStep(max);
        double top = max <= 0 ? step * 4 : Math.ceil(max / step) * step;
        int plotW = W - LEFT - RIGHT, plotH = H - TOP - BOTTOM;
        for (double t = 0; t <= top + step / 2; t += step) {
            double y = TOP + plotH - t / top * plotH;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" style=\"%s\" stroke-width=\"%s\"/>",
                    LEFT, W - RIGHT, y, y, GRID, t == 0 ? "1" : "0.5"));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" style=\"%s\">%s</text>",
                    LEFT - 6, y + 4, MUTED, esc(axis(t, step, metric))));
        }
        double slot = (double) plotW / days;
        double barW = Math.max(1, slot * 0.72);
        int labelEvery = Math.max(1, (int) Math.ceil(days / 12.0));
        for (int i = 0; i < days; i++) {
            LocalDate day = from.plusDays(i);
            double x = LEFT + i * slot + (slot - barW) / 2;
            double y = TOP + plotH;
            Map<String, Double> values = byDay.getOrDefault(day, Map.of());
            for (int m = 0; m < models.size(); m++) {
                double v = values.getOrDefault(models.get(m), 0.0);
                if (v <= 0) continue;
                double h = v / top * plotH;
                y -= h;
                s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">",
                        x, y, barW, h, colors.get(models.get(m))));
                s.append("<title>").append(esc(day + " · " + models.get(m) + ": " + tooltip(v, metric))).append("</title></rect>");
            }
            if (i % labelEvery == 0) {
                s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" style=\"%s\">%s</text>",
                        LEFT + i * slot + slot / 2, H - 8, MUTED, esc(DAY.format(day))));
            }
        }
        if (models.isEmpty()) {
            s.append("<text x=\"").append(LEFT + plotW / 2).append("\" y=\"").append(TOP + plotH / 2)
                    .append("\" text-anchor=\"middle\" style=\"").append(MUTED).append("\" font-size=\"14\">No usage in this range</text>");
        }
        return s.append("</svg>").toString();
    }

    /**
     * A colour for each model, from its name alone where the palette allows: the name's hash picks a palette slot,
     * a slot already taken in this chart passes to the next free one (names in alphabetical order, so the outcome
     * does not depend on the models' totals). More models than colours share them.
     */
    static Map<String, String> colors(Collection<String> models) {
        List<String> names = new ArrayList<>(new TreeSet<>(models));
        Map<String, String> out = new HashMap<>();
        boolean[] taken = new boolean[PALETTE.length];
        int free = PALETTE.length;
        for (String name : names) {
            int slot = Math.floorMod(name.hashCode(), PALETTE.length);
            if (free > 0) {
                while (taken[slot]) slot = (slot + 1) % PALETTE.length;
                taken[slot] = true;
                free--;
            }
            out.put(name, PALETTE[slot]);
        }
        return out;
    }

    private static void legend(StringBuilder s, List<String> models, Map<String, String> colors, Metric metric) {
        double x = LEFT;
        for (String name : models) {
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"10\" width=\"12\" height=\"12\" rx=\"2\" fill=\"%s\"/>", x, colors.get(name)));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"20\" style=\"%s\">%s</text>", x + 17, TEXT, esc(name)));
            x += 17 + name.length() * 7 + 18;
        }
        if (metric == Metric.COST) {
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" text-anchor=\"end\" style=\"%s\">%s</text>",
                    W - RIGHT, MUTED, "priced requests only"));
        }
    }

    private static double value(UsageDayModel d, Metric metric) {
        if (metric == Metric.TOKENS) return d.tokens();
        BigDecimal c = d.costUsd();
        return c == null ? 0 : c.doubleValue();
    }

    /** 1, 2 or 5 times a power of ten, giving about four grid lines. */
    static double niceStep(double max) {
        if (max <= 0) return 1;
        double raw = max / 4;
        double pow = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / pow;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * pow;
    }

    /**
     * A y-axis label. Costs below $1 get as many decimals as the grid step needs (at least two), so steps of
     * $0.001 read $0.001, $0.002, … and not $0.00 on every line.
     */
    static String axis(double v, double step, Metric metric) {
        if (metric == Metric.TOKENS) return UsageFormat.compact(v);
        if (v == 0) return "$0";
        if (step >= 1) return "$" + UsageFormat.compact(v);
        int decimals = Math.max(2, (int) -Math.floor(Math.log10(step) + 1e-9));
        return String.format(Locale.ENGLISH, "$%." + decimals + "f", v);
    }

    private static String tooltip(double v, Metric metric) {
        return metric == Metric.TOKENS ? UsageFormat.count((long) v) + " tokens" : UsageFormat.usd(BigDecimal.valueOf(v));
    }

    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
