package dev.switchboard.chat.api;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One {@code /api/chat} response. The first content event is written at once; later deltas that arrive within
 * {@code flushInterval} of a write are joined into one {@code content} event, the way chat UIs coalesce rendering.
 * A write and flush per token was the largest part of the app's CPU per relayed token in the benchmark. Any other
 * event first flushes what is pending, so the order of events never changes. Once the reader says it has caught up
 * with the upstream (it reads in batches, see ChunkStreamReader), content waits for that signal and each batch
 * leaves in one write; the timer then only covers an upstream that pauses mid-batch. Calls may come from the upstream's
 * reader thread and from the flush timer: everything is serialised on this object.
 */
final class SseStream {
    /** Where the events go: the response, written and flushed per call. */
    interface Sink {
        void send(String event) throws IOException;

        /** The stream's last event: it may wait for {@link #complete()} to leave in one write with the response's end. */
        default void sendLast(String event) throws IOException {
            send(event);
        }

        /** The stream is over: ends the response. */
        void complete();
    }

    private static final JsonStringEncoder JSON_STRING = JsonStringEncoder.getInstance();

    private final Sink sink;
    private final ScheduledExecutorService timer;
    private final long intervalNanos;
    private final Runnable clientGone;
    /** Content not written yet, already escaped as the inside of a JSON string. */
    private final StringBuilder pending = new StringBuilder();
    /** Events that go out in front of the next write. */
    private final StringBuilder held = new StringBuilder();
    private ScheduledFuture<?> scheduled;
    /** The reader signals when it has caught up: write on that signal rather than on the first delta of a batch. */
    private boolean batched;
    private long lastContentWrite;
    private boolean anyContent;

    /** @param clientGone runs when a timed flush finds the client gone (a direct write throws instead) */
    SseStream(Sink sink, ScheduledExecutorService timer, Duration flushInterval,
              Runnable clientGone) {
        this.sink = sink;
        this.clientGone = clientGone;
        this.timer = timer;
        this.intervalNanos = flushInterval.toNanos();
    }

    /** A piece of the reply: written now if nothing was written within the interval, else joined to the next write. */
    synchronized void content(String text) throws IOException {
        JSON_STRING.quoteAsString(text, pending);
        long now = System.nanoTime();
        if (!anyContent || intervalNanos <= 0 || (!batched && now - lastContentWrite >= intervalNanos)) {
            writePending(now);
        } else if (scheduled == null) {
            long delay = batched ? intervalNanos : intervalNanos - (now - lastContentWrite);
            scheduled = timer.schedule(this::flushQuietly, delay, TimeUnit.NANOSECONDS);
        }
    }

    /** The reader caught up with the upstream: what it passed on since the last write goes out now, in one write. */
    synchronized void caughtUp() throws IOException {
        batched = true;
        if (scheduled != null) {
            scheduled.cancel(false);
            scheduled = null;
        }
        writePending(System.nanoTime());
    }

    /** Any other event, as a JSON object: after whatever content is pending. */
    synchronized void event(Object node) throws IOException {
        writePending(System.nanoTime());
        send("data: " + node + "\n\n");
    }

    /**
     * An event that goes out with the next write: the {@code upstream} event, which comes just before the first
     * content, so both leave in one write and one packet.
     */
    synchronized void eventWithNext(Object node) {
        held.append("data: ").append(node).append("\n\n");
    }

    /** The end of the stream: pending content, then {@code [DONE]}; the response ends even if a write fails. */
    synchronized void done() throws IOException {
        try {
            writePending(System.nanoTime());
            sink.sendLast(withHeld("data: [DONE]\n\n"));
        } finally {
            sink.complete();
        }
    }

    private void flushQuietly() {
        try {
            synchronized (this) {
                scheduled = null;
                writePending(System.nanoTime());
            }
        } catch (IOException | IllegalStateException e) {
            clientGone.run();
        }
    }

    private void writePending(long now) throws IOException {
        if (pending.isEmpty()) return;
        // The event written out by hand, as Jackson would: a tree and a generator for each write were a twentieth
        // of all the app allocated while streaming.
        String event = "data: {\"content\":\"" + pending + "\"}\n\n";
        pending.setLength(0);
        anyContent = true;
        lastContentWrite = now;
        send(event);
    }

    private void send(String event) throws IOException {
        sink.send(withHeld(event));
    }

    /** {@code event} behind the events held for the next write, which are then no longer held. */
    private String withHeld(String event) {
        if (held.isEmpty()) return event;
        String both = held.append(event).toString();
        held.setLength(0);
        return both;
    }
}
