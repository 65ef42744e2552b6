package dev.switchboard.llm;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The one retry loop: runs a completion on the first usable upstream of the ordered chain and, until the first
 * content token, fails over to the next on an upstream fault. After the first token nothing is retried: a broken
 * stream ends as failed-after-first-token and the caller keeps what arrived.
 */
public final class UpstreamRouter {
    private final List<Upstream> chain;
    private final List<UpstreamHealth> health;
    private final ScheduledExecutorService timers;
    private final Duration firstTokenTimeout;
    private final Duration maxRetryWait;

    public UpstreamRouter(List<Upstream> chain, ScheduledExecutorService timers, Clock clock,
                          Duration firstTokenTimeout, Duration maxRetryWait, Duration cooldown) {
        if (chain.isEmpty()) throw new IllegalArgumentException("at least one upstream is needed");
        this.chain = List.copyOf(chain);
        this.timers = timers;
        this.firstTokenTimeout = firstTokenTimeout;
        this.maxRetryWait = maxRetryWait;
        List<UpstreamHealth> h = new ArrayList<>();
        for (Upstream u : chain) h.add(new UpstreamHealth(u.name(), clock, cooldown));
        this.health = List.copyOf(h);
    }

    public List<Upstream> chain() { return chain; }

    public List<UpstreamHealth.Snapshot> health() {
        return health.stream().map(UpstreamHealth::snapshot).toList();
    }

    /** True while at least one upstream is not cooling down. */
    public boolean anyUsable() {
        return health.stream().anyMatch(UpstreamHealth::usable);
    }

    /** True when every upstream of the chain is the built-in offline model. */
    public boolean offlineOnly() {
        return chain.stream().allMatch(Upstream::offline);
    }

    /**
     * Starts the completion and returns at once; the listener hears started/failover/deltas/usage and then
     * exactly one of completed or failed. The returned route cancels it.
     */
    public Route route(CompletionRequest request, RouteListener listener, RouteEnd end) {
        Route route = new Route(this, request, listener, end);
        route.begin();
        return route;
    }

    /** How a routed completion ended. */
    public interface RouteEnd {
        void completed();

        /**
         * @param afterFirstToken true when content had already arrived (the stream broke: "interrupted"),
         *                        false when no upstream produced any (the reply failed)
         */
        void failed(UpstreamException error, boolean afterFirstToken);
    }

    // ---- used by Route ----

    Duration firstTokenTimeout() { return firstTokenTimeout; }

    Duration maxRetryWait() { return maxRetryWait; }

    ScheduledExecutorService timers() { return timers; }

    UpstreamHealth healthOf(int index) { return health.get(index); }

    /**
     * The next upstream to try after {@code tried} (indexes already used), claiming its slot: the first usable one
     * in chain order or, when all the rest are cooling down, the one whose cooldown ends first. -1 when none is left.
     */
    int pick(List<Integer> tried) {
        for (int i = 0; i < chain.size(); i++) {
            if (!tried.contains(i) && health.get(i).tryAcquire()) return i;
        }
        return java.util.stream.IntStream.range(0, chain.size()).boxed()
                .filter(i -> !tried.contains(i))
                .min(Comparator.comparing(i -> health.get(i).availableAt()))
                .map(i -> { health.get(i).forceTrial(); return i; })
                .orElse(-1);
    }
}
