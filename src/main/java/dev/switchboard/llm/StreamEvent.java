package dev.switchboard.llm;

/**
 * What one streamed completion tells whoever listens, from the upstream through the router to a generation's tabs
 * and API clients: Started, Failover*, Delta*, Usage?, Finished. Attempt events are for the usage record only.
 */
public sealed interface StreamEvent {

    /**
     * An upstream answers; the reply comes from it ({@code model} is the one it says it serves). {@code requestId} is
     * the upstream's own request id (its x-request-id header), or null.
     */
    record Started(String upstream, String model, boolean offline, String requestId) implements StreamEvent {
        public Started(String upstream, String model, boolean offline) {
            this(upstream, model, offline, null);
        }
    }

    /**
     * An upstream failed before its first token and the next one is tried. {@code reason} is for people ("503",
     * "no first token within 20000 ms"); {@code cause} is its short, bounded form for metrics ("503", "timeout").
     */
    record Failover(String from, String to, String reason, String cause) implements StreamEvent {
        public Failover(String from, String to, String reason) {
            this(from, to, reason, reason);
        }
    }

    /** More reply text (never empty). */
    record Delta(String text) implements StreamEvent {}

    /**
     * A fragment of a tool call the model makes: {@code index} tells calls apart; {@code id} and {@code name} come
     * with a call's first fragment, {@code arguments} is the next piece of its JSON arguments (each may be null).
     */
    record ToolCallDelta(int index, String id, String name, String arguments) implements StreamEvent {}

    /** Why the model stopped, as the upstream said it ("stop", "length", "tool_calls", ...). */
    record FinishReason(String reason) implements StreamEvent {}

    /** Token counts, from the upstream's usage chunk or estimated. */
    record Usage(TokenUsage usage) implements StreamEvent {}

    /** One upstream attempt ended: outcome is "ok", "cancelled" or the failure; kept with the usage row. */
    record Attempt(String upstream, String outcome, long latencyMillis) implements StreamEvent {}

    /** The end, exactly once. {@code error} is set for FAILED and INTERRUPTED. */
    record Finished(Outcome outcome, UpstreamException error) implements StreamEvent {
        public static final Finished COMPLETED = new Finished(Outcome.COMPLETED, null);
        public static final Finished STOPPED = new Finished(Outcome.STOPPED, null);

        /** What the user is told: safe to show, never the upstream's raw words beyond a short excerpt. */
        public String message() {
            if (error == null) return null;
            if (outcome == Outcome.INTERRUPTED) return "The reply was interrupted: " + error.getMessage() + ".";
            if (error instanceof AllUpstreamsFailedException) return error.getMessage();
            return "The upstream failed: " + error.getMessage() + ".";
        }
    }

    /** How a completion ended. */
    enum Outcome { COMPLETED, STOPPED, FAILED, INTERRUPTED }
}
