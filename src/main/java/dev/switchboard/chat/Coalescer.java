package dev.switchboard.chat;

import dev.switchboard.llm.StreamEvent;
import org.springframework.scheduling.TaskScheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/**
 * Batches a generation's events for one edge (an SSE response, a browser tab), as chat UIs coalesce rendering: the
 * first content and every event but Started go out at once; later deltas are joined and sent at most every
 * {@link #INTERVAL}. Started waits for the first content, which follows at once, so both leave together. Order is
 * kept: batches go to {@code out} one at a time, under this object's lock, so {@code out} must not block on locks
 * of the generation (an edge that fails hands its clean-up to another thread).
 */
public final class Coalescer implements Consumer<StreamEvent> {
    public static final Duration INTERVAL = Duration.ofMillis(50);

    private final TaskScheduler timer;
    private final Consumer<List<StreamEvent>> out;
    private final List<StreamEvent> pending = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private ScheduledFuture<?> scheduled;
    private boolean contentSent;
    private boolean closed;

    public Coalescer(TaskScheduler timer, Consumer<List<StreamEvent>> out) {
        this.timer = timer;
        this.out = out;
    }

    @Override
    public synchronized void accept(StreamEvent event) {
        if (closed || event instanceof StreamEvent.Attempt) return;
        if (event instanceof StreamEvent.Delta d) {
            text.append(d.text());
            if (!contentSent) {
                flush();
            } else if (scheduled == null) {
                scheduled = timer.schedule(this::flushLater, Instant.now().plus(INTERVAL));
            }
            return;
        }
        takeText();
        pending.add(event);
        if (!(event instanceof StreamEvent.Started)) flush();
    }

    /** Nothing more goes out; what is pending is dropped. */
    public synchronized void close() {
        closed = true;
        if (scheduled != null) scheduled.cancel(false);
        pending.clear();
        text.setLength(0);
    }

    private synchronized void flushLater() {
        scheduled = null;
        if (!closed) flush();
    }

    private void flush() {
        takeText();
        if (scheduled != null) {
            scheduled.cancel(false);
            scheduled = null;
        }
        if (pending.isEmpty()) return;
        List<StreamEvent> batch = List.copyOf(pending);
        pending.clear();
        out.accept(batch);
    }

    /** The deltas joined since the last event, as one Delta in its place. */
    private void takeText() {
        if (text.isEmpty()) return;
        pending.add(new StreamEvent.Delta(text.toString()));
        text.setLength(0);
        contentSent = true;
    }
}
