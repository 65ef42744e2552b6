package dev.switchboard.llm;

/** An OpenAI-compatible endpoint that streams chat completions. */
public interface Upstream {
    String name();

    /** The model this upstream is asked for, given the model the user picked (an upstream may pin one). */
    String modelFor(String requestedModel);

    /** True for the built-in offline model, which the UI labels as such. */
    default boolean offline() { return false; }

    /**
     * Starts a streaming completion and returns at once. Chunks, then the end (completed or failed),
     * reach the handler on another thread. After {@link UpstreamCall#cancel()} the handler may hear nothing more.
     */
    UpstreamCall start(CompletionRequest request, StreamHandler handler);
}
