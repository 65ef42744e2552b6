package dev.switchboard.llm;

import org.springframework.scheduling.TaskScheduler;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The one retry loop: runs a completion on the first usable upstream of the ordered chain and, until the first
 * content token, fails over to the next on an upstream fault. After the first token nothing is retried: a broken
 * stream ends as failed-after-first-token and the caller keeps what arrived. The clock drives cooldowns (tests pass
 * their own); timers drive the first-token watchdog and the Retry-After wait.
 */
public final class UpstreamRouter {
    private final List<Upstream> chain;
    private final List<UpstreamHealth> health;
    private final TaskScheduler timers;
    private final Duration firstTokenTimeout;
    private final Duration maxRetryWait;

    public UpstreamRouter(List<Upstream> chain, TaskScheduler timers, Clock clock,
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
     * Starts the completion and returns at once; {@code listener} hears its events (see {@link StreamEvent}), ending
     * with exactly one Finished unless the returned route is cancelled first.
     */
    public Route route(CompletionRequest request, Consumer<StreamEvent> listener) {
        Route route = new Route(this, request, listener);
        route.begin();
        return route;
    }

    // ---- used by Route ----

    Duration firstTokenTimeout() { return firstTokenTimeout; }

    Duration maxRetryWait() { return maxRetryWait; }

    TaskScheduler timers() { return timers; }

    UpstreamHealth healthOf(int index) { return health.get(index); }

    /** An upstream chosen for an attempt, with the permit its health gave (needed to resolve a trial). */
    record Pick(int index, UpstreamHealth.Permit permit) {}

    /**
     * The first attempt: the first upstream in chain order that takes a request or, when every one is cooling
     * down, the one whose cooldown ends first (a request is never failed untried).
     */
    Pick first() {
        Pick p = next(List.of());
        if (p != null) return p;
        int soonest = IntStream.range(0, chain.size()).boxed()
                .min(Comparator.comparing(i -> health.get(i).availableAt())).orElseThrow();
        return new Pick(soonest, health.get(soonest).forceTrial());
    }

    /** The next upstream in chain order, not yet tried, that takes a request now; null when none does. */
    Pick next(List<Integer> tried) {
        for (int i = 0; i < chain.size(); i++) {
            if (tried.contains(i)) continue;
            UpstreamHealth.Permit permit = health.get(i).tryAcquire();
            if (permit != UpstreamHealth.Permit.REFUSED) return new Pick(i, permit);
        }
        return null;
    }
}
