package dev.switchboard.llm;

/** What {@link UpstreamRouter} reports while it runs one completion: which upstream answers, failovers, then the stream. */
public interface RouteListener extends StreamSink {
    /** An upstream accepted the request and its stream begins (before any delta). */
    void started(String upstream, String model, boolean offline);

    /** An upstream failed before its first token and the next one is tried. */
    void failover(String from, String to, String reason);

    /** One attempt ended: outcome is "ok", "cancelled" or the failure reason. For the admin's upstream view. */
    default void attempt(String upstream, String outcome, long latencyMillis) {}
}
