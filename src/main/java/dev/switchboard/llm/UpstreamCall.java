package dev.switchboard.llm;

/** A started streaming completion; {@link #cancel} may be called from any thread, at any time, more than once. */
@FunctionalInterface
public interface UpstreamCall {
    void cancel();
}
