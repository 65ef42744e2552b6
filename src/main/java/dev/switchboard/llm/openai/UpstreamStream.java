package dev.switchboard.llm.openai;

import com.openai.core.http.HttpResponse;
import dev.switchboard.llm.StreamHandler;
import dev.switchboard.llm.UpstreamException;
import dev.switchboard.llm.UpstreamException.Kind;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One stream of an {@link OpenAiUpstream}, sent and read with blocking calls into handler calls: servedModel once,
 * deltas, usage, then exactly one end. Watched by {@link StallWatchdog}; a cancel closes its socket at any moment.
 */
final class UpstreamStream implements StallWatchdog.Watched {
    /**
     * What the streams of one upstream share.
     *
     * @param answerNanos how long the upstream may take to answer: connect, then the stall timeout for the headers
     * @param stallNanos longest silence between two reads of the body
     * @param maxReply longest reply, however steadily it streams
     * @param readInterval after the first chunk, how often the stream is read at most (see ChunkStreamReader)
     * @param readers the threads that read streams
     */
    record Settings(long answerNanos, long stallNanos, Duration maxReply, Duration readInterval, Executor readers) {
        String longestReply() {
            return maxReply.toMinutes() >= 1 ? maxReply.toMinutes() + " min" : maxReply.toMillis() + " ms";
        }
    }

    private final Settings settings;
    private final StreamHandler handler;
    private final ChunkStreamReader reader;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean cancelled;
    private volatile boolean stalled;
    private volatile boolean overlong;
    private final long startNanos = System.nanoTime();
    private final Runnable abort;

    /** @param abort closes the OkHttp call's socket */
    UpstreamStream(Settings settings, StreamHandler handler, Runnable abort) {
        this.settings = settings;
        this.handler = handler;
        this.reader = new ChunkStreamReader(handler, settings.readInterval());
        this.abort = abort;
        StallWatchdog.SHARED.watch(this);
    }

    @Override
    public long deadlineNanos() {
        long lastRead = reader.lastReadNanos();
        long quiet = lastRead == 0 ? startNanos + settings.answerNanos() : lastRead + settings.stallNanos();
        return Math.min(startNanos + settings.maxReply().toNanos(), quiet);
    }

    @Override
    public void expire() {
        overlong = System.nanoTime() - startNanos >= settings.maxReply().toNanos();
        stalled = true;
        abort.run(); // the reader's blocked read (or OkHttp's connect) fails at once; end() reports the stall
    }

    /** On a reader thread: sends the request, then reads the 2xx answer's body as blocking reads of one socket. */
    void run(Supplier<? extends HttpResponse> send) {
        HttpResponse answer = open(send);
        if (answer != null) readRest(answer);
    }

    /**
     * On the thread that started the stream (CallerSends): sends the request and reads the answer's first bytes,
     * passing on what they hold (the first token), then leaves the rest of the body to a reader thread.
     */
    void sendHere(Supplier<? extends HttpResponse> send) {
        HttpResponse answer = open(send);
        if (answer == null) return;
        try {
            if (!reader.readFirst(answer.body())) {
                closeQuietly(answer);
                end(null);
                return;
            }
            settings.readers().execute(() -> readRest(answer));
        } catch (Throwable e) { // a broken first read, or no reader thread to be had
            closeQuietly(answer);
            end(e);
        }
    }

    /** Sends the request: the answer, or null once the stream has ended (cancelled, or the send failed). */
    private HttpResponse open(Supplier<? extends HttpResponse> send) {
        if (cancelled) {
            end(null);
            return null;
        }
        try {
            return send.get();
        } catch (Throwable e) {
            end(e);
            return null;
        }
    }

    private void readRest(HttpResponse answer) {
        try (answer) {
            reader.readAll(answer.body());
            end(null);
        } catch (Throwable e) {
            end(e);
        }
    }

    private static void closeQuietly(HttpResponse answer) {
        try {
            answer.close();
        } catch (RuntimeException ignored) {
            // the stream ends with the first error
        }
    }

    void end(Throwable error) {
        StallWatchdog.SHARED.forget(this);
        if (cancelled || !ended.compareAndSet(false, true)) return;
        if (stalled && overlong) {
            handler.failed(new UpstreamException(Kind.TIMEOUT, 0, "the reply ran longer than " + settings.longestReply(), null, error));
        } else if (stalled) {
            handler.failed(OpenAiUpstream.timedOut(reader.anyChunk(), error));
        } else if (error != null) {
            handler.failed(OpenAiUpstream.classify(error, reader.anyChunk()));
        } else if (!reader.finishSeen()) {
            // A clean EOF without any finish_reason is a cut stream, not a finished reply.
            handler.failed(new UpstreamException(Kind.BROKEN_STREAM, 0, "the stream ended before the reply was complete", null, null));
        } else {
            handler.completed();
        }
    }

    void cancel() {
        cancelled = true;
        StallWatchdog.SHARED.forget(this);
        abort.run(); // closes the socket now, whatever the reader thread is doing
        // The body is closed by its reader thread only: okio's timeouts break when another thread closes it mid-read.
    }
}
