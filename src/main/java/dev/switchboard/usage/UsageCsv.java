package dev.switchboard.usage;

import java.math.BigDecimal;
import java.util.List;

/** Usage rows as CSV (RFC 4180, header line first); an unknown cost is an empty cell, never 0. */
public final class UsageCsv {
    public static final String HEADER = "group,requests,prompt_tokens,completion_tokens,total_tokens,cost_usd,"
            + "unpriced_requests,estimated_requests,errors,stopped,failovers";

    private UsageCsv() {}

    public static String of(List<UsageRow> rows) {
        StringBuilder out = new StringBuilder(HEADER).append("\r\n");
        for (UsageRow r : rows) out.append(line(r)).append("\r\n");
        return out.toString();
    }

    /**
     * With an optional first column: {@code section} names the grouping of each row (the dashboard export puts
     * totals, users, models and days in one file).
     */
    public static String withSections(List<Section> sections) {
        StringBuilder out = new StringBuilder("section,").append(HEADER).append("\r\n");
        for (Section s : sections) {
            for (UsageRow r : s.rows()) out.append(cell(s.name())).append(',').append(line(r)).append("\r\n");
        }
        return out.toString();
    }

    public record Section(String name, List<UsageRow> rows) {}

    private static String line(UsageRow r) {
        BigDecimal cost = r.costUsd();
        return String.join(",", cell(r.group()), Long.toString(r.requests()), Long.toString(r.promptTokens()),
                Long.toString(r.completionTokens()), Long.toString(r.totalTokens()), cost == null ? "" : cost.toPlainString(),
                Long.toString(r.unpricedRequests()), Long.toString(r.estimatedRequests()), Long.toString(r.errors()),
                Long.toString(r.stopped()), Long.toString(r.failovers()));
    }

    /** Quotes when needed; a leading = + - @ is defused so a spreadsheet never runs a cell as a formula. */
    static String cell(String s) {
        if (s == null) return "";
        String v = !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
        boolean quote = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
        return quote ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }
}
