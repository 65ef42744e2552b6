package dev.switchboard.usage;

import java.math.BigDecimal;

/**
 * Sums over a group of usage rows.
 *
 * @param costUsd          cost of the priced requests; null when none of them has a price (never a made-up 0)
 * @param unpricedRequests requests whose model had no price: not in {@code costUsd}
 * @param errors           failed plus interrupted requests
 */
public record UsageRow(String group, long requests, long promptTokens, long completionTokens, BigDecimal costUsd,
                       long unpricedRequests, long estimatedRequests, long errors, long stopped, long failovers) {

    public long totalTokens() { return promptTokens + completionTokens; }

    /** Errors per request, 0 when there were none. */
    public double errorRate() { return requests == 0 ? 0 : (double) errors / requests; }

    /** True when every request of the group is in {@code costUsd}. */
    public boolean fullyPriced() { return unpricedRequests == 0; }
}
