package dev.switchboard.chat;

import dev.switchboard.llm.TokenUsage;

import java.util.List;

/**
 * A consistent picture of a generation: the text so far and how it stands.
 *
 * @param upstream  who answers (null until Started)
 * @param error     why it failed or broke (null otherwise), safe to show to the user
 * @param failovers notes like "primary: 503", in order
 * @param usage     null until known
 */
public record GenerationState(String id, String text, String upstream, String model, boolean offline,
                              GenerationStatus status, String error, List<String> failovers, TokenUsage usage) {
    public GenerationState {
        failovers = List.copyOf(failovers);
    }

    public boolean running() { return status == GenerationStatus.RUNNING; }
}
