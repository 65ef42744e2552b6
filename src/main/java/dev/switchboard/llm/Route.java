package dev.switchboard.llm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One routed completion: its attempts, one at a time, until one streams its first token or all have failed.
 * Only the current attempt is heard: a timed-out, replaced or cancelled attempt's late callbacks are dropped, so no
 * text is ever duplicated or mixed. The first token or the final error comes within first-token-timeout × chain size.
 */
public final class Route {
    private static final Logger log = LoggerFactory.getLogger(Route.class);
    private final UpstreamRouter router;
    private final CompletionRequest request;
    private final RouteListener listener;
    private final UpstreamRouter.RouteEnd end;
    private final long deadline;
    private final List<Integer> tried = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    // Guarded by this.
    private Attempt current;
    private UpstreamRouter.Pick pending; // claimed but not started yet (failover hand-off, Retry-After wait)
    private boolean firstToken;
    private boolean finished;
    private boolean retriedSame;

    Route(UpstreamRouter router, CompletionRequest request, RouteListener listener, UpstreamRouter.RouteEnd end) {
        this.router = router;
        this.request = request;
        this.listener = listener;
        this.end = end;
        this.deadline = System.nanoTime() + router.firstTokenTimeout().toNanos() * router.chain().size();
    }

    /** Stops the stream; the listener hears nothing more but the cancelled attempt (the caller records the stop). */
    public void cancel() {
        Attempt a;
        UpstreamRouter.Pick p;
        UpstreamCall c = null;
        synchronized (this) {
            if (finished) return;
            finished = true;
            a = current;
            if (a != null) c = a.call;
            p = pending;
            pending = null;
            if (a != null && !a.resolved) {
                a.resolve(firstToken ? "ok" : "cancelled");
                if (!firstToken) router.healthOf(a.pick.index()).released(a.pick.permit());
            }
        }
        if (p != null) router.healthOf(p.index()).released(p.permit());
        if (c != null) c.cancel();
    }

    /** Starts the first attempt. */
    synchronized void begin() {
        UpstreamRouter.Pick p = router.first();
        tried.add(p.index());
        pending = p;
        launch(p);
    }

    /** Starts the attempt claimed as {@code p}, unless the route was cancelled meanwhile (which released it). */
    private synchronized void launch(UpstreamRouter.Pick p) {
        if (pending != p) return;
        pending = null;
        Upstream up = router.chain().get(p.index());
        Attempt a = new Attempt(p, up);
        current = a;
        long budget = Math.max(0, Math.min(router.firstTokenTimeout().toNanos(), deadline - System.nanoTime()));
        long budgetMillis = (budget + 999_999) / 1_000_000;
        a.watchdog = router.timers().schedule(() -> a.timedOut(budgetMillis), budget, TimeUnit.NANOSECONDS);
        UpstreamCall c;
        try {
            c = up.start(request, a);
        } catch (RuntimeException e) {
            c = () -> { };
            a.failed(new UpstreamException(UpstreamException.Kind.CONNECT, 0, "could not start: " + e, null, e));
        }
        a.call = c;
        if (current != a || finished) c.cancel(); // it already failed (or ended) while starting
    }

    /** An attempt failed (under the lock): interrupt, give up, retry the same upstream once, or fail over. */
    private UpstreamCall onFailure(Attempt a, UpstreamException e) {
        UpstreamHealth health = router.healthOf(a.pick.index());
        String name = a.up.name();
        // The user sees a short reason; the operator needs the cause (e.g. which socket error), so it goes to the log.
        log.warn("Upstream {} failed{}: {}", name, firstToken ? " mid-stream" : "", e.getMessage());
        if (firstToken) {
            finished = true;
            health.broke(e);
            a.resolve("interrupted: " + describe(e));
            end.failed(e, true);
            return a.call;
        }
        long ms = a.elapsed();
        a.resolve(describe(e));
        current = null;
        if (!e.failoverWorthy()) {
            health.answered(ms, a.pick.permit()); // it answered properly; the request itself is at fault
            finished = true;
            end.failed(new AllUpstreamsFailedException(List.of(name + ": " + describe(e)), e), false);
            return a.call;
        }
        health.failed(e, ms, a.pick.permit());
        if (shortRetryAfter(e)) {
            // A 429 with a short Retry-After is worth one wait on the same upstream; anything else moves on.
            retriedSame = true;
            UpstreamRouter.Pick again = new UpstreamRouter.Pick(a.pick.index(), UpstreamHealth.Permit.NORMAL);
            pending = again;
            router.timers().schedule(() -> launch(again), e.retryAfter().toMillis(), TimeUnit.MILLISECONDS);
            return a.call;
        }
        failures.add(name + ": " + describe(e));
        UpstreamRouter.Pick next = remainingNanos() > 0 ? router.next(tried) : null;
        if (next == null) {
            for (int i = 0; i < router.chain().size(); i++) {
                if (!tried.contains(i)) failures.add(router.chain().get(i).name() + ": " + skippedBecause(i));
            }
            finished = true;
            end.failed(new AllUpstreamsFailedException(failures, e), false);
            return a.call;
        }
        tried.add(next.index());
        pending = next;
        listener.failover(name, router.chain().get(next.index()).name(), describe(e));
        router.timers().execute(() -> launch(next));
        return a.call;
    }

    private boolean shortRetryAfter(UpstreamException e) {
        return e.kind() == UpstreamException.Kind.RATE_LIMITED && !retriedSame && e.retryAfter() != null
                && e.retryAfter().compareTo(router.maxRetryWait()) <= 0
                && e.retryAfter().toNanos() < remainingNanos();
    }

    private long remainingNanos() {
        return deadline - System.nanoTime();
    }

    private String skippedBecause(int index) {
        if (remainingNanos() <= 0) return "not tried (out of time)";
        UpstreamHealth.Snapshot s = router.healthOf(index).snapshot();
        return switch (s.state()) {
            case KEY_REJECTED -> "key rejected, not tried";
            case COOLING_DOWN -> "cooling down until " + s.coolingUntil() + ", not tried";
            default -> "trial already running, not tried";
        };
    }

    /** Short reason for failover notes and the final error: "503", "connection failed", "401 (key rejected)". */
    static String describe(UpstreamException e) {
        return switch (e.kind()) {
            case CONNECT -> "connection failed";
            case TIMEOUT, BROKEN_STREAM -> e.getMessage();
            case AUTH -> e.status() + " (key rejected)";
            case CONTEXT_TOO_LONG -> e.status() + " (context length exceeded)";
            default -> e.status() > 0 ? Integer.toString(e.status()) : e.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }

    /** Handles the callbacks of one attempt; all of them run under the route's lock. */
    private final class Attempt implements StreamHandler {
        final UpstreamRouter.Pick pick;
        final Upstream up;
        final long t0 = System.nanoTime();
        UpstreamCall call;
        ScheduledFuture<?> watchdog;
        long firstTokenMillis = -1;
        boolean resolved;
        private String servedModel;

        Attempt(UpstreamRouter.Pick pick, Upstream up) {
            this.pick = pick;
            this.up = up;
        }

        boolean live() {
            return current == this && !finished;
        }

        long elapsed() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        }

        /** Records this attempt once (outcome, latency to first token or to failure) for the admin. */
        void resolve(String outcome) {
            resolved = true;
            if (watchdog != null) watchdog.cancel(false);
            listener.attempt(up.name(), outcome, firstTokenMillis >= 0 ? firstTokenMillis : elapsed());
        }

        private void begin() {
            firstToken = true;
            watchdog.cancel(false);
            firstTokenMillis = elapsed();
            router.healthOf(pick.index()).answered(firstTokenMillis, pick.permit());
            listener.started(up.name(), servedModel != null ? servedModel : up.modelFor(request.model()), up.offline());
        }

        @Override
        public void servedModel(String model) {
            synchronized (Route.this) {
                if (!live()) return;
                servedModel = model;
                if (firstToken) listener.servedModel(model);
            }
        }

        @Override
        public void delta(String text) {
            synchronized (Route.this) {
                if (!live()) return;
                if (!firstToken) begin();
                listener.delta(text);
            }
        }

        @Override
        public void caughtUp() {
            synchronized (Route.this) {
                if (live() && firstToken) listener.caughtUp();
            }
        }

        @Override
        public void usage(TokenUsage usage) {
            synchronized (Route.this) {
                if (live()) listener.usage(usage);
            }
        }

        @Override
        public void completed() {
            synchronized (Route.this) {
                if (!live()) return;
                if (!firstToken) begin(); // a 200 with no content: an empty reply, not a fault worth another upstream
                finished = true;
                resolve("ok");
                end.completed();
            }
        }

        @Override
        public void failed(UpstreamException error) {
            UpstreamCall toCancel;
            synchronized (Route.this) {
                if (!live()) return;
                toCancel = onFailure(this, error);
            }
            if (toCancel != null) toCancel.cancel();
        }

        /** The watchdog: ignored once the first token is in (it may fire just as the token arrives). */
        void timedOut(long budgetMillis) {
            UpstreamCall toCancel;
            synchronized (Route.this) {
                if (!live() || firstToken) return;
                toCancel = onFailure(this, new UpstreamException(UpstreamException.Kind.TIMEOUT, 0,
                        "no first token within " + budgetMillis + " ms", null, null));
            }
            if (toCancel != null) toCancel.cancel();
        }
    }
}
