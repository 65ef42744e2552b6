package dev.switchboard.chat;

import dev.switchboard.llm.TokenUsage;

/**
 * What a running generation tells its listeners, in order: Started, Failover*, Delta* (with CaughtUp between them),
 * Usage?, Finished.
 */
public sealed interface GenerationEvent {
    /** An upstream accepted the request; the reply comes from it. */
    record Started(String upstream, String model, boolean offline) implements GenerationEvent {}

    /** An upstream failed before its first token and the next one is tried. */
    record Failover(String from, String to, String reason) implements GenerationEvent {}

    /** More reply text. */
    record Delta(String text) implements GenerationEvent {}

    /**
     * The upstream has nothing more for now and will not be read again for a moment: what was held back to be sent
     * in batches can go now. Carries nothing; listeners that do not batch ignore it.
     */
    record CaughtUp() implements GenerationEvent {}

    /** Token counts, from the upstream or estimated. */
    record Usage(TokenUsage usage) implements GenerationEvent {}

    /** The end, whatever it was; carries the final state. */
    record Finished(GenerationState state) implements GenerationEvent {}
}
