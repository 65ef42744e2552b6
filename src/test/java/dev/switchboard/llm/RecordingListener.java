package dev.switchboard.llm;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Records what a route reports, for assertions, with the times of the failover and of the first token. */
public final class RecordingListener implements Consumer<StreamEvent> {
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

    @Override
    public void accept(StreamEvent event) {
        if (event instanceof StreamEvent.Started s) {
            upstream = s.upstream();
            model = s.model();
            events.add("started:" + s.upstream());
        } else if (event instanceof StreamEvent.Failover f) {
            if (failoverNanos < 0) failoverNanos = System.nanoTime() - t0;
            events.add("failover:" + f.from() + "->" + f.to() + ":" + f.reason());
        } else if (event instanceof StreamEvent.Delta d) {
            if (text.length() == 0) firstTokenNanos = System.nanoTime() - t0;
            text.append(d.text());
        } else if (event instanceof StreamEvent.Usage u) {
            usage = u.usage();
        } else if (event instanceof StreamEvent.Attempt a) {
            attempts.add(a.upstream() + ":" + a.outcome());
        } else if (event instanceof StreamEvent.Finished f) {
            error = f.error();
            afterFirstToken = f.outcome() == StreamEvent.Outcome.INTERRUPTED;
            end(f.outcome() == StreamEvent.Outcome.COMPLETED ? "completed" : afterFirstToken ? "interrupted" : "failed");
        }
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
