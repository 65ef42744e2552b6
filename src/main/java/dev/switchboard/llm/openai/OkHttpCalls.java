package dev.switchboard.llm.openai;

import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.function.Supplier;

/**
 * Finds the OkHttp call behind each streaming request, so a stop or a timeout closes its socket at once.
 * Closing the response does not: OkHttp first tries to drain the body, and a stream that keeps sending stays open
 * (and billed) to its natural end. The SDK sends a request on the thread that asked for it, through this
 * interceptor, so the request's {@link Handle} is passed in a thread-local for the time of the send. (It used to be
 * a header, which the SDK and this interceptor each copied the request's headers to add and to strip.)
 *
 * <p>It also sends again (at most twice) a request that died on a keep-alive connection the upstream had just closed (EOF or
 * reset before any answer). The SDK turns OkHttp's own retry off and we run with {@code maxRetries(0)}, so without
 * this a pooled connection closed by the server counted as a failed upstream: 21 of 256 streams in the benchmark.
 */
final class OkHttpCalls implements Interceptor {
    private static final int MAX_RETRIES = 2;
    private static final ThreadLocal<Handle> SENDING = new ThreadLocal<>();

    private final Runnable evictIdle;

    /** @param evictIdle closes every idle connection to the upstream (all of its pools) */
    OkHttpCalls(Runnable evictIdle) {
        this.evictIdle = evictIdle;
    }

    /** One request's call, known once OkHttp runs it; cancel works before, during and after that. */
    static final class Handle {
        private volatile Call call;
        private volatile boolean cancelled;

        void cancel() {
            cancelled = true;
            Call c = call;
            if (c != null) c.cancel();
        }

        /** Runs {@code send} (the SDK's blocking call) with this handle known to the interceptor. */
        <T> T send(Supplier<T> send) {
            SENDING.set(this);
            try {
                return send.get();
            } finally {
                SENDING.remove();
            }
        }
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        Handle h = SENDING.get();
        if (h != null) {
            h.call = chain.call();
            if (h.cancelled) chain.call().cancel(); // cancelled before it was sent: never reaches the upstream
        }
        for (int retry = 0; ; retry++) {
            try {
                return chain.proceed(request);
            } catch (IOException e) {
                if (retry == MAX_RETRIES || chain.call().isCanceled() || !closedByPeer(e)) throw e;
                // Servers close idle connections in sweeps: the other idle ones are likely dead too, and each one
                // tried would cost a failed request. Measured: 13 of 512 streams failed after three retries without this.
                evictIdle.run();
            }
        }
    }

    /** EOF or reset on an open connection; not refused, not a timeout (those mean the upstream is in trouble). */
    static boolean closedByPeer(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof InterruptedIOException || t instanceof UnknownHostException) {
                return false;
            }
            if (t instanceof EOFException) return true;
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (m.startsWith("unexpected end of stream") || m.contains("Connection reset") || m.contains("Broken pipe")) return true;
        }
        return false;
    }
}
