package dev.switchboard.llm.openai;

import com.openai.core.RequestOptions;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpRequestBody;
import com.openai.core.http.HttpResponse;
import com.openai.errors.OpenAIIoException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * openai-java's HTTP layer, on the upstream's OkHttp clients, built once ({@link ConnectionShards}: one per pool, the
 * calling thread's is used). The SDK's own layer built a new OkHttpClient for
 * every request ({@code newBuilder().build()} copies the whole configuration), parsed the base URL again and let an
 * extra interceptor copy the request: with the request's headers, a third of what sending one allocated. The SDK
 * still builds, authenticates and serializes the request and turns 4xx/5xx answers into its exceptions; the clients'
 * own settings (no read or call timeout, see {@link OpenAiUpstream}) apply to every call, so the SDK's per-request
 * timeouts, which it derives from that client, are not applied again.
 */
final class OkHttpTransport implements HttpClient {
    private static final byte[] EMPTY = new byte[0];
    private static final MediaType JSON = MediaType.get("application/json");
    /** Parsed URLs by their text: an upstream is asked at one or two URLs; a stray variety is parsed every time. */
    private static final int MAX_URLS = 32;

    private final ConnectionShards http;
    private final Map<String, HttpUrl> urls = new ConcurrentHashMap<>();

    OkHttpTransport(ConnectionShards http) {
        this.http = http;
    }

    @Override
    public HttpResponse execute(HttpRequest request, RequestOptions options) {
        OkHttpClient client = http.open();
        Answer answer = null;
        try {
            answer = new Answer(client.newCall(toOkHttp(request)).execute(), http);
            return answer;
        } catch (IOException e) {
            throw new OpenAIIoException("Request failed", e);
        } finally {
            if (answer == null) http.closed(); // no answer to close: the call is over
            close(request);
        }
    }

    @Override
    public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
        CompletableFuture<HttpResponse> answer = new CompletableFuture<>();
        answer.whenComplete((r, e) -> close(request));
        Request call = toOkHttp(request); // before the call counts as open: a bad request throws here
        http.open().newCall(call).enqueue(new Callback() {
            @Override
            public void onResponse(Call call, Response response) {
                answer.complete(new Answer(response, http));
            }

            @Override
            public void onFailure(Call call, IOException e) {
                http.closed();
                answer.completeExceptionally(new OpenAIIoException("Request failed", e));
            }
        });
        return answer;
    }

    @Override
    public void close() {
        http.close();
    }

    private static void close(HttpRequest request) {
        HttpRequestBody body = request.body();
        if (body != null) body.close();
    }

    private Request toOkHttp(HttpRequest request) {
        Request.Builder b = new Request.Builder().url(url(request.url()));
        Headers headers = request.headers();
        for (String name : headers.names()) {
            for (String value : headers.values(name)) b.addHeader(name, value);
        }
        String method = request.method().name();
        HttpRequestBody body = request.body();
        RequestBody okBody = body != null ? new Body(body)
                : method.equals("POST") || method.equals("PUT") || method.equals("PATCH") ? RequestBody.create(EMPTY) : null;
        return b.method(method, okBody).build();
    }

    private HttpUrl url(String text) {
        HttpUrl url = urls.get(text);
        if (url != null) return url;
        url = HttpUrl.get(text);
        if (urls.size() < MAX_URLS) urls.put(text, url);
        return url;
    }

    /** The SDK's body as OkHttp's: written straight to the socket's sink. */
    private static final class Body extends RequestBody {
        private final HttpRequestBody body;
        private final MediaType type;

        Body(HttpRequestBody body) {
            this.body = body;
            String t = body.contentType();
            this.type = t == null ? null : t.equals("application/json") ? JSON : MediaType.get(t);
        }

        @Override public MediaType contentType() { return type; }

        @Override public long contentLength() { return body.contentLength(); }

        @Override public boolean isOneShot() { return !body.repeatable(); }

        @Override public void writeTo(BufferedSink sink) {
            body.writeTo(sink.outputStream());
        }
    }

    /** OkHttp's response as the SDK's; its headers are copied only if asked for (errors, request ids). */
    private static final class Answer implements HttpResponse {
        private final Response response;
        private final ConnectionShards calls;
        private final AtomicBoolean closed = new AtomicBoolean();
        private Headers headers;

        Answer(Response response, ConnectionShards calls) {
            this.response = response;
            this.calls = calls;
        }

        @Override public int statusCode() { return response.code(); }

        @Override
        public Headers headers() {
            if (headers == null) {
                Headers.Builder h = Headers.builder();
                okhttp3.Headers all = response.headers();
                for (int i = 0; i < all.size(); i++) h.put(all.name(i), all.value(i));
                headers = h.build();
            }
            return headers;
        }

        @Override public InputStream body() { return response.body().byteStream(); }

        @Override
        public void close() {
            response.close();
            if (closed.compareAndSet(false, true)) calls.closed();
        }
    }
}
