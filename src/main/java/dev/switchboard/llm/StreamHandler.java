package dev.switchboard.llm;

/** Receives one upstream stream; exactly one of {@link #completed} or {@link #failed} ends it. */
public interface StreamHandler extends StreamSink {
    void completed();

    void failed(UpstreamException error);
}
