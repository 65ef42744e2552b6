package dev.switchboard.llm;

/** Receives what an upstream streams, on the thread that reads the stream. */
public interface StreamSink {
    /** A piece of the reply's text (never empty). */
    void delta(String text);

    /** The upstream's own token counts (the {@code include_usage} chunk). */
    void usage(TokenUsage usage);

    /** The model the upstream says served the request, when it says so. */
    default void servedModel(String model) {}

    /**
     * Everything the upstream sent so far has been passed on and the reader now waits before it reads again
     * (switchboard.upstream-read-interval): the moment to send on what was held back for batching.
     */
    default void caughtUp() {}
}
