package dev.switchboard.llm;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Records what a route reports, for assertions. */
public final class RecordingListener implements RouteListener, UpstreamRouter.RouteEnd {
    public final List<String> events = new CopyOnWriteArrayList<>();
    public final StringBuffer text = new StringBuffer();
    public volatile String upstream;
    public volatile TokenUsage usage;
    public volatile UpstreamException error;
    public volatile Boolean afterFirstToken;
    public volatile long firstTokenNanos;
    private final long t0 = System.nanoTime();
    private final CountDownLatch done = new CountDownLatch(1);

    @Override public void started(String up, String model, boolean offline) { upstream = up; events.add("started:" + up); }
    @Override public void failover(String from, String to, String reason) { events.add("failover:" + from + "->" + to + ":" + reason); }
    @Override public void delta(String t) {
        if (text.length() == 0) firstTokenNanos = System.nanoTime() - t0;
        text.append(t);
    }
    @Override public void usage(TokenUsage u) { usage = u; }
    @Override public void completed() { events.add("completed"); done.countDown(); }
    @Override public void failed(UpstreamException e, boolean after) { error = e; afterFirstToken = after; events.add("failed"); done.countDown(); }

    public RecordingListener await() throws InterruptedException {
        if (!done.await(30, TimeUnit.SECONDS)) throw new AssertionError("route did not end; events: " + events);
        return this;
    }

    public long firstTokenMillis() { return TimeUnit.NANOSECONDS.toMillis(firstTokenNanos); }
}
