package dev.switchboard.llm.openai;

import dev.switchboard.llm.StreamSink;
import dev.switchboard.llm.TokenUsage;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads a chat-completions event stream (SSE of {@code chat.completion.chunk} objects) from the raw response body and
 * passes on only what Switchboard uses: the served model, content deltas, finish and usage.
 *
 * <p>Why not the SDK's own stream: in the benchmark, reading lines into Strings, a Jackson tree and then a
 * Kotlin-reflection bean per chunk was about half of the reader threads' CPU, which at 256 streams on 2 cores
 * queued new streams behind old ones. This reads bytes and pulls the few fields with Jackson's streaming parser.
 * It follows the SSE rules the SDK follows (lines end in LF, CRLF or CR; comments; multi-line data; {@code [DONE]};
 * a chunk with an {@code error} member is an error event) and reads on to the end after {@code [DONE]}, as the SDK
 * does, so the connection can be reused.
 *
 * <p>Once the first chunk is in, a reader that has caught up with the upstream waits about {@code readInterval}
 * (a random ¾–1 of it) before it reads again, so that the chunks of that time are taken in one wake-up and one
 * socket read rather than one each.
 * A token then waits in the socket instead of in the API's flush buffer: replies leave in 50 ms batches either way.
 * In the benchmark the blocking reads, one context switch per chunk, were half of the reader threads' CPU.
 */
final class ChunkStreamReader {
    private static final byte[] DONE = "[DONE]".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** A read that took longer than this waited for the upstream: nothing more was buffered. */
    private static final long WAITED_NANOS = 200_000;

    /**
     * The buffers of the stream a reader thread is reading, one set per thread. A set per stream (17 KB) lived as long
     * as its stream, so young GCs found it alive and copied it: 4 MB a pause at 256 streams. A buffer that has to grow
     * for one long line grows for that stream only.
     */
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** Socket reads land in {@code read}; a line is gathered in {@code line}, an event's data in {@code data}. */
    private record Buffers(byte[] read, byte[] line, byte[] data) {
        Buffers() {
            this(new byte[8192], new byte[8192], new byte[1024]);
        }
    }

    private final StreamSink sink;
    private final long paceNanos;
    private final ChunkParser chunks = new ChunkParser();
    private byte[] line;
    private byte[] data;
    private int dataLength;
    private boolean hasData;
    private boolean done;
    private boolean anyChunk;
    private boolean finishSeen;
    /** Where a line and an event stand between reads (and between {@link #readFirst} and {@link #readAll}). */
    private int lineLength;
    private boolean afterCr;
    private boolean caughtUp;
    /** An unfinished line and event that {@link #readFirst} left, for {@link #readAll} to go on with. */
    private byte[] keptLine;
    private byte[] keptData;
    /** When bytes last arrived (System.nanoTime()), for the stall watchdog; 0 before the first read. */
    private volatile long lastReadNanos;

    /** @param readInterval after the first chunk, how often to read once caught up; zero reads each chunk at once */
    ChunkStreamReader(StreamSink sink, Duration readInterval) {
        this.sink = sink;
        this.paceNanos = readInterval.toNanos();
    }

    /** At least one chunk was parsed: trouble from now on is a broken stream, not a failure to start. */
    boolean anyChunk() { return anyChunk; }

    long lastReadNanos() { return lastReadNanos; }

    /** A chunk carried a finish_reason: the reply is complete. */
    boolean finishSeen() { return finishSeen; }

    /**
     * Reads once, blocking until the first bytes come, and passes on what they hold; false if the body ended there.
     * {@link #readAll} goes on from there, on this thread or another (an unfinished line is kept for it).
     */
    boolean readFirst(InputStream in) throws IOException {
        return read(in, true);
    }

    /** Reads until the end of the body. Malformed JSON throws Jackson's exception, an error event an UpstreamException. */
    void readAll(InputStream in) throws IOException {
        read(in, false);
    }

    private boolean read(InputStream in, boolean once) throws IOException {
        Buffers buffers = BUFFERS.get();
        BUFFERS.set(null); // taken: a stream read on this thread from within this one's callbacks gets its own
        if (buffers == null) buffers = new Buffers();
        byte[] buf = buffers.read();
        line = restore(buffers.line(), keptLine, lineLength);
        data = restore(buffers.data(), keptData, dataLength);
        keptLine = keptData = null;
        boolean paused = false;
        try {
            while (true) {
                // Never before the first chunk, nor after the last one (usage and [DONE] follow it at once).
                if (caughtUp && paceNanos > 0 && anyChunk && !finishSeen && !done) {
                    sink.caughtUp();
                    // A random ¾–1 of the interval: readers that a GC pause woke together would otherwise keep
                    // waking together, every interval, and new streams met the crowd for a second afterwards.
                    LockSupport.parkNanos(paceNanos - ThreadLocalRandom.current().nextLong(paceNanos / 4 + 1));
                }
                long before = System.nanoTime();
                int n = in.read(buf);
                if (n == -1) return false;
                lastReadNanos = System.nanoTime();
                caughtUp = lastReadNanos - before > WAITED_NANOS;
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n' && afterCr) {
                        afterCr = false; // the LF of a CRLF
                        continue;
                    }
                    afterCr = b == '\r';
                    if (b == '\n' || b == '\r') {
                        onLine(lineLength);
                        lineLength = 0;
                    } else {
                        if (lineLength == line.length) line = Arrays.copyOf(line, line.length * 2);
                        line[lineLength++] = b;
                    }
                }
                if (once) {
                    // The thread's buffers stay with it: what the stream has of an unfinished line and event is copied.
                    if (lineLength > 0) keptLine = Arrays.copyOf(line, lineLength);
                    if (dataLength > 0) keptData = Arrays.copyOf(data, dataLength);
                    paused = true;
                    return true;
                }
            }
        } finally {
            BUFFERS.set(buffers);
            // At the end, its text buffers go back to Jackson's pool. A last event without its blank line is dropped,
            // as the SSE rules say (and the SDK does).
            if (!paused) chunks.close();
        }
    }

    /** {@code buffer}, holding the first {@code length} bytes of {@code kept} if a first read left some. */
    private static byte[] restore(byte[] buffer, byte[] kept, int length) {
        if (kept == null) return buffer;
        byte[] b = buffer.length >= length ? buffer : Arrays.copyOf(buffer, length);
        System.arraycopy(kept, 0, b, 0, length);
        return b;
    }

    private void onLine(int length) throws IOException {
        if (length == 0) {
            dispatch();
            return;
        }
        if (done || line[0] == ':') return; // after [DONE] everything is ignored; ':' starts a comment
        int colon = 0;
        while (colon < length && line[colon] != ':') colon++;
        if (colon != 4 || line[0] != 'd' || line[1] != 'a' || line[2] != 't' || line[3] != 'a') return; // event, id, retry: unused
        int from = colon + 1;
        if (from < length && line[from] == ' ') from++;
        int add = length - from + (hasData ? 1 : 0);
        if (dataLength + add > data.length) data = Arrays.copyOf(data, Math.max(data.length * 2, dataLength + add));
        if (hasData) data[dataLength++] = '\n'; // several data lines are one value joined by LF
        System.arraycopy(line, from, data, dataLength, length - from);
        dataLength += length - from;
        hasData = true;
    }

    private void dispatch() throws IOException {
        if (!hasData) return;
        int length = dataLength;
        hasData = false;
        dataLength = 0;
        if (done) return;
        if (length >= DONE.length && Arrays.equals(data, 0, DONE.length, DONE, 0, DONE.length)) {
            done = true;
            return;
        }
        ChunkParser.Chunk chunk = chunks.parse(data, length, !anyChunk);
        anyChunk = true;
        if (chunk.model != null && !chunk.model.isBlank()) sink.servedModel(chunk.model); // set by the first chunk only
        if (chunk.content != null && !chunk.content.isEmpty()) sink.delta(chunk.content);
        if (chunk.finished) finishSeen = true;
        if (chunk.promptTokens >= 0 && chunk.completionTokens >= 0) {
            sink.usage(new TokenUsage(chunk.promptTokens, chunk.completionTokens, false));
        }
    }
}
