package dev.switchboard.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The benchmark's client: HTTP/1.1 over one blocking socket, kept alive between streams, reading the SSE body line by
 * line on the calling thread. The JDK's HttpClient hands every chunk from its selector thread to the reading thread:
 * measured as about as much CPU as the app itself, on the same two cores, which made the load generator the
 * bottleneck it was meant to measure. This one wakes once per chunk that arrives.
 */
final class SseClient implements AutoCloseable {
    /** One response: its status and, for a 200, when the first content line came and how the stream ended. */
    record Answer(int status, long firstContentNanos, boolean sawDone, String error) { }

    private final String host;
    private final int port;
    private final byte[] head;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int lim;
    private final byte[] line = new byte[64 * 1024];
    private int lineLength;
    private boolean keepAlive;
    /** Whether any byte of the current answer came: only a request with no answer at all is sent again. */
    private boolean answered;
    long lastUsedNanos = System.nanoTime();
    /** When the current answer last made progress; 0 between answers (read by StreamLoad's stall check). */
    volatile long progressNanos;

    SseClient(URI url, String authorization) {
        this(url, authorization, false);
    }

    /** With {@code close}, each request says {@code Connection: close} (as curl and HTTP/1.0 clients do): one connection per stream. */
    SseClient(URI url, String authorization, boolean close) {
        this.host = url.getHost();
        this.port = url.getPort();
        this.head = ("POST " + url.getRawPath() + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\nAuthorization: " + authorization
                + (close ? "\r\nConnection: close" : "") + "\r\nContent-Length: ").getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether the connection may carry another request. */
    boolean reusable() {
        return keepAlive && socket != null && !socket.isClosed();
    }

    /** Sends the body and reads the whole answer. A kept-alive connection the server had closed is replaced once. */
    Answer post(byte[] body) throws IOException {
        boolean reused = socket != null;
        if (!reused) connect();
        try {
            return exchange(body);
        } catch (EOFException | java.net.SocketException staleConnection) {
            if (!reused || answered) throw staleConnection;
            close();
            connect();
            return exchange(body);
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port));
        in = socket.getInputStream();
        out = socket.getOutputStream();
        pos = lim = 0;
    }

    private Answer exchange(byte[] body) throws IOException {
        byte[] length = (body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + length.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(length, 0, request, head.length, length.length);
        System.arraycopy(body, 0, request, head.length + length.length, body.length);
        answered = false;
        current = null;
        lineLength = 0;
        progressNanos = System.nanoTime();
        out.write(request);
        out.flush();
        String status = readLine();
        int code = Integer.parseInt(status.substring(9, 12));
        long contentLength = -1;
        boolean chunked = false;
        keepAlive = true;
        for (String h; !(h = readLine()).isEmpty(); ) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) contentLength = Long.parseLong(h.substring(15).trim());
            else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
            else if (lower.startsWith("connection:") && lower.contains("close")) keepAlive = false;
        }
        Lines lines = new Lines();
        current = lines;
        if (chunked) {
            for (long size; (size = chunkSize()) > 0; ) {
                body(size, lines);
                chunkSize(); // the CRLF after each chunk
            }
            while (!readLine().isEmpty()) {
                // trailers
            }
        } else if (contentLength >= 0) {
            body(contentLength, lines);
        } else {
            body(Long.MAX_VALUE, lines);
            keepAlive = false;
        }
        if (lineLength > 0) { // a JSON answer (not streamed) ends without a newline
            lines.accept(line, lineLength);
            lineLength = 0;
        }
        lastUsedNanos = System.nanoTime();
        progressNanos = 0;
        if (!keepAlive) close();
        // Not streamed: a whole answer with content is done once read.
        boolean done = lines.done || !lines.sse && code == 200 && lines.first >= 0;
        return new Answer(code, lines.first, done, lines.error);
    }

    /** Reads {@code n} body bytes (or to the end), splitting them into SSE lines. */
    private void body(long n, Lines lines) throws IOException {
        while (n > 0) {
            if (pos == lim && !fill()) {
                if (n == Long.MAX_VALUE) return;
                throw new EOFException("the body ended early");
            }
            int take = (int) Math.min(n, lim - pos);
            for (int i = pos; i < pos + take; i++) {
                byte b = buf[i];
                if (b == '\n') {
                    lines.accept(line, lineLength);
                    lineLength = 0;
                } else if (b != '\r' && lineLength < line.length) {
                    line[lineLength++] = b;
                }
            }
            pos += take;
            n -= take;
        }
    }

    /**
     * What the lines of one stream said. The first token is the first line with non-empty content: OpenAI's and
     * vLLM's first chunk carries the role with {@code "content":""}, which is not a token.
     */
    private static final class Lines {
        private static final byte[] CONTENT = "\"content\"".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] ERROR = "data: {\"error\"".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] DONE = "data: [DONE]".getBytes(StandardCharsets.US_ASCII);
        long first = -1;
        boolean done;
        /** A line began with "data:": a stream of events, which ends at [DONE]. */
        boolean sse;
        String error;

        void accept(byte[] b, int n) {
            if (n >= 5 && b[0] == 'd' && b[1] == 'a' && b[2] == 't' && b[3] == 'a' && b[4] == ':') sse = true;
            if (first < 0 && hasContent(b, n)) first = System.nanoTime();
            if (n >= ERROR.length && indexOf(b, ERROR.length, ERROR) == 0) {
                error = new String(b, 6, Math.min(n, 160) - 6, StandardCharsets.UTF_8);
            }
            if (n == DONE.length && indexOf(b, n, DONE) == 0) done = true;
        }

        /** Whether the line has {@code "content"} with a string value that is not empty. */
        private static boolean hasContent(byte[] b, int n) {
            int i = indexOf(b, n, CONTENT);
            if (i < 0) return false;
            i += CONTENT.length;
            while (i < n && (b[i] == ' ' || b[i] == ':')) i++;
            return i + 1 < n && b[i] == '"' && b[i + 1] != '"';
        }

        private static int indexOf(byte[] b, int n, byte[] what) {
            outer:
            for (int i = 0; i + what.length <= n; i++) {
                for (int j = 0; j < what.length; j++) {
                    if (b[i + j] != what[j]) continue outer;
                }
                return i;
            }
            return -1;
        }
    }

    private boolean fill() throws IOException {
        int r = in.read(buf);
        if (r <= 0) return false;
        answered = true;
        progressNanos = System.nanoTime();
        pos = 0;
        lim = r;
        return true;
    }

    /**
     * A chunk-size line read as a number, extensions skipped (an empty line reads as 0). No string per chunk: this
     * JVM's GC pauses land in the timings of both paths.
     */
    private long chunkSize() throws IOException {
        long size = 0;
        boolean digits = true;
        while (true) {
            if (pos == lim && !fill()) throw new EOFException("the connection closed mid-answer");
            byte b = buf[pos++];
            if (b == '\n') return size;
            int d = Character.digit(b, 16);
            if (b == ';' || b == ' ' || b == '\t') digits = false;
            else if (digits && d >= 0) size = size * 16 + d;
            else if (digits && b != '\r') throw new IOException("bad chunk size line");
        }
    }

    /** A header line, without its CRLF. */
    private String readLine() throws IOException {
        StringBuilder s = new StringBuilder();
        while (true) {
            if (pos == lim && !fill()) throw new EOFException("the connection closed mid-answer");
            byte b = buf[pos++];
            if (b == '\n') break;
            if (b != '\r') s.append((char) b);
        }
        return s.toString();
    }

    /** Ends an answer that made no progress for {@code nanos}: its blocked read fails, and the stream counts as an error. */
    boolean closeIfStalled(long now, long nanos) {
        long p = progressNanos;
        if (p == 0 || now - p < nanos) return false;
        stalled = true;
        close();
        return true;
    }

    /** Set when closeIfStalled ended the answer, so the error says so. */
    volatile boolean stalled;
    /** The lines of the answer being read, once its headers are. */
    private Lines current;

    /** How far the answer had come when it stalled (asked on the reading thread, after its read failed). */
    String stage() {
        Lines l = current;
        if (!answered) return "before any byte of the answer";
        if (l == null) return "in the headers";
        if (l.done) return "after [DONE]";
        return l.first < 0 ? "after the headers, before any content" : "after content, before [DONE]";
    }

    @Override
    public void close() {
        try {
            if (socket != null) socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        socket = null;
        keepAlive = false;
    }
}
