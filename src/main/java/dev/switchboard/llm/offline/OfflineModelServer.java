package dev.switchboard.llm.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.llm.ChatMessage;
import dev.switchboard.llm.TokenCounter;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible chat completions server on loopback, guarded by a random per-start key.
 * It is the built-in offline model of a default run (so the production openai-java streaming path
 * is exercised even without a key) and, with {@link Behavior} knobs, the mock upstream of tests and benchmarks.
 */
public final class OfflineModelServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // The JDK server leaves Nagle on: a chunk written right after the headers then waits for the client's
        // delayed ACK (~40 ms on Linux), which the benchmark measured as 45 ms of added time to first token.
        // Read once when the server classes load, so it is set before the first server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        // With more than 200 idle keep-alive connections (its default) it closes each connection right after its
        // response instead of keeping it idle, while the client has already put it back into its pool: at 1,000
        // concurrent streams the next request on it met EOF. Real gateways keep idle connections for a timeout.
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "4096");
        }
    }

    private final HttpServer server;
    private final ExecutorService pool;
    private final String apiKey;
    private final Queue<Behavior> scripted = new ConcurrentLinkedQueue<>();
    private volatile Behavior behavior;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();
    private volatile JsonNode lastRequest;

    private OfflineModelServer(int port, Behavior behavior) throws IOException {
        this.behavior = behavior;
        this.apiKey = "sb-offline-" + HexFormat.of().formatHex(SecureRandom.getSeed(16));
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "offline-model");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    public static OfflineModelServer start(int port, Behavior behavior) {
        try {
            return new OfflineModelServer(port, behavior);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the offline model on 127.0.0.1:" + port, e);
        }
    }

    /** Base URL for an OpenAI client, ending in /v1. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public String apiKey() { return apiKey; }

    public int port() { return server.getAddress().getPort(); }

    /** Sets how every later call is answered. */
    public void setBehavior(Behavior b) { this.behavior = b; }

    /** Answers the next call (only) this way; queued behaviors are used in order before the default. */
    public void enqueue(Behavior b) { scripted.add(b); }

    /** Calls received since start or the last {@link #resetCalls()}. */
    public int calls() { return calls.get(); }

    /** The body of the last call received, as sent (tests check what reached the upstream). */
    public JsonNode lastRequest() { return lastRequest; }

    /** Streams currently open. */
    public int openStreams() { return open.get(); }

    public void resetCalls() { calls.set(0); scripted.clear(); }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    /** Thrown out of the handler so the server closes the socket without ending the chunked body: a real drop. */
    private static final class Drop extends RuntimeException {
        Drop() { super("dropped on purpose", null, false, false); }
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            respond(ex);
        } catch (Drop d) {
            throw d;
        } catch (IOException | RuntimeException e) {
            // The client went away: nothing to answer.
        }
        ex.close();
    }

    private void respond(HttpExchange ex) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            error(ex, 405, "method not allowed", "invalid_request_error");
            return;
        }
        String authorization = ex.getRequestHeaders().getFirst("Authorization");
        if (!authorized(authorization)) {
            // Echoes the credential, as careless gateways do: what Switchboard shows and logs must mask it.
            error(ex, 401, "Incorrect API key provided: " + authorization, "invalid_request_error");
            return;
        }
        calls.incrementAndGet();
        Behavior b = scripted.poll();
        if (b == null) b = behavior;
        JsonNode body;
        try {
            body = JSON.readTree(ex.getRequestBody());
        } catch (IOException e) {
            error(ex, 400, "We could not parse the JSON body of your request.", "invalid_request_error");
            return;
        }
        lastRequest = body;
        String requestId = "req-offline-" + ids.incrementAndGet();
        ex.getResponseHeaders().add("x-request-id", requestId);
        if (b.status() != 0) {
            if (b.retryAfter() != null) {
                // Both, as OpenAI sends them: whole seconds, and milliseconds for short waits.
                ex.getResponseHeaders().add("Retry-After", Long.toString(Math.max(0, b.retryAfter().toSeconds())));
                ex.getResponseHeaders().add("retry-after-ms", Long.toString(Math.max(0, b.retryAfter().toMillis())));
            }
            // A client error echoes the request's credential, as careless gateways do (see the 401 above).
            String echo = b.status() >= 400 && b.status() < 500 && b.status() != 429 ? " (request had " + authorization + ")" : "";
            error(ex, b.status(), "simulated upstream error " + b.status() + echo, b.status() == 429 ? "rate_limit_exceeded" : "server_error");
            return;
        }
        String model = body.path("model").asText("offline");
        List<ChatMessage> messages = parseMessages(body.path("messages"));
        if (messages.isEmpty()) {
            error(ex, 400, "'messages' must not be empty", "invalid_request_error");
            return;
        }
        long promptTokens = TokenCounter.countPrompt(model, messages);
        if (b.contextWindow() > 0 && promptTokens > b.contextWindow()) {
            error(ex, 400, "This model's maximum context length is " + b.contextWindow() + " tokens. However, your messages resulted in "
                    + promptTokens + " tokens. Please reduce the length of the messages.", "invalid_request_error", "context_length_exceeded");
            return;
        }
        String reply = b.replyText() != null ? b.replyText()
                : b.replyTokens() > 0 ? null : OfflineReply.compose(model, messages);
        List<String> tokens = reply == null ? OfflineReply.synthetic(b.replyTokens()) : OfflineReply.tokens(reply);
        open.incrementAndGet();
        try {
            if (wantsToolCall(body)) {
                toolCall(ex, model, promptTokens, body.path("tools").get(0).path("function").path("name").asText("tool"));
                return;
            }
            stream(ex, b, model, promptTokens, tokens);
        } finally {
            open.decrementAndGet();
        }
    }

    private void stream(HttpExchange ex, Behavior b, String model, long promptTokens, List<String> tokens) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.getResponseHeaders().add("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        String id = "chatcmpl-offline-" + ids.incrementAndGet();
        long created = System.currentTimeMillis() / 1000;
        sleep(b.firstTokenDelay().toMillis());
        long pauseNanos = b.tokensPerSecond() > 0 ? (long) (1_000_000_000L / b.tokensPerSecond()) : 0;
        long next = System.nanoTime();
        StringBuilder sent = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            if (i == b.dropAfter()) throw new Drop();
            if (i == b.stallAfter()) {
                sleep(TimeUnit.MINUTES.toMillis(10));
                return;
            }
            if (i == b.malformedAfter()) {
                write(out, "data: {\"id\": \"" + id + "\", \"choices\": [ this is not json\n\n");
                return;
            }
            if (i > 0 && pauseNanos > 0) {
                next += pauseNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) sleep(TimeUnit.NANOSECONDS.toMillis(wait));
            }
            ObjectNode delta = JSON.createObjectNode();
            if (i == 0) delta.put("role", "assistant");
            delta.put("content", tokens.get(i));
            write(out, "data: " + chunk(id, created, model, delta, null) + "\n\n");
            sent.append(tokens.get(i));
        }
        write(out, "data: " + chunk(id, created, model, JSON.createObjectNode(), "stop") + "\n\n");
        if (b.sendUsage()) {
            long c = TokenCounter.countText(model, sent.toString());
            ObjectNode usage = JSON.createObjectNode().put("prompt_tokens", promptTokens).put("completion_tokens", c)
                    .put("total_tokens", promptTokens + c);
            ObjectNode node = JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                    .put("created", created).put("model", model);
            node.putArray("choices");
            node.set("usage", usage);
            write(out, "data: " + node + "\n\n");
        }
        write(out, "data: [DONE]\n\n");
    }

    /** Tools offered and no tool result yet: the model calls the first tool, as a real one would. */
    private static boolean wantsToolCall(JsonNode body) {
        JsonNode tools = body.path("tools");
        JsonNode messages = body.path("messages");
        return tools.isArray() && !tools.isEmpty() && messages.isArray() && !messages.isEmpty()
                && !"tool".equals(messages.get(messages.size() - 1).path("role").asText())
                && !"none".equals(body.path("tool_choice").asText());
    }

    /** One tool call, its arguments in two fragments (as OpenAI streams them), then finish_reason tool_calls. */
    private void toolCall(HttpExchange ex, String model, long promptTokens, String name) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        String id = "chatcmpl-offline-" + ids.incrementAndGet();
        long created = System.currentTimeMillis() / 1000;
        ObjectNode first = JSON.createObjectNode().put("role", "assistant").putNull("content");
        first.putArray("tool_calls").addObject().put("index", 0).put("id", "call_offline_" + id).put("type", "function")
                .putObject("function").put("name", name).put("arguments", "{\"city\": ");
        write(out, "data: " + chunk(id, created, model, first, null) + "\n\n");
        ObjectNode second = JSON.createObjectNode();
        second.putArray("tool_calls").addObject().put("index", 0).putObject("function").put("arguments", "\"Paris\"}");
        write(out, "data: " + chunk(id, created, model, second, null) + "\n\n");
        write(out, "data: " + chunk(id, created, model, JSON.createObjectNode(), "tool_calls") + "\n\n");
        ObjectNode node = JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
        node.putArray("choices");
        node.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", 9).put("total_tokens", promptTokens + 9);
        write(out, "data: " + node + "\n\n");
        write(out, "data: [DONE]\n\n");
    }

    private static String chunk(String id, long created, String model, ObjectNode delta, String finish) {
        ObjectNode node = JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                .put("created", created).put("model", model);
        ObjectNode choice = node.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finish == null) choice.putNull("finish_reason"); else choice.put("finish_reason", finish);
        return node.toString();
    }

    private static List<ChatMessage> parseMessages(JsonNode array) {
        List<ChatMessage> out = new ArrayList<>();
        for (JsonNode m : array) {
            ChatMessage.Role role = ChatMessage.Role.fromWire(m.path("role").asText());
            if (role != null) out.add(new ChatMessage(role, m.path("content").asText("")));
        }
        return out;
    }

    private boolean authorized(String header) {
        byte[] expected = ("Bearer " + apiKey).getBytes(StandardCharsets.UTF_8);
        byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, given);
    }

    private static void error(HttpExchange ex, int status, String message, String type) throws IOException {
        error(ex, status, message, type, type);
    }

    private static void error(HttpExchange ex, int status, String message, String type, String code) throws IOException {
        ObjectNode err = JSON.createObjectNode();
        err.putObject("error").put("message", message).put("type", type).putNull("param").put("code", code);
        byte[] bytes = err.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void sleep(long millis) {
        if (millis <= 0) return;
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
