package dev.switchboard.llm.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonField;
import com.openai.core.JsonValue;
import com.openai.core.Timeout;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.switchboard.llm.CompletionRequest;
import dev.switchboard.llm.Secrets;
import dev.switchboard.llm.StreamEvent;
import dev.switchboard.llm.TokenUsage;
import dev.switchboard.llm.Upstream;
import dev.switchboard.llm.UpstreamCall;
import dev.switchboard.llm.UpstreamException;
import dev.switchboard.llm.UpstreamException.Kind;
import okhttp3.OkHttpClient;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One OpenAI-compatible upstream through openai-java's blocking client; the only package that sees the SDK. On a
 * reader thread the SDK sends the request and checks its status; {@link ChunkReader} reads the stream's chunks.
 */
public final class OpenAiUpstream implements Upstream {
    /** Longest reply, however steadily it streams (OkHttp's call timeout). */
    static final Duration MAX_REPLY = Duration.ofHours(1);

    private final String name;
    private final String apiKey;
    private final String pinnedModel;
    private final boolean offline;
    private final OpenAIClient client;
    private final Executor readers;

    /**
     * @param http         the OkHttp client whose dispatcher and connection pool the upstreams share
     * @param stallTimeout longest silence between two reads (and before the response headers) before the stream
     *                     counts as broken
     * @param readers      the threads that read the streams
     */
    public OpenAiUpstream(String name, String baseUrl, String apiKey, String pinnedModel, boolean offline,
                          OkHttpClient http, Duration connectTimeout, Duration stallTimeout, Executor readers) {
        this.name = name;
        this.apiKey = apiKey;
        this.pinnedModel = pinnedModel == null || pinnedModel.isBlank() ? null : pinnedModel;
        this.offline = offline;
        this.readers = readers;
        this.client = OpenAIOkHttpClient.builder()
                .okHttpClient(http)
                .baseUrl(baseUrl)
                .apiKey(apiKey == null || apiKey.isBlank() ? "none" : apiKey)
                .timeout(Timeout.builder().connect(connectTimeout).write(connectTimeout).read(stallTimeout)
                        .request(MAX_REPLY).build())
                // One retry loop, ours (UpstreamRouter): the SDK would retry 429/5xx twice on its own.
                .maxRetries(0)
                // No X-Stainless-* headers: they tell a third party this server's OS, kernel, JRE and architecture.
                .disableTelemetry(true)
                .build();
    }

    /** The OkHttp client for all upstreams: dispatcher limits raised, since every open stream waits on one host. */
    public static OkHttpClient httpClient(int maxConcurrentRequests) {
        okhttp3.Dispatcher dispatcher = new okhttp3.Dispatcher();
        dispatcher.setMaxRequests(maxConcurrentRequests);
        dispatcher.setMaxRequestsPerHost(maxConcurrentRequests);
        return new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new okhttp3.ConnectionPool(maxConcurrentRequests / 4, 5, java.util.concurrent.TimeUnit.MINUTES))
                .build();
    }

    /**
     * Builds and writes one request with the SDK's own JSON mapper: its first use loads Kotlin reflection under
     * global locks (seconds on two cores when 32 request threads queue for it), better done at start.
     */
    public static void warmUp() {
        try {
            com.openai.core.ObjectMappers.jsonMapper().writeValueAsString(ChatCompletionCreateParams.builder()
                    .model("warm-up").addUserMessage("hi")
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build()._body());
        } catch (Exception e) {
            throw new IllegalStateException("the SDK could not write its own JSON", e);
        }
    }

    @Override public String name() { return name; }

    @Override public boolean offline() { return offline; }

    @Override public String modelFor(String requestedModel) {
        return pinnedModel != null ? pinnedModel : requestedModel;
    }

    @Override
    public UpstreamCall stream(CompletionRequest request, Consumer<StreamEvent> events) {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model(modelFor(request.model()))
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
        OpenAiParams.messages(params, request.messages());
        OpenAiParams.options(params, request.options());
        Chunks chunks = new Chunks(params.build(), events);
        chunks.send();
        return chunks::cancel;
    }

    /** Turns the SDK's chunks into stream events: Started at the first chunk, deltas, usage, then one end. */
    private final class Chunks {
        private final ChatCompletionCreateParams params;
        private final Consumer<StreamEvent> events;
        private volatile boolean cancelled;
        private boolean resent;
        private volatile boolean anyChunk;
        private boolean finishSeen;
        private volatile String requestId;

        Chunks(ChatCompletionCreateParams params, Consumer<StreamEvent> events) {
            this.params = params;
            this.events = events;
        }

        void send() {
            readers.execute(this::read);
        }

        /**
         * On a reader thread, with the SDK's blocking client: sends the request (through the raw response, for the
         * upstream's request id), then reads the stream one chunk at a time. The async client ran its requests
         * through the JVM's common pool, a single thread on two cores, where they queued under load.
         */
        private void read() {
            if (cancelled) return;
            try (HttpResponseFor<StreamResponse<ChatCompletionChunk>> response = open()) {
                if (cancelled) return;
                ChunkReader chunks = new ChunkReader(response.body());
                for (JsonNode chunk; (chunk = chunks.next()) != null; ) onNext(chunk);
            } catch (Throwable t) {
                onComplete(Optional.of(t));
                return;
            }
            onComplete(Optional.empty());
        }

        /** Sends the request; an error status is turned into the SDK's exception for it. */
        private HttpResponseFor<StreamResponse<ChatCompletionChunk>> open() {
            var raw = client.chat().completions().withRawResponse().createStreaming(params);
            requestId = requestId(raw.headers());
            if (raw.statusCode() / 100 != 2) {
                try (raw) {
                    raw.parse(); // throws the SDK's exception for the status
                }
            }
            return raw;
        }

        /**
         * The reader thread stops at the next chunk (or the stall timeout) and closes the connection itself: okio's
         * timeouts break when another thread closes a stream it is reading.
         */
        void cancel() {
            cancelled = true;
        }

        void onNext(JsonNode chunk) {
            // Thrown on the reader thread, this ends the read loop there and closes the connection.
            if (cancelled) throw new java.util.concurrent.CancellationException("stopped");
            if (!anyChunk) {
                anyChunk = true;
                // The model the upstream says it serves; without one the router names the model asked for.
                String served = text(chunk.get("model"));
                if (served != null || requestId != null) {
                    events.accept(new StreamEvent.Started(name, served != null ? served : params.model().asString(), offline, requestId));
                }
            }
            for (JsonNode choice : chunk.path("choices")) {
                JsonNode delta = choice.path("delta");
                String content = text(delta.get("content"));
                if (content != null) events.accept(new StreamEvent.Delta(content));
                for (JsonNode call : delta.path("tool_calls")) {
                    JsonNode f = call.path("function");
                    events.accept(new StreamEvent.ToolCallDelta(call.path("index").asInt(), text(call.get("id")),
                            text(f.get("name")), f.path("arguments").isTextual() ? f.get("arguments").asText() : null));
                }
                String finish = text(choice.get("finish_reason"));
                if (finish != null) {
                    finishSeen = true;
                    events.accept(new StreamEvent.FinishReason(finish));
                }
            }
            JsonNode u = chunk.get("usage");
            if (u != null && u.isObject()) {
                events.accept(new StreamEvent.Usage(new TokenUsage(u.path("prompt_tokens").asLong(), u.path("completion_tokens").asLong(), false)));
            }
        }

        /** A string that is there and not empty, or null. */
        private static String text(JsonNode n) {
            return n != null && n.isTextual() && !n.asText().isEmpty() ? n.asText() : null;
        }

        void onComplete(Optional<Throwable> error) {
            if (cancelled) return;
            if (error.isPresent() && !anyChunk && !resent && peerClosedUnanswered(error.get())) {
                // A kept-alive connection the upstream had closed: sent again once on a new one, as browsers do.
                resent = true;
                send();
            } else if (error.isPresent()) {
                events.accept(failed(classify(error.get(), anyChunk, apiKey)));
            } else if (!finishSeen) {
                // A clean end without any finish_reason is a cut stream, not a finished reply.
                events.accept(failed(new UpstreamException(Kind.BROKEN_STREAM, 0, "the stream ended before the reply was complete", null, null)));
            } else {
                events.accept(StreamEvent.Finished.COMPLETED);
            }
        }
    }

    /** The upstream's own id of this request (OpenAI and most gateways send x-request-id), or null. */
    private static String requestId(Headers headers) {
        for (String name : List.of("x-request-id", "X-Request-ID", "request-id")) {
            List<String> values = headers.values(name);
            if (!values.isEmpty() && !values.get(0).isBlank()) return shorten(values.get(0).strip());
        }
        return null;
    }

    /** The connection ended before any response header: the request was not answered, so sending it again is safe. */
    private static boolean peerClosedUnanswered(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.IOException && String.valueOf(t.getMessage()).startsWith("unexpected end of stream")) return true;
        }
        return false;
    }

    private static StreamEvent.Finished failed(UpstreamException e) {
        return new StreamEvent.Finished(StreamEvent.Outcome.FAILED, e);
    }

    /**
     * The SDK's exceptions in our terms. {@code midStream} (a chunk has arrived) turns I/O trouble into a broken
     * stream; before that it is a connection failure, which another upstream may not have. {@code apiKey} is masked
     * in what the upstream said.
     */
    static UpstreamException classify(Throwable e, boolean midStream, String apiKey) {
        while ((e instanceof java.util.concurrent.CompletionException || e instanceof java.util.concurrent.ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof UpstreamException u) return u;
        if (e instanceof OpenAIServiceException s) return fromStatus(s, apiKey);
        if (has(e, OpenAIInvalidDataException.class) || has(e, JsonProcessingException.class)) {
            return new UpstreamException(Kind.BROKEN_STREAM, 0, "malformed chunk", null, e);
        }
        if (has(e, SocketTimeoutException.class)) return timedOut(midStream, e);
        if (midStream) return new UpstreamException(Kind.BROKEN_STREAM, 0, "connection dropped", null, e);
        return new UpstreamException(Kind.CONNECT, 0, "connection failed: " + simple(root(e)), null, e);
    }

    /** No answer, or no chunk for the stall timeout: OkHttp's connect, write or read timeout. */
    static UpstreamException timedOut(boolean midStream, Throwable cause) {
        return new UpstreamException(Kind.TIMEOUT, 0, midStream ? "no chunk within the stall timeout" : "no answer in time", null, cause);
    }

    private static UpstreamException fromStatus(OpenAIServiceException s, String apiKey) {
        int status = s.statusCode();
        // JsonValue extends the raw JsonField: seen through JsonField<?> its accessors keep their types.
        Optional<Map<String, JsonValue>> body = ((JsonField<?>) s.body()).asObject();
        String detail = body.map(m -> m.get("message")).flatMap(v -> ((JsonField<?>) v).asString()).orElse("");
        String code = s.code().orElse("");
        String text = (code + " " + detail).toLowerCase(Locale.ROOT);
        Kind kind = switch (status) {
            case 401, 403 -> Kind.AUTH;
            case 404 -> Kind.NOT_FOUND;
            case 429 -> Kind.RATE_LIMITED;
            case 400, 413, 422 -> text.contains("context_length") || text.contains("context length")
                    || text.contains("context window") || text.contains("too many tokens") || text.contains("too long")
                    ? Kind.CONTEXT_TOO_LONG : Kind.BAD_REQUEST;
            default -> Kind.SERVER; // 5xx, 408, 409 and anything unexpected: another upstream may do better
        };
        // The upstream's words may echo the request's key: users get our message, the rest a masked excerpt.
        return new UpstreamException(kind, status, "HTTP " + status, retryAfter(s), null, Secrets.mask(shorten(detail), apiKey));
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) return true;
        }
        return false;
    }

    private static Throwable root(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }

    private static String shorten(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    private static String simple(Throwable t) {
        String cls = t.getClass().getSimpleName();
        return t.getMessage() == null ? cls : cls + " (" + t.getMessage() + ")";
    }

    /** Retry-After in seconds (OpenAI also sends retry-after-ms); an HTTP date counts as no usable hint. */
    private static Duration retryAfter(OpenAIServiceException s) {
        Duration ms = seconds(s.headers().values("retry-after-ms"), 0.001);
        return ms != null ? ms : seconds(s.headers().values("Retry-After"), 1);
    }

    private static Duration seconds(List<String> values, double unit) {
        for (String v : values) {
            try {
                return Duration.ofMillis((long) (Double.parseDouble(v.trim()) * unit * 1000));
            } catch (NumberFormatException ignored) {
                // an HTTP date, or no number
            }
        }
        return null;
    }
}
