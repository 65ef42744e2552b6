package dev.switchboard.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** One routed completion: its attempts, one at a time, until one streams its first token or all have failed. */
public final class Route {
    private final UpstreamRouter router;
    private final CompletionRequest request;
    private final RouteListener listener;
    private final UpstreamRouter.RouteEnd end;
    private final List<Integer> tried = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    // Guarded by this: the attempt in flight; callbacks of older attempts are ignored.
    private int attemptNo;
    private UpstreamCall call;
    private ScheduledFuture<?> watchdog;
    private boolean firstToken;
    private boolean finished;
    private boolean retriedSame;

    Route(UpstreamRouter router, CompletionRequest request, RouteListener listener, UpstreamRouter.RouteEnd end) {
        this.router = router;
        this.request = request;
        this.listener = listener;
        this.end = end;
    }

    /** Stops the stream; the listener hears nothing more (the caller records the stop itself). */
    public void cancel() {
        UpstreamCall c;
        int index;
        synchronized (this) {
            if (finished) return;
            finished = true;
            c = call;
            index = tried.isEmpty() ? -1 : tried.get(tried.size() - 1);
            if (watchdog != null) watchdog.cancel(false);
        }
        if (c != null) c.cancel();
        if (index >= 0) router.healthOf(index).released();
    }

    /** Starts the first attempt. */
    synchronized void begin() {
        int index = router.pick(tried);
        tried.add(index);
        attempt(index);
    }

    /** Starts an attempt on the upstream at {@code index} (already claimed through the router). */
    synchronized void attempt(int index) {
        if (finished) {
            router.healthOf(index).released();
            return;
        }
        Upstream up = router.chain().get(index);
        int no = ++attemptNo;
        long t0 = System.nanoTime();
        Attempt attempt = new Attempt(no, index, up, t0);
        long ms = router.firstTokenTimeout().toMillis();
        watchdog = router.timers().schedule(() -> attempt.failed(new UpstreamException(UpstreamException.Kind.TIMEOUT, 0,
                "no first token within " + ms + " ms", null, null)), ms, TimeUnit.MILLISECONDS);
        call = up.start(request, attempt);
    }

    /** Handles the callbacks of one attempt. */
    private final class Attempt implements StreamHandler {
        private final int no;
        private final int index;
        private final Upstream up;
        private final long t0;

        Attempt(int no, int index, Upstream up, long t0) {
            this.no = no;
            this.index = index;
            this.up = up;
            this.t0 = t0;
        }

        private boolean current() {
            return no == attemptNo && !finished;
        }

        private long elapsed() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        }

        @Override
        public void servedModel(String model) {
            synchronized (Route.this) {
                if (current() && firstToken) listener.servedModel(model);
                else if (current()) pendingModel = model;
            }
        }

        private String pendingModel;

        @Override
        public void delta(String text) {
            synchronized (Route.this) {
                if (!current()) return;
                if (!firstToken) {
                    firstToken = true;
                    watchdog.cancel(false);
                    router.healthOf(index).success(elapsed());
                    listener.attempt(up.name(), "ok", elapsed());
                    listener.started(up.name(), pendingModel != null ? pendingModel : up.modelFor(request.model()), up.offline());
                }
                listener.delta(text);
            }
        }

        @Override
        public void usage(TokenUsage usage) {
            synchronized (Route.this) {
                if (current()) listener.usage(usage);
            }
        }

        @Override
        public void completed() {
            synchronized (Route.this) {
                if (!current()) return;
                if (!firstToken) {
                    // A 200 with no content at all: an empty reply, not a fault worth another upstream.
                    firstToken = true;
                    watchdog.cancel(false);
                    router.healthOf(index).success(elapsed());
                    listener.attempt(up.name(), "ok", elapsed());
                    listener.started(up.name(), pendingModel != null ? pendingModel : up.modelFor(request.model()), up.offline());
                }
                finished = true;
                end.completed();
            }
        }

        @Override
        public void failed(UpstreamException error) {
            UpstreamCall toCancel;
            synchronized (Route.this) {
                if (!current()) return;
                watchdog.cancel(false);
                toCancel = call;
                if (firstToken) {
                    finished = true;
                    end.failed(error, true);
                    return;
                }
                router.healthOf(index).failure(error, elapsed());
                listener.attempt(up.name(), error.reason(), elapsed());
                if (!error.failoverWorthy()) {
                    finished = true;
                    end.failed(new AllUpstreamsFailedException(List.of(up.name() + ": " + error.reason()), error), false);
                    return;
                }
                // A short Retry-After on a 429 is worth one wait on the same upstream; anything else moves on.
                if (error.kind() == UpstreamException.Kind.RATE_LIMITED && !retriedSame && error.retryAfter() != null
                        && error.retryAfter().compareTo(router.maxRetryWait()) <= 0) {
                    retriedSame = true;
                    attemptNo++; // silences this attempt's late callbacks
                    router.timers().schedule(() -> attempt(index), Math.max(0, error.retryAfter().toMillis()), TimeUnit.MILLISECONDS);
                } else {
                    failures.add(up.name() + ": " + describe(error));
                    attemptNo++;
                    int n = router.pick(tried);
                    if (n < 0) {
                        finished = true;
                        end.failed(new AllUpstreamsFailedException(failures, error), false);
                    } else {
                        tried.add(n);
                        listener.failover(up.name(), router.chain().get(n).name(), describe(error));
                        router.timers().execute(() -> attempt(n));
                    }
                }
            }
            if (toCancel != null) toCancel.cancel();
        }
    }

    static String describe(UpstreamException e) {
        return switch (e.kind()) {
            case CONNECT -> "connection failed";
            case TIMEOUT -> "no first token in time";
            case AUTH -> e.status() + " (key rejected)";
            default -> e.status() > 0 ? Integer.toString(e.status()) : e.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        };
    }
}
