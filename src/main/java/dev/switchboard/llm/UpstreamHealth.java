package dev.switchboard.llm;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Health of one upstream on a resilience4j circuit breaker: {@value #FAILURES_TO_COOL} failures within {@link #WINDOW}
 * without an answer in between, or a rejected key, open it (cooling down) for the cooldown or a longer Retry-After;
 * then one trial request (half-open) closes it or opens it again. Time, the window's included, comes from the clock.
 */
public final class UpstreamHealth {
    static final int FAILURES_TO_COOL = 3;
    static final Duration WINDOW = Duration.ofSeconds(60);
    private static final int RECENT = 20;

    public enum State { HEALTHY, COOLING_DOWN, KEY_REJECTED, TRIAL }

    /** What a request got: refused (cooling down or its trial is taken), a normal call, or the single trial. */
    public enum Permit { REFUSED, NORMAL, TRIAL }

    /** One recent failure, newest first in a snapshot. */
    public record Failure(Instant at, String reason, String message) {}

    /** What the admin sees of one upstream. */
    public record Snapshot(String name, State state, Instant coolingUntil, List<Failure> recentFailures,
                           long lastLatencyMillis, long calls, long failures) {}

    private final String name;
    private final Clock clock;
    private final Duration cooldown;
    private final CircuitBreaker breaker;
    private final Deque<Failure> recent = new ArrayDeque<>();
    private UpstreamException opening; // the failure being recorded: resilience4j's wait function gets no failure
    private Instant coolingUntil;      // resilience4j does not tell when OPEN ends, so it is noted as it opens
    private boolean keyRejected;
    private long lastLatencyMillis = -1;
    private long calls;
    private long failures;

    public UpstreamHealth(String name, Clock clock, Duration cooldown) {
        this.name = name;
        this.clock = clock;
        this.cooldown = cooldown;
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                // Only failures enter the window (an answer resets it), so "all of at least 3 calls failed" means
                // "3 failures without an answer in between"; SYNCHRONIZED as the lock-free window ignores the clock.
                .slidingWindow((int) WINDOW.toSeconds(), FAILURES_TO_COOL, SlidingWindowType.TIME_BASED,
                        SlidingWindowSynchronizationStrategy.SYNCHRONIZED)
                .failureRateThreshold(100)
                .permittedNumberOfCallsInHalfOpenState(1)
                .waitIntervalFunctionInOpenState(attempt -> waitAfter(opening).toMillis())
                .clock(clock)
                .build();
        breaker = CircuitBreaker.of(name, config);
        breaker.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                coolingUntil = clock.instant().plus(waitAfter(opening));
                keyRejected = opening.kind() == UpstreamException.Kind.AUTH;
            }
        });
    }

    public String name() { return name; }

    /** May a request go here now? After a cooldown only one (the trial) may, until it has answered. */
    public synchronized Permit tryAcquire() {
        if (!breaker.tryAcquirePermission()) return Permit.REFUSED;
        return breaker.getState() == CircuitBreaker.State.HALF_OPEN ? Permit.TRIAL : Permit.NORMAL;
    }

    /** When this one may be tried again (for "every upstream is cooling down: try the one that ends first"). */
    public synchronized Instant availableAt() {
        return closed() ? Instant.MIN : coolingUntil;
    }

    /**
     * Claims the trial even while cooling down: every upstream is cooling and this one ends first. When another
     * request holds the trial already, this one goes anyway as NORMAL, so that releasing it frees no second slot.
     */
    public synchronized Permit forceTrial() {
        if (breaker.getState() == CircuitBreaker.State.OPEN) breaker.transitionToHalfOpenState();
        Permit permit = tryAcquire();
        return permit == Permit.REFUSED ? Permit.NORMAL : permit;
    }

    /** The upstream answered (first token, an empty reply, or a clean 4xx about the request): it is alive. */
    public synchronized void answered(long latencyMillis, Permit permit) {
        calls++;
        lastLatencyMillis = latencyMillis;
        // An answer closes the breaker and clears the failure count, which a failure-rate window would keep.
        if (!closed() || breaker.getMetrics().getNumberOfBufferedCalls() > 0) breaker.reset();
        coolingUntil = null;
        keyRejected = false;
    }

    /** A failure before the first token; cools down on a rejected key, a failed trial or the third in the window. */
    public synchronized void failed(UpstreamException e, long latencyMillis, Permit permit) {
        calls++;
        lastLatencyMillis = latencyMillis;
        count(e, latencyMillis);
    }

    /** The stream broke after its first token (already counted as a call): a failure, never a retry. */
    public synchronized void broke(UpstreamException e) {
        count(e, 0);
    }

    private void count(UpstreamException e, long latencyMillis) {
        failures++;
        recent.addFirst(new Failure(clock.instant(), e.reason(), e.operatorText()));
        while (recent.size() > RECENT) recent.removeLast();
        opening = e;
        breaker.onError(latencyMillis, TimeUnit.MILLISECONDS, e); // a failed trial reopens it; open, it ignores this
        if (e.kind() == UpstreamException.Kind.AUTH && breaker.getState() != CircuitBreaker.State.OPEN) {
            breaker.transitionToOpenState(); // a rejected key will not heal by itself: no need for three
        }
    }

    /** A cancelled attempt says nothing about health, but frees the trial slot it held. */
    public synchronized void released(Permit permit) {
        if (permit == Permit.TRIAL) breaker.releasePermission();
    }

    /** Not cooling down (a trial may be due): what /actuator/health calls usable. */
    public synchronized boolean usable() {
        return closed() || clock.instant().isAfter(coolingUntil);
    }

    public synchronized Snapshot snapshot() {
        State state;
        if (closed()) state = State.HEALTHY;
        else if (clock.instant().isAfter(coolingUntil)) state = State.TRIAL;
        else state = keyRejected ? State.KEY_REJECTED : State.COOLING_DOWN;
        return new Snapshot(name, state, coolingUntil, List.copyOf(recent), lastLatencyMillis, calls, failures);
    }

    private Duration waitAfter(UpstreamException e) {
        return e.retryAfter() != null && e.retryAfter().compareTo(cooldown) > 0 ? e.retryAfter() : cooldown;
    }

    private boolean closed() { return breaker.getState() == CircuitBreaker.State.CLOSED; }
}
