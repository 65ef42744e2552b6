package dev.switchboard.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Usage rows as CSV (RFC 4180: CRLF line ends, header line first; Jackson CSV quotes every cell with a comma, quote or
 * line break, doubling quotes, and may quote a few more, e.g. one with a space); an unknown cost is an empty cell,
 * never 0.
 */
public final class UsageCsv {
    public static final String HEADER = "group,requests,prompt_tokens,completion_tokens,total_tokens,cost_usd,"
            + "unpriced_requests,estimated_requests,errors,stopped,failovers";
    private static final String SECTION = "section";

    private static final CsvMapper MAPPER = new CsvMapper();
    private static final CsvSchema PLAIN = schema(List.of(HEADER.split(",")));
    private static final CsvSchema WITH_SECTIONS = schema(withFirst(SECTION, List.of(HEADER.split(","))));

    private UsageCsv() {}

    public static String of(List<UsageRow> rows) {
        return write(PLAIN, rows.stream().map(r -> line(r, new LinkedHashMap<>())).toList());
    }

    /**
     * With an optional first column: {@code section} names the grouping of each row (the dashboard export puts
     * totals, users, models and days in one file).
     */
    public static String withSections(List<Section> sections) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Section s : sections) {
            for (UsageRow r : s.rows()) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put(SECTION, defused(s.name()));
                lines.add(line(r, line));
            }
        }
        return write(WITH_SECTIONS, lines);
    }

    public record Section(String name, List<UsageRow> rows) {}

    private static Map<String, Object> line(UsageRow r, Map<String, Object> line) {
        BigDecimal cost = r.costUsd();
        line.put("group", defused(r.group()));
        line.put("requests", r.requests());
        line.put("prompt_tokens", r.promptTokens());
        line.put("completion_tokens", r.completionTokens());
        line.put("total_tokens", r.totalTokens());
        line.put("cost_usd", cost == null ? null : cost.toPlainString()); // null: the schema's empty cell
        line.put("unpriced_requests", r.unpricedRequests());
        line.put("estimated_requests", r.estimatedRequests());
        line.put("errors", r.errors());
        line.put("stopped", r.stopped());
        line.put("failovers", r.failovers());
        return line;
    }

    /** A leading = + - @ gets a {@code '} first, so a spreadsheet never runs a text cell as a formula. */
    static String defused(String s) {
        if (s == null) return null;
        return !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
    }

    private static String write(CsvSchema schema, List<Map<String, Object>> lines) {
        try {
            return MAPPER.writer(schema).writeValueAsString(lines); // the header line even with no rows
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CsvSchema schema(List<String> columns) {
        CsvSchema.Builder b = CsvSchema.builder().setUseHeader(true).setLineSeparator("\r\n").setNullValue("");
        columns.forEach(b::addColumn);
        return b.build();
    }

    private static List<String> withFirst(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }
}
