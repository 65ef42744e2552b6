package dev.switchboard.llm;

import java.util.function.Consumer;

/** An OpenAI-compatible endpoint that streams chat completions. */
public interface Upstream {
    String name();

    /** The model this upstream is asked for, given the model the user picked (an upstream may pin one). */
    String modelFor(String requestedModel);

    /** True for the built-in offline model, which the UI labels as such. */
    default boolean offline() { return false; }

    /**
     * Starts a streaming completion and returns at once. On another thread, {@code events} hears Started (once the
     * upstream answers), Delta and Usage, then one Finished: COMPLETED, or FAILED with the classified error.
     * After {@link UpstreamCall#cancel()} it may hear nothing more.
     */
    UpstreamCall stream(CompletionRequest request, Consumer<StreamEvent> events);
}
