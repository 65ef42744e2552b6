package dev.switchboard.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's mock upstream: OpenAI's streaming chat completions on a loopback socket (HTTP/1.1, a chunked
 * text/event-stream of chat.completion.chunk objects, a usage chunk, [DONE]), paced at a fixed number of tokens per
 * second after a fixed time to first token. The offline model's server, a thread per stream sleeping between tokens,
 * used 0.5–0.6 of a core at 480 streams/s, nearly all of it thread wake-ups, on the two cores it shares with the app
 * it measures. Here each of two event loops wakes at most once a millisecond (or when a request comes) and writes
 * every chunk due by then, so a token leaves at most ~1 ms late.
 *
 * <p>It writes as OpenAI and vLLM do: the response headers in one write at once; at the time to first token a
 * role-only chunk with empty content ({@code "delta":{"role":"assistant","content":""}}) in a write of its own, and the
 * first content chunk in the next write; then the content chunks as they fall due (those due together in one write).
 * Clients time the first token to the first chunk with non-empty content.
 *
 * <p>Kept-alive connections by default; with {@code keepAlive} false (or a request saying {@code Connection: close})
 * the answer says {@code Connection: close} and the mock closes the connection once the stream is written, as an
 * upstream without keep-alive does: every stream then needs a new connection.
 *
 * <p>It notes when each numbered request ({@link StreamLoad#MARK}) reached it; {@link #drainReceived} hands those
 * over, and so does {@code GET /bench/received} when the mock runs in its own process ({@link #main}).
 */
final class PacedMockUpstream implements BenchUpstream {
    private static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"([^\"\\\\]*)\"");
    private static final byte[] HEAD = ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEAD_CLOSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    /** The role-only first chunk OpenAI and vLLM send before any content. */
    private static final byte[] ROLE = "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}"
            .getBytes(StandardCharsets.US_ASCII);

    private final ServerSocketChannel server;
    private final Loop[] loops = new Loop[2];
    private final Thread acceptor;
    private final String apiKey = "sb-bench-" + Long.toHexString(System.nanoTime());
    /** Per token, what follows a chunk's prefix: its choices array with the delta. */
    private final byte[][] tokenParts;
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STOP = "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE_EVENT = "[DONE]".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private final long intervalNanos;
    private final long firstTokenNanos;
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean open = true;
    private final boolean keepAlive;
    /** When each numbered request ("req-N-" in its body, {@link StreamLoad#MARK}) reached the mock, until drained. */
    private final Map<Long, Long> received = new ConcurrentHashMap<>();

    PacedMockUpstream(int tokens, double tokensPerSecond, long firstTokenMillis) throws IOException {
        this(0, tokens, tokensPerSecond, firstTokenMillis, true);
    }

    PacedMockUpstream(int port, int tokens, double tokensPerSecond, long firstTokenMillis, boolean keepAlive) throws IOException {
        this.keepAlive = keepAlive;
        this.tokenParts = new byte[tokens][];
        for (int i = 0; i < tokens; i++) {
            String token = i == 0 ? "tok0" : " tok" + i; // as the offline model's synthetic reply
            tokenParts[i] = ("[{\"index\":0,\"delta\":{\"content\":\"" + token + "\"},\"finish_reason\":null}]}").getBytes(StandardCharsets.UTF_8);
        }
        this.intervalNanos = tokensPerSecond > 0 ? (long) (1e9 / tokensPerSecond) : 0;
        this.firstTokenNanos = firstTokenMillis * 1_000_000;
        this.server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
        for (int i = 0; i < loops.length; i++) loops[i] = new Loop(i);
        this.acceptor = new Thread(this::accept, "mock-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @Override
    public String baseUrl() { return "http://127.0.0.1:" + server.socket().getLocalPort() + "/v1"; }

    @Override
    public String apiKey() { return apiKey; }

    /** When each numbered request reached the mock since the last call (System.nanoTime), by number; then forgotten. */
    @Override
    public Map<Long, Long> drainReceived() {
        Map<Long, Long> out = new HashMap<>();
        for (Long n : received.keySet()) {
            Long at = received.remove(n);
            if (at != null) out.put(n, at);
        }
        return out;
    }

    /**
     * The mock in a JVM of its own, so its CPU is not in the bench client's process (MockProcess starts it):
     * {@code port tokens tokensPerSecond firstTokenMillis keepAlive}. Prints {@code MOCK <base URL> <API key>} once it
     * listens, and ends when its standard input closes (the bench ended, however it ended).
     */
    public static void main(String[] args) throws Exception {
        PacedMockUpstream mock = new PacedMockUpstream(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
                Double.parseDouble(args[2]), Long.parseLong(args[3]), Boolean.parseBoolean(args[4]));
        System.out.println("MOCK " + mock.baseUrl() + " " + mock.apiKey());
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the parent closes our stdin or dies
        }
        mock.close();
    }

    private void accept() {
        int next = 0;
        while (open) {
            try {
                SocketChannel ch = server.accept();
                ch.socket().setTcpNoDelay(true);
                loops[next++ % loops.length].add(ch);
            } catch (IOException e) {
                if (open) System.err.println("mock accept: " + e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        open = false;
        server.close();
        for (Loop l : loops) l.selector.wakeup();
    }

    /** One selector thread: reads requests, and writes the chunks of its streams as they fall due. */
    private final class Loop implements Runnable {
        final Selector selector = Selector.open();
        final Queue<SocketChannel> added = new ConcurrentLinkedQueue<>();
        final List<Conn> streaming = new ArrayList<>();

        Loop(int n) throws IOException {
            Thread t = new Thread(this, "mock-loop-" + n);
            t.setDaemon(true);
            t.start();
        }

        void add(SocketChannel ch) {
            added.add(ch);
            selector.wakeup();
        }

        @Override
        public void run() {
            long due = Long.MAX_VALUE;
            while (open) {
                try {
                    long wait = due == Long.MAX_VALUE ? 0 : (due - System.nanoTime() + 999_999) / 1_000_000;
                    if (due != Long.MAX_VALUE && wait <= 0) selector.selectNow(); else selector.select(wait);
                    for (SocketChannel ch; (ch = added.poll()) != null; ) {
                        ch.configureBlocking(false);
                        Conn c = new Conn(ch, this);
                        c.key = ch.register(selector, SelectionKey.OP_READ, c);
                    }
                    for (SelectionKey k : selector.selectedKeys()) {
                        Conn c = (Conn) k.attachment();
                        try {
                            if (k.isValid() && k.isWritable()) c.flush();
                            if (k.isValid() && k.isReadable()) c.read();
                        } catch (IOException gone) {
                            c.close();
                        }
                    }
                    selector.selectedKeys().clear();
                    due = emitDue();
                } catch (IOException e) {
                    if (open) System.err.println("mock loop: " + e);
                }
            }
        }

        /** Writes what is due on every stream; returns when the next chunk falls due. */
        private long emitDue() {
            long now = System.nanoTime();
            long next = Long.MAX_VALUE;
            for (int i = streaming.size() - 1; i >= 0; i--) {
                Conn c = streaming.get(i);
                try {
                    if (c.due <= now) c.emit(now);
                } catch (IOException gone) {
                    c.close();
                }
                if (c.streaming) {
                    next = Math.min(next, c.due);
                } else {
                    streaming.remove(i);
                    c.listed = false;
                }
            }
            return next;
        }
    }

    /** One kept-alive connection and the stream it is answering, if any. */
    private final class Conn {
        final SocketChannel ch;
        final Loop loop;
        SelectionKey key;
        ByteBuffer in = ByteBuffer.allocate(8192);
        ByteBuffer out = ByteBuffer.allocate(8192);
        boolean streaming;
        /** Whether the loop's list of streams holds this connection (it stays there until the loop sees it idle). */
        boolean listed;
        /** {"id":…,"object":"chat.completion.chunk","created":…,"model":…,"choices": of this stream's chunks. */
        byte[] prefix;
        long promptTokens;
        int sent;
        long due;
        /** Whether the connection closes once the current answer is written (no keep-alive). */
        boolean closeAfter;
        boolean closing;

        Conn(SocketChannel ch, Loop loop) {
            this.ch = ch;
            this.loop = loop;
        }

        void read() throws IOException {
            if (in.remaining() == 0) in = grow(in, in.capacity() * 2);
            if (ch.read(in) < 0) throw new IOException("closed by the client");
            if (!streaming && !closing) request();
        }

        /** Answers a complete request in the buffer, if there is one. */
        private void request() throws IOException {
            byte[] b = in.array();
            int end = -1;
            for (int i = 3; i < in.position(); i++) {
                if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
                    end = i + 1;
                    break;
                }
            }
            if (end < 0) return;
            String head = new String(b, 0, end, StandardCharsets.ISO_8859_1);
            int length = 0;
            String authorization = null;
            closeAfter = !keepAlive;
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon < 0) continue;
                String name = line.substring(0, colon).trim();
                if (name.equalsIgnoreCase("Content-Length")) length = Integer.parseInt(line.substring(colon + 1).trim());
                else if (name.equalsIgnoreCase("Authorization")) authorization = line.substring(colon + 1).trim();
                else if (name.equalsIgnoreCase("Connection") && line.substring(colon + 1).trim().equalsIgnoreCase("close")) closeAfter = true;
            }
            if (in.position() < end + length) return;
            String body = new String(b, end, length, StandardCharsets.UTF_8);
            ByteBuffer rest = ByteBuffer.allocate(in.capacity());
            rest.put(b, end + length, in.position() - end - length);
            in = rest;
            if (head.startsWith("GET ") && head.contains("/bench/received ")) {
                received();
            } else if (!head.startsWith("POST ") || !head.contains("/chat/completions ")) {
                error(404, "no such route");
            } else if (!("Bearer " + apiKey).equals(authorization)) {
                error(401, "Incorrect API key provided.");
            } else {
                start(body);
            }
        }

        private void start(String body) throws IOException {
            int mark = body.lastIndexOf("req-"); // the last user message: a chat sends the whole conversation
            int end = mark < 0 ? -1 : body.indexOf('-', mark + 4);
            if (end > 0) received.put(Long.parseLong(body, mark + 4, end, 10), System.nanoTime());
            Matcher m = MODEL.matcher(body);
            String model = m.find() ? m.group(1) : "mock";
            prefix = ("{\"id\":\"chatcmpl-bench-" + ids.incrementAndGet() + "\",\"object\":\"chat.completion.chunk\",\"created\":"
                    + System.currentTimeMillis() / 1000 + ",\"model\":\"" + model + "\",\"choices\":").getBytes(StandardCharsets.UTF_8);
            promptTokens = Math.max(1, body.length() / 4);
            sent = 0;
            streaming = true;
            // As OpenAI and vLLM: the headers in one write at once; the role-only chunk and the first content, in
            // writes of their own, when the first token is due (emit).
            append(closeAfter ? HEAD_CLOSE : HEAD);
            flush();
            due = System.nanoTime() + firstTokenNanos;
            if (!listed) loop.streaming.add(this);
            listed = true;
            if (firstTokenNanos == 0) emit(due);
        }

        /** GET /bench/received: "n nanoTime" per line for the requests that reached the mock since the last call. */
        private void received() throws IOException {
            StringBuilder b = new StringBuilder();
            drainReceived().forEach((n, at) -> b.append(n).append(' ').append(at).append('\n'));
            byte[] body = b.toString().getBytes(StandardCharsets.US_ASCII);
            append(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length + "\r\n"
                    + (closeAfter ? "Connection: close\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            append(body);
            closing = closeAfter;
            flush();
        }

        /** Writes every chunk due by {@code now} in one write; the last token brings the finish, usage and [DONE]. */
        void emit(long now) throws IOException {
            while (streaming && due <= now) {
                if (sent == 0) {
                    event(prefix, ROLE);
                    flush(); // the role-only chunk alone, as upstreams send it
                }
                if (sent < tokenParts.length) {
                    event(prefix, tokenParts[sent]);
                    if (sent == 0) flush(); // the first token in its own write
                    sent++;
                    due += intervalNanos;
                }
                if (sent == tokenParts.length) {
                    event(prefix, STOP);
                    event(prefix, ("[],\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":" + sent
                            + ",\"total_tokens\":" + (promptTokens + sent) + "}}").getBytes(StandardCharsets.US_ASCII));
                    event(DONE_EVENT, EMPTY);
                    append(LAST_CHUNK);
                    streaming = false;
                    closing = closeAfter;
                }
            }
            flush();
            if (!streaming && !closing && in.position() > 0) request();
        }

        /**
         * One SSE event in one HTTP chunk, as OpenAI sends them: "data: " + head + tail + a blank line, from bytes
         * prepared per stream and per token. The bench's JVM also runs the client; a mock that built strings per
         * token made that JVM's young GCs (5-16 ms, every ~7 s) part of both paths' timings.
         */
        private void event(byte[] head, byte[] tail) {
            int length = DATA.length + head.length + tail.length + 2;
            room(8 + length + 4);
            int digits = 1;
            while ((length >>> (4 * digits)) != 0) digits++;
            for (int d = digits - 1; d >= 0; d--) out.put(HEX[(length >>> (4 * d)) & 0xF]);
            out.put((byte) '\r').put((byte) '\n').put(DATA).put(head).put(tail).put((byte) '\n').put((byte) '\n');
            out.put((byte) '\r').put((byte) '\n');
        }

        private void error(int status, String message) throws IOException {
            byte[] body = ("{\"error\":{\"message\":\"" + message + "\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}")
                    .getBytes(StandardCharsets.UTF_8);
            append(("HTTP/1.1 " + status + " Error\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            append(body);
            closing = closeAfter;
            flush();
        }

        private void append(byte[] bytes) {
            room(bytes.length);
            out.put(bytes);
        }

        /** Grows the write buffer to take {@code n} more bytes. */
        private void room(int n) {
            if (out.remaining() < n) out = grow(out, Math.max(out.capacity() * 2, out.position() + n));
        }

        /** Writes what is buffered; what the socket does not take now waits for it to be writable. */
        void flush() throws IOException {
            if (!ch.isOpen()) return;
            out.flip();
            ch.write(out);
            out.compact();
            if (closing && out.position() == 0) {
                close(); // no keep-alive: the answer is written, the connection ends
                return;
            }
            int ops = out.position() > 0 ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
            if (key.interestOps() != ops) key.interestOps(ops);
        }

        void close() {
            streaming = false;
            try {
                ch.close(); // cancels the key too
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static ByteBuffer grow(ByteBuffer b, int capacity) {
        ByteBuffer bigger = ByteBuffer.allocate(capacity);
        b.flip();
        bigger.put(b);
        return bigger;
    }
}
