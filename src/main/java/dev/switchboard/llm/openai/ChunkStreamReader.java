package dev.switchboard.llm.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import dev.switchboard.llm.StreamSink;
import dev.switchboard.llm.TokenUsage;
import dev.switchboard.llm.UpstreamException;
import dev.switchboard.llm.UpstreamException.Kind;

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
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] DONE = "[DONE]".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** A read that took longer than this waited for the upstream: nothing more was buffered. */
    private static final long WAITED_NANOS = 200_000;

    /**
     * What one chunk said, passed on only once the whole chunk parsed. One per stream, cleared for each chunk: at
     * 24,000 chunks/s a new one each, with a builder for its content and the model name every chunk repeats, was a
     * tenth of what the reader threads allocated.
     */
    private static final class Chunk {
        String model;
        String content;
        boolean finished;
        long promptTokens;
        long completionTokens;

        void clear() {
            model = null;
            content = null;
            finished = false;
            promptTokens = -1;
            completionTokens = -1;
        }

        /** A chunk holds one choice with one content string; should one hold more, they are joined. */
        void addContent(String text) {
            content = content == null ? text : content + text;
        }
    }

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
    /**
     * One non-blocking parser per stream, fed one chunk at a time: creating a parser per chunk (its context, symbol
     * table and buffers) was an eighth of all the app allocated at 256 streams, and young GCs came that much sooner.
     */
    private JsonParser parser;
    private final Chunk chunk = new Chunk();
    private byte[] line;
    private byte[] data;
    private int dataLength;
    private boolean hasData;
    private boolean done;
    private boolean anyChunk;
    private boolean finishSeen;
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

    /** Reads until the end of the body. Malformed JSON throws Jackson's exception, an error event an UpstreamException. */
    void readAll(InputStream in) throws IOException {
        Buffers buffers = BUFFERS.get();
        BUFFERS.set(null); // taken: a stream read on this thread from within this one's callbacks gets its own
        if (buffers == null) buffers = new Buffers();
        byte[] buf = buffers.read();
        line = buffers.line();
        data = buffers.data();
        int lineLength = 0;
        boolean afterCr = false;
        boolean caughtUp = false;
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
                if (n == -1) break;
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
            }
        } finally {
            BUFFERS.set(buffers);
            if (parser != null) parser.close(); // its text buffers go back to Jackson's pool
        }
        // A last event without its blank line is dropped, as the SSE rules say (and the SDK does).
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
        parse(data, length);
        anyChunk = true;
        if (chunk.model != null && !chunk.model.isBlank()) sink.servedModel(chunk.model); // set by the first chunk only
        if (chunk.content != null && !chunk.content.isEmpty()) sink.delta(chunk.content);
        if (chunk.finished) finishSeen = true;
        if (chunk.promptTokens >= 0 && chunk.completionTokens >= 0) {
            sink.usage(new TokenUsage(chunk.promptTokens, chunk.completionTokens, false));
        }
    }

    /**
     * Parses one chunk into {@link #chunk}; it must be exactly one JSON object, and the parser then waits for the next
     * chunk's bytes.
     */
    private void parse(byte[] bytes, int length) throws IOException {
        if (parser == null) parser = JSON.createNonBlockingByteArrayParser();
        JsonParser p = parser;
        ((ByteArrayFeeder) p.getNonBlockingInputFeeder()).feedInput(bytes, 0, length);
        chunk.clear();
        if (next(p) != JsonToken.START_OBJECT) throw malformed("not a JSON object");
        while (next(p) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = next(p);
            switch (field) {
                case "error" -> {
                    if (value != JsonToken.VALUE_NULL) throw errorEvent(p, value);
                }
                case "model" -> {
                    if (value != JsonToken.VALUE_STRING) p.skipChildren();
                    else if (!anyChunk) chunk.model = p.getText(); // upstreams name the model in the first chunk
                }
                case "choices" -> {
                    if (value == JsonToken.START_ARRAY) {
                        while (next(p) == JsonToken.START_OBJECT) readChoice(p, chunk);
                    } else {
                        p.skipChildren();
                    }
                }
                case "usage" -> {
                    if (value == JsonToken.START_OBJECT) readUsage(p, chunk);
                }
                default -> p.skipChildren();
            }
        }
        // All of the chunk must be consumed (the parser asks for more input) before the next one is fed.
        if (p.nextToken() != JsonToken.NOT_AVAILABLE) throw malformed("data after the JSON object");
    }

    private static void readChoice(JsonParser p, Chunk chunk) throws IOException {
        while (next(p) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = next(p);
            if (field.equals("finish_reason")) {
                if (value == JsonToken.VALUE_STRING) chunk.finished = true;
            } else if (field.equals("delta") && value == JsonToken.START_OBJECT) {
                while (next(p) == JsonToken.FIELD_NAME) {
                    boolean content = p.currentName().equals("content");
                    if (next(p) == JsonToken.VALUE_STRING && content) {
                        chunk.addContent(p.getText());
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
    }

    private static void readUsage(JsonParser p, Chunk chunk) throws IOException {
        while (next(p) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = next(p);
            if (value == JsonToken.VALUE_NUMBER_INT && field.equals("prompt_tokens")) {
                chunk.promptTokens = p.getLongValue();
            } else if (value == JsonToken.VALUE_NUMBER_INT && field.equals("completion_tokens")) {
                chunk.completionTokens = p.getLongValue();
            } else {
                p.skipChildren();
            }
        }
    }

    /** An error event ends the stream; its message (OpenAI's error object) is kept for the reply's error line. */
    private static UpstreamException errorEvent(JsonParser p, JsonToken value) throws IOException {
        String message = value == JsonToken.VALUE_STRING ? p.getText() : null;
        if (value == JsonToken.START_OBJECT) {
            while (next(p) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                if (next(p) == JsonToken.VALUE_STRING && field.equals("message")) message = p.getText();
                else p.skipChildren();
            }
        }
        String text = message == null || message.isBlank() ? "the stream sent an error event"
                : "the stream sent an error event: " + (message.length() <= 200 ? message : message.substring(0, 200) + "…");
        return new UpstreamException(Kind.BROKEN_STREAM, 0, text, null, null);
    }

    /** The next token of a chunk, which holds a whole JSON value: running out of input inside it is malformed. */
    private static JsonToken next(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.NOT_AVAILABLE) throw malformed("the JSON ends early");
        return t;
    }

    private static UpstreamException malformed(String why) {
        return new UpstreamException(Kind.BROKEN_STREAM, 0, "malformed chunk: " + why, null, null);
    }
}
