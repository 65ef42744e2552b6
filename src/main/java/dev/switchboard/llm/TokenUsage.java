package dev.switchboard.llm;

/** Token counts of one completion; {@code estimated} is true when we counted them ourselves. */
public record TokenUsage(long promptTokens, long completionTokens, boolean estimated) {
    public long totalTokens() { return promptTokens + completionTokens; }
}
