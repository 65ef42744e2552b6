package dev.switchboard.llm.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientImpl;
import com.openai.core.ClientOptions;
import com.openai.core.JsonField;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.switchboard.llm.CallerSends;
import dev.switchboard.llm.ChatMessage;
import dev.switchboard.llm.CompletionRequest;
import dev.switchboard.llm.StreamHandler;
import dev.switchboard.llm.Upstream;
import dev.switchboard.llm.UpstreamCall;
import dev.switchboard.llm.UpstreamException;
import dev.switchboard.llm.UpstreamException.Kind;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** One OpenAI-compatible upstream through openai-java; the only class family that sees the SDK. */
public final class OpenAiUpstream implements Upstream {
    private final String name;
    private final String pinnedModel;
    private final boolean offline;
    private final OpenAIClient client;
    private final UpstreamStream.Settings streams;

    /**
     * @param stallTimeout longest silence between two chunks (and, after the connect timeout, before the response
     *                     headers) before the stream counts as broken
     * @param readInterval after the first chunk, how often the stream is read at most (see ChunkStreamReader)
     */
    public OpenAiUpstream(String name, String baseUrl, String apiKey, String pinnedModel, boolean offline,
                          Duration connectTimeout, Duration stallTimeout, Duration readInterval, Executor readers) {
        this(name, baseUrl, apiKey, pinnedModel, offline, connectTimeout, stallTimeout, readInterval, MAX_REPLY, readers);
    }

    /** Longest reply, however steadily it streams: what OkHttp's call timeout was for, checked by StallWatchdog. */
    static final Duration MAX_REPLY = Duration.ofHours(1);

    OpenAiUpstream(String name, String baseUrl, String apiKey, String pinnedModel, boolean offline, Duration connectTimeout,
                   Duration stallTimeout, Duration readInterval, Duration maxReply, Executor readers) {
        this.streams = new UpstreamStream.Settings(connectTimeout.plus(stallTimeout).toNanos(), stallTimeout.toNanos(), maxReply,
                readInterval, readers);
        this.name = name;
        this.pinnedModel = pinnedModel == null || pinnedModel.isBlank() ? null : pinnedModel;
        this.offline = offline;
        // Our own OkHttp clients, one per pool of connections (ConnectionShards), for their socket factory (see
        // BlockingSockets), and our own transport for the SDK (OkHttpTransport). Retries are ours: OkHttpCalls and
        // UpstreamRouter.
        ConnectionShards connections = new ConnectionShards();
        connections.build(new okhttp3.OkHttpClient.Builder()
                .socketFactory(BlockingSockets.INSTANCE)
                .connectTimeout(connectTimeout)
                // No read timeout: StallWatchdog's (okio would schedule a timer for every read of every stream).
                .readTimeout(Duration.ZERO)
                .writeTimeout(connectTimeout)
                // No call timeout either: okio keeps call timeouts in one list sorted by deadline, and with hundreds
                // of streams open each new call walked all of it under a lock (17 % of the request's own CPU).
                .addInterceptor(new OkHttpCalls(connections::evictIdle))
                // As the SDK's own transport set it: a failed connection is retried by OkHttpCalls only when the
                // peer closed it, and everything else by UpstreamRouter, on this or another upstream.
                .retryOnConnectionFailure(false));
        this.client = new OpenAIClientImpl(ClientOptions.builder()
                .httpClient(new OkHttpTransport(connections))
                .baseUrl(baseUrl)
                .apiKey(apiKey == null || apiKey.isBlank() ? "none" : apiKey)
                // One retry loop, ours (UpstreamRouter): the SDK would retry 429/5xx twice on its own.
                .maxRetries(0)
                // No X-Stainless-* headers: they tell a third party this server's OS and kernel version, JRE and
                // architecture, and were half the headers of every request (built, sorted and sent each time). It also
                // turns off the retry-count header, which the SDK added by copying the whole request.
                .disableTelemetry(true)
                .build());
    }

    @Override public String name() { return name; }

    @Override public boolean offline() { return offline; }

    @Override public String modelFor(String requestedModel) {
        return pinnedModel != null ? pinnedModel : requestedModel;
    }

    @Override
    public UpstreamCall start(CompletionRequest request, StreamHandler handler) {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model(modelFor(request.model()))
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
        for (ChatMessage m : request.messages()) {
            switch (m.role()) {
                case SYSTEM -> params.addSystemMessage(m.content());
                case USER -> params.addUserMessage(m.content());
                case ASSISTANT -> params.addAssistantMessage(m.content());
            }
        }
        ChatCompletionCreateParams built = params.build();
        OkHttpCalls.Handle call = new OkHttpCalls.Handle();
        UpstreamStream relay = new UpstreamStream(streams, handler, call::cancel);
        // The raw response: ChunkStreamReader reads its body (the SDK still sends the request and turns 4xx/5xx into
        // its exceptions before the body is read). A cancel works at any moment: OkHttpCalls knows the call.
        Supplier<HttpResponse> send = () -> call.send(() -> client.chat().completions().withRawResponse().createStreaming(built));
        try {
            // Sent and read with blocking calls: the async client went through the common pool and OkHttp's dispatcher
            // (two thread hand-offs and a CompletableFuture chain per request) to end on a reader thread all the same.
            // Sent by the starting thread when it may (CallerSends), else by a reader thread.
            if (!CallerSends.offer(() -> relay.sendHere(send))) streams.readers().execute(() -> relay.run(send));
        } catch (RuntimeException rejected) {
            relay.end(rejected);
        }
        return relay::cancel;
    }

    /**
     * The SDK's exceptions in our terms. {@code midStream} (a chunk has arrived) turns I/O trouble into a broken
     * stream; before that it is a connection failure, which another upstream may not have.
     */
    static UpstreamException classify(Throwable e, boolean midStream) {
        while ((e instanceof java.util.concurrent.CompletionException || e instanceof java.util.concurrent.ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof UpstreamException u) return u;
        if (e instanceof OpenAIServiceException s) return fromStatus(s);
        if (has(e, OpenAIInvalidDataException.class) || has(e, JsonProcessingException.class)) {
            return new UpstreamException(Kind.BROKEN_STREAM, 0, "malformed chunk", null, e);
        }
        if (has(e, SocketTimeoutException.class)) return timedOut(midStream, e);
        if (midStream) return new UpstreamException(Kind.BROKEN_STREAM, 0, "connection dropped", null, e);
        return new UpstreamException(Kind.CONNECT, 0, "connection failed: " + simple(root(e)), null, e);
    }

    /** No answer, or no chunk for the stall timeout: OkHttp's connect or write timeout, or StallWatchdog. */
    static UpstreamException timedOut(boolean midStream, Throwable cause) {
        return new UpstreamException(Kind.TIMEOUT, 0, midStream ? "no chunk within the stall timeout" : "no answer in time", null, cause);
    }

    private static UpstreamException fromStatus(OpenAIServiceException s) {
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
        String message = "HTTP " + status + (detail.isBlank() ? "" : ": " + shorten(detail));
        return new UpstreamException(kind, status, message, retryAfter(s), s);
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
        for (String v : s.headers().values("retry-after-ms")) {
            try {
                return Duration.ofMillis((long) Double.parseDouble(v.trim()));
            } catch (NumberFormatException ignored) {
                // fall back to Retry-After
            }
        }
        for (String v : s.headers().values("Retry-After")) {
            try {
                return Duration.ofMillis((long) (Double.parseDouble(v.trim()) * 1000));
            } catch (NumberFormatException ignored) {
                // an HTTP date
            }
        }
        return null;
    }
}
