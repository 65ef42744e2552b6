package dev.switchboard.chat.api;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One {@code /api/chat} response. The first content event is written at once; later deltas that arrive within
 * {@code flushInterval} of a write are joined into one {@code content} event, the way chat UIs coalesce rendering.
 * A write and flush per token was the largest part of the app's CPU per relayed token in the benchmark. Any other
 * event first flushes what is pending, so the order of events never changes. Calls may come from the upstream's
 * reader thread and from the flush timer: everything is serialised on this object.
 */
final class SseStream {
    /** Where the events go: the response, written and flushed per call. */
    interface Sink {
        void send(String event) throws IOException;

        /** The stream is over: ends the response. */
        void complete();
    }

    private final Sink sink;
    private final ObjectMapper json;
    private final ScheduledExecutorService timer;
    private final long intervalNanos;
    private final Runnable clientGone;
    private final StringBuilder pending = new StringBuilder();
    /** Events that go out in front of the next write. */
    private final StringBuilder held = new StringBuilder();
    private boolean flushScheduled;
    private long lastContentWrite;
    private boolean anyContent;

    /** @param clientGone runs when a timed flush finds the client gone (a direct write throws instead) */
    SseStream(Sink sink, ObjectMapper json, ScheduledExecutorService timer, Duration flushInterval,
              Runnable clientGone) {
        this.sink = sink;
        this.clientGone = clientGone;
        this.json = json;
        this.timer = timer;
        this.intervalNanos = flushInterval.toNanos();
    }

    /** A piece of the reply: written now if nothing was written within the interval, else joined to the next write. */
    synchronized void content(String text) throws IOException {
        pending.append(text);
        long now = System.nanoTime();
        if (!anyContent || intervalNanos <= 0 || now - lastContentWrite >= intervalNanos) {
            writePending(now);
        } else if (!flushScheduled) {
            flushScheduled = true;
            long delay = intervalNanos - (now - lastContentWrite);
            timer.schedule(this::flushQuietly, delay, TimeUnit.NANOSECONDS);
        }
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
            send("data: [DONE]\n\n");
        } finally {
            sink.complete();
        }
    }

    private void flushQuietly() {
        try {
            synchronized (this) {
                flushScheduled = false;
                writePending(System.nanoTime());
            }
        } catch (IOException | IllegalStateException e) {
            clientGone.run();
        }
    }

    private void writePending(long now) throws IOException {
        if (pending.isEmpty()) return;
        String text = pending.toString();
        pending.setLength(0);
        anyContent = true;
        lastContentWrite = now;
        send("data: " + json.createObjectNode().put("content", text) + "\n\n");
    }

    private void send(String event) throws IOException {
        if (held.isEmpty()) {
            sink.send(event);
            return;
        }
        String both = held.append(event).toString();
        held.setLength(0);
        sink.send(both);
    }
}
