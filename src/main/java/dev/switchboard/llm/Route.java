package dev.switchboard.llm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One routed completion: its attempts, one at a time, until one streams its first token or all have failed.
 * Only the current attempt is heard: a timed-out, replaced or cancelled attempt's late events are dropped, so no
 * text is ever duplicated or mixed. The first token or the final error comes within first-token-timeout × chain size.
 * Every event is handled under this route's lock, so the listener hears them one at a time, in order.
 */
public final class Route {
    private static final Logger log = LoggerFactory.getLogger(Route.class);
    private final UpstreamRouter router;
    private final CompletionRequest request;
    private final Consumer<StreamEvent> listener;
    private final long deadline;
    private final List<Integer> tried = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    // Guarded by this.
    private Attempt current;
    private UpstreamRouter.Pick pending; // claimed but not started yet (a Retry-After wait)
    private boolean firstToken;
    private boolean finished;
    private boolean retriedSame;

    Route(UpstreamRouter router, CompletionRequest request, Consumer<StreamEvent> listener) {
        this.router = router;
        this.request = request;
        this.listener = listener;
        this.deadline = System.nanoTime() + router.firstTokenTimeout().toNanos() * router.chain().size();
    }

    /** Stops the stream; the listener hears nothing more but the attempt's end (the caller records the stop). */
    public void cancel() {
        UpstreamCall call = null;
        synchronized (this) {
            if (finished) return;
            finished = true;
            if (pending != null) router.healthOf(pending.index()).released(pending.permit());
            pending = null;
            if (current != null) {
                call = current.call;
                current.resolve(firstToken ? "ok" : "cancelled");
                if (!firstToken) router.healthOf(current.pick.index()).released(current.pick.permit());
            }
        }
        if (call != null) call.cancel();
    }

    /** Starts the first attempt. */
    synchronized void begin() {
        UpstreamRouter.Pick p = router.first();
        tried.add(p.index());
        launch(p);
    }

    /** Starts the attempt claimed as {@code p} (under the lock). */
    private void launch(UpstreamRouter.Pick p) {
        Upstream up = router.chain().get(p.index());
        Attempt a = new Attempt(p, up);
        current = a;
        long budget = Math.max(0, Math.min(router.firstTokenTimeout().toNanos(), deadline - System.nanoTime()));
        long budgetMillis = (budget + 999_999) / 1_000_000;
        a.watchdog = router.timers().schedule(() -> a.timedOut(budgetMillis), Instant.now().plusNanos(budget));
        try {
            a.call = up.stream(request, a::on);
        } catch (RuntimeException e) {
            a.on(new StreamEvent.Finished(StreamEvent.Outcome.FAILED,
                    new UpstreamException(UpstreamException.Kind.CONNECT, 0, "could not start: " + e, null, e)));
        }
        if (current != a && a.call != null) a.call.cancel(); // it failed while starting
    }

    /** The current attempt failed (under the lock): interrupt, give up, wait and retry the same upstream, or fail over. */
    private void onFailure(Attempt a, UpstreamException e) {
        UpstreamHealth health = router.healthOf(a.pick.index());
        String name = a.up.name();
        // The user sees a short reason; the operator needs the cause (e.g. which socket error), so it goes to the log.
        log.warn("Upstream {} failed{}: {}", name, firstToken ? " mid-stream" : "", e.operatorText());
        current = null;
        if (firstToken) {
            health.broke(e);
            a.resolve("interrupted: " + describe(e));
            end(new StreamEvent.Finished(StreamEvent.Outcome.INTERRUPTED, e));
            return;
        }
        long ms = a.elapsed();
        a.resolve(describe(e));
        if (!e.failoverWorthy()) {
            health.answered(ms, a.pick.permit()); // it answered properly; the request itself is at fault
            fail(List.of(name + ": " + describe(e)), e);
            return;
        }
        health.failed(e, ms, a.pick.permit());
        if (shortRetryAfter(e)) {
            // A 429 with a short Retry-After is worth one wait on the same upstream; anything else moves on.
            retriedSame = true;
            UpstreamRouter.Pick again = new UpstreamRouter.Pick(a.pick.index(), UpstreamHealth.Permit.NORMAL);
            pending = again;
            router.timers().schedule(() -> launchPending(again), Instant.now().plus(e.retryAfter()));
            return;
        }
        failures.add(name + ": " + describe(e));
        UpstreamRouter.Pick next = remainingNanos() > 0 ? router.next(tried) : null;
        if (next == null) {
            for (int i = 0; i < router.chain().size(); i++) {
                if (!tried.contains(i)) failures.add(router.chain().get(i).name() + ": " + skippedBecause(i));
            }
            fail(failures, e);
            return;
        }
        tried.add(next.index());
        listener.accept(new StreamEvent.Failover(name, router.chain().get(next.index()).name(), describe(e), e.reason()));
        launch(next);
    }

    private synchronized void launchPending(UpstreamRouter.Pick p) {
        if (pending != p) return; // cancelled meanwhile (which released it)
        pending = null;
        launch(p);
    }

    private void fail(List<String> attempts, UpstreamException last) {
        end(new StreamEvent.Finished(StreamEvent.Outcome.FAILED, new AllUpstreamsFailedException(attempts, last)));
    }

    private void end(StreamEvent.Finished f) {
        finished = true;
        listener.accept(f);
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

    /** One upstream's try; its events are heard only while it is the route's current attempt. */
    private final class Attempt {
        final UpstreamRouter.Pick pick;
        final Upstream up;
        final long t0 = System.nanoTime();
        UpstreamCall call;
        ScheduledFuture<?> watchdog;
        long firstTokenMillis = -1;
        private StreamEvent.Started answered;

        Attempt(UpstreamRouter.Pick pick, Upstream up) {
            this.pick = pick;
            this.up = up;
        }

        long elapsed() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        }

        /** Records this attempt once (outcome, latency to first token or to failure) for the usage row. */
        void resolve(String outcome) {
            if (watchdog != null) watchdog.cancel(false);
            listener.accept(new StreamEvent.Attempt(up.name(), outcome, firstTokenMillis >= 0 ? firstTokenMillis : elapsed()));
        }

        /** The first content (or an empty reply): this upstream serves the request. */
        private void begin() {
            firstToken = true;
            watchdog.cancel(false);
            firstTokenMillis = elapsed();
            router.healthOf(pick.index()).answered(firstTokenMillis, pick.permit());
            listener.accept(answered != null ? answered
                    : new StreamEvent.Started(up.name(), up.modelFor(request.model()), up.offline()));
        }

        void on(StreamEvent event) {
            synchronized (Route.this) {
                if (current != this || finished) return;
                if (event instanceof StreamEvent.Started s) {
                    answered = s;
                } else if (event instanceof StreamEvent.Delta || event instanceof StreamEvent.ToolCallDelta) {
                    if (!firstToken) begin(); // a tool call is the reply's first content as much as text is
                    listener.accept(event);
                } else if (event instanceof StreamEvent.Finished f && f.outcome() == StreamEvent.Outcome.COMPLETED) {
                    if (!firstToken) begin(); // a 200 with no content: an empty reply, not a fault worth another upstream
                    current = null;
                    resolve("ok");
                    end(f);
                } else if (event instanceof StreamEvent.Finished f) {
                    onFailure(this, f.error());
                } else {
                    listener.accept(event); // usage
                }
            }
        }

        /** The watchdog: ignored once the first token is in (it may fire just as the token arrives). */
        void timedOut(long budgetMillis) {
            UpstreamCall toCancel;
            synchronized (Route.this) {
                if (current != this || finished || firstToken) return;
                toCancel = call;
                onFailure(this, new UpstreamException(UpstreamException.Kind.TIMEOUT, 0,
                        "no first token within " + budgetMillis + " ms", null, null));
            }
            if (toCancel != null) toCancel.cancel();
        }
    }
}
