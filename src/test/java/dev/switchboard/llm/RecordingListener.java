package dev.switchboard.llm;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Records what a route reports, for assertions, with the times of the failover and of the first token. */
public final class RecordingListener implements RouteListener, UpstreamRouter.RouteEnd {
    public final List<String> events = new CopyOnWriteArrayList<>();
    public final List<String> attempts = new CopyOnWriteArrayList<>();
    public final StringBuffer text = new StringBuffer();
    public volatile String upstream;
    public volatile String model;
    public volatile TokenUsage usage;
    public volatile UpstreamException error;
    public volatile Boolean afterFirstToken;
    public volatile long firstTokenNanos = -1;
    public volatile long failoverNanos = -1;
    public volatile long endNanos = -1;
    private final long t0 = System.nanoTime();
    private final CountDownLatch done = new CountDownLatch(1);

    @Override public void started(String up, String m, boolean offline) { upstream = up; model = m; events.add("started:" + up); }
    @Override public void failover(String from, String to, String reason) {
        if (failoverNanos < 0) failoverNanos = System.nanoTime() - t0;
        events.add("failover:" + from + "->" + to + ":" + reason);
    }
    @Override public void delta(String t) {
        if (text.length() == 0) firstTokenNanos = System.nanoTime() - t0;
        text.append(t);
    }
    @Override public void usage(TokenUsage u) { usage = u; }
    @Override public void attempt(String up, String outcome, long latencyMillis) { attempts.add(up + ":" + outcome); }
    @Override public void completed() { end("completed"); }
    @Override public void failed(UpstreamException e, boolean after) {
        error = e;
        afterFirstToken = after;
        end(after ? "interrupted" : "failed");
    }

    private void end(String what) {
        endNanos = System.nanoTime() - t0;
        events.add(what);
        done.countDown();
    }

    public RecordingListener await() throws InterruptedException {
        if (!done.await(30, TimeUnit.SECONDS)) throw new AssertionError("route did not end; events: " + events);
        return this;
    }

    public boolean ended() { return done.getCount() == 0; }

    public long firstTokenMillis() { return TimeUnit.NANOSECONDS.toMillis(firstTokenNanos); }

    public long endMillis() { return TimeUnit.NANOSECONDS.toMillis(endNanos); }

    public long failoverMillis() { return TimeUnit.NANOSECONDS.toMillis(failoverNanos); }
}
