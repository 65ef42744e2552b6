package dev.switchboard.llm.openai;

import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the OkHttp call behind each streaming request, so a stop or a timeout closes its socket at once.
 * The SDK's {@code AsyncStreamResponse.close()} does not: OkHttp first tries to drain the body, and a stream that
 * keeps sending stays open (and billed) to its natural end. Requests are tagged with a header this interceptor strips.
 */
final class OkHttpCalls implements Interceptor {
    static final String HEADER = "X-Switchboard-Call";

    /** One request's call, known once OkHttp runs it; cancel works before, during and after that. */
    static final class Handle {
        final String id = UUID.randomUUID().toString();
        private volatile Call call;
        private volatile boolean cancelled;

        void cancel() {
            cancelled = true;
            Call c = call;
            if (c != null) c.cancel();
        }
    }

    private final Map<String, Handle> handles = new ConcurrentHashMap<>();

    Handle open() {
        Handle h = new Handle();
        handles.put(h.id, h);
        return h;
    }

    void close(Handle h) {
        handles.remove(h.id);
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        String id = request.header(HEADER);
        if (id == null) return chain.proceed(request);
        Handle h = handles.get(id);
        if (h != null) {
            h.call = chain.call();
            if (h.cancelled) chain.call().cancel(); // cancelled while queued: never reaches the upstream
        }
        return chain.proceed(request.newBuilder().removeHeader(HEADER).build());
    }
}
