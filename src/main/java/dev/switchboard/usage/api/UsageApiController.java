package dev.switchboard.usage.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.security.ApiError;
import dev.switchboard.usage.UsageCsv;
import dev.switchboard.usage.UsageFilter;
import dev.switchboard.usage.UsageGroupBy;
import dev.switchboard.usage.UsageQueries;
import dev.switchboard.usage.UsageRow;
import dev.switchboard.usage.UsageTotals;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/usage?from=YYYY-MM-DD&to=YYYY-MM-DD&groupBy=user|model|day|upstream[&format=csv]}: usage sums per
 * group and in total, UTC days, both ends inclusive (default: the last 30 days, grouped by day). An admin sees
 * everyone's usage; anyone else sees only their own (the {@code user} filter is theirs, whatever they ask).
 */
@RestController
public class UsageApiController {
    static final int MAX_DAYS = 3660;
    private static final MediaType CSV = new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8);

    private final UsageQueries queries;
    private final ObjectMapper json;

    public UsageApiController(UsageQueries queries, ObjectMapper json) {
        this.queries = queries;
        this.json = json;
    }

    @GetMapping("/api/usage")
    public ResponseEntity<?> usage(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                   @RequestParam(required = false, defaultValue = "day") String groupBy,
                                   @RequestParam(required = false, defaultValue = "json") String format,
                                   @RequestParam(required = false) String user, @RequestParam(required = false) String model,
                                   Authentication caller) {
        // Never another user's figures for a non-admin: the filter is pinned to the caller.
        if (!isAdmin(caller)) user = caller.getName();
        LocalDate end = to == null || to.isBlank() ? LocalDate.now(ZoneOffset.UTC) : date("to", to);
        LocalDate start = from == null || from.isBlank() ? end.minusDays(29) : date("from", from);
        if (start.isAfter(end)) throw bad("'from' (" + start + ") is after 'to' (" + end + ").");
        if (start.plusDays(MAX_DAYS).isBefore(end)) throw bad("The range is longer than " + MAX_DAYS + " days.");
        UsageGroupBy by;
        try {
            by = UsageGroupBy.parse(groupBy);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        UsageFilter filter = new UsageFilter(start, end, user, model);
        List<UsageRow> rows = queries.grouped(filter, by);
        switch (format.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "csv" -> {
                return ResponseEntity.ok().contentType(CSV)
                        .header("Content-Disposition", "attachment; filename=\"usage-" + start + "-" + end + "-" + by.wire() + ".csv\"")
                        .body(UsageCsv.of(rows));
            }
            case "json" -> {
                ObjectNode body = json.createObjectNode().put("from", start.toString()).put("to", end.toString())
                        .put("groupBy", by.wire());
                var array = body.putArray("rows");
                rows.forEach(r -> array.add(row(r, true)));
                UsageTotals totals = queries.totals(filter);
                ObjectNode t = row(totals.sums(), false);
                body.set("totals", t);
                t.put("error_rate", totals.sums().errorRate());
                if (totals.medianTtftMillis() == null) t.putNull("median_ttft_ms"); else t.put("median_ttft_ms", totals.medianTtftMillis());
                t.put("median_ttft_approximate", totals.medianApproximate());
                return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
            }
            default -> throw bad("'format' must be json or csv.");
        }
    }

    private static boolean isAdmin(Authentication caller) {
        return caller.getAuthorities().stream().anyMatch(a -> "ROLE_ADMIN".equals(a.getAuthority()));
    }

    private ObjectNode row(UsageRow r, boolean withGroup) {
        ObjectNode n = json.createObjectNode();
        if (withGroup) n.put("group", r.group());
        n.put("requests", r.requests()).put("prompt_tokens", r.promptTokens()).put("completion_tokens", r.completionTokens())
                .put("total_tokens", r.totalTokens());
        if (r.costUsd() == null) n.putNull("cost_usd"); else n.put("cost_usd", r.costUsd());
        return n.put("unpriced_requests", r.unpricedRequests()).put("estimated_requests", r.estimatedRequests())
                .put("errors", r.errors()).put("stopped", r.stopped()).put("failovers", r.failovers());
    }

    private static LocalDate date(String name, String value) {
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw bad("'" + name + "' must be a date YYYY-MM-DD, not '" + (value.length() > 40 ? value.substring(0, 40) + "…" : value) + "'.");
        }
    }

    private static BadRequest bad(String message) {
        return new BadRequest(message);
    }

    /**
     * A refused request: 400 with the API's shared error body {@code {"error": {"message", "type"}}}.
     */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    @ExceptionHandler(BadRequest.class)
    ResponseEntity<ApiError> rejected(BadRequest e) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_JSON)
                .body(ApiError.of("invalid_request_error", e.getMessage()));
    }
}
