package dev.switchboard.usage;

import java.time.Instant;
import java.util.List;

/**
 * The accounting of one generation, whatever its end.
 *
 * @param status    running (a start or progress save), completed, stopped, failed or interrupted
 * @param estimated true when the counts are ours (tokenizer), not the upstream's
 * @param ttftMillis time to first token, null when none came
 * @param source    where the request came from: "ui", "api" (POST /api/chat) or "v1" (the OpenAI-compatible API)
 * @param upstreamRequestId the upstream's own id of the request that answered, or null
 */
public record UsageRecord(String generationId, String username, String conversationId, String requestedModel,
                          String servedModel, String upstream, long promptTokens, long completionTokens,
                          boolean estimated, String status, int failovers, String error, Long ttftMillis,
                          long durationMillis, Instant startedAt, Instant endedAt, List<Attempt> attempts,
                          String source, String upstreamRequestId) {
    public UsageRecord {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /** A record without a source or upstream request id (tests, rows made before V9). */
    public UsageRecord(String generationId, String username, String conversationId, String requestedModel,
                       String servedModel, String upstream, long promptTokens, long completionTokens,
                       boolean estimated, String status, int failovers, String error, Long ttftMillis,
                       long durationMillis, Instant startedAt, Instant endedAt, List<Attempt> attempts) {
        this(generationId, username, conversationId, requestedModel, servedModel, upstream, promptTokens,
                completionTokens, estimated, status, failovers, error, ttftMillis, durationMillis, startedAt, endedAt,
                attempts, null, null);
    }

    /** This record ended with {@code status} at {@code at} (e.g. a running row found after a crash: interrupted). */
    public UsageRecord ended(String status, String error, Instant at) {
        return new UsageRecord(generationId, username, conversationId, requestedModel, servedModel, upstream, promptTokens,
                completionTokens, estimated, status, failovers, error, ttftMillis, durationMillis, startedAt, at, attempts,
                source, upstreamRequestId);
    }

    public boolean running() {
        return UsageWriter.RUNNING.equals(status);
    }

    /** One upstream attempt: outcome is "ok" or the failure reason. */
    public record Attempt(String upstream, String outcome, long latencyMillis, Instant at) {}
}
