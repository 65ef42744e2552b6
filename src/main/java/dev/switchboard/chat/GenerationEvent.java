package dev.switchboard.chat;

import dev.switchboard.llm.TokenUsage;

/** What a running generation tells its listeners, in order: Started, Failover*, Delta*, Usage?, Finished. */
public sealed interface GenerationEvent {
    /** An upstream accepted the request; the reply comes from it. */
    record Started(String upstream, String model, boolean offline) implements GenerationEvent {}

    /** An upstream failed before its first token and the next one is tried. */
    record Failover(String from, String to, String reason) implements GenerationEvent {}

    /** More reply text. */
    record Delta(String text) implements GenerationEvent {}

    /** Token counts, from the upstream or estimated. */
    record Usage(TokenUsage usage) implements GenerationEvent {}

    /** The end, whatever it was; carries the final state. */
    record Finished(GenerationState state) implements GenerationEvent {}
}
