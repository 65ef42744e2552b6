package dev.switchboard.usage;

import java.time.Instant;
import java.util.List;

/**
 * The accounting of one generation, whatever its end.
 *
 * @param status    completed, stopped, failed or interrupted
 * @param estimated true when the counts are ours (tokenizer), not the upstream's
 * @param ttftMillis time to first token, null when none came
 */
public record UsageRecord(String generationId, String username, String conversationId, String requestedModel,
                          String servedModel, String upstream, long promptTokens, long completionTokens,
                          boolean estimated, String status, int failovers, String error, Long ttftMillis,
                          long durationMillis, Instant startedAt, Instant endedAt, List<Attempt> attempts) {
    public UsageRecord {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /** One upstream attempt: outcome is "ok" or the failure reason. */
    public record Attempt(String upstream, String outcome, long latencyMillis, Instant at) {}
}
