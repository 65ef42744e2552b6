package dev.switchboard.usage;

/**
 * The totals of a filter, with the median time to first token (null when no request got a first token).
 *
 * @param medianApproximate true when the median comes from the rollups' TTFT histogram (large ranges) rather than
 *                          from the raw rows
 */
public record UsageTotals(UsageRow sums, Long medianTtftMillis, boolean medianApproximate) {}
