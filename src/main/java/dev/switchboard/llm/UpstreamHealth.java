package dev.switchboard.llm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Health of one upstream: recent failures, cooldown, key rejection, latency. An upstream that failed
 * {@value #FAILURES_TO_COOL} times within {@link #WINDOW} or rejected its key cools down, then gets one trial request.
 * Hand-written rather than resilience4j (not on the classpath): the rules are "N failures in a time window" and a
 * cooldown stretched by Retry-After, which its failure-rate breaker would only imitate. Time comes from the clock.
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
    private final Deque<Instant> failureTimes = new ArrayDeque<>();
    private final Deque<Failure> recent = new ArrayDeque<>();
    private Instant coolingUntil;
    private boolean keyRejected;
    private boolean trialInFlight;
    private long lastLatencyMillis = -1;
    private long calls;
    private long failures;

    public UpstreamHealth(String name, Clock clock, Duration cooldown) {
        this.name = name;
        this.clock = clock;
        this.cooldown = cooldown;
    }

    public String name() { return name; }

    /** May a request go here now? After a cooldown only one (the trial) may, until it has answered. */
    public synchronized Permit tryAcquire() {
        if (coolingUntil == null) return Permit.NORMAL;
        if (clock.instant().isBefore(coolingUntil) || trialInFlight) return Permit.REFUSED;
        trialInFlight = true;
        return Permit.TRIAL;
    }

    /** When this one may be tried again (for "every upstream is cooling down: try the one that ends first"). */
    public synchronized Instant availableAt() {
        return coolingUntil == null ? Instant.MIN : coolingUntil;
    }

    /** Claims the trial even while cooling down: every upstream is cooling and this one ends first. */
    public synchronized Permit forceTrial() {
        trialInFlight = true;
        return Permit.TRIAL;
    }

    /** The upstream answered (first token, an empty reply, or a clean 4xx about the request): it is alive. */
    public synchronized void answered(long latencyMillis, Permit permit) {
        calls++;
        lastLatencyMillis = latencyMillis;
        failureTimes.clear();
        coolingUntil = null;
        keyRejected = false;
        if (permit == Permit.TRIAL) trialInFlight = false;
    }

    /** A failure before the first token; cools down on a rejected key, a failed trial or the third in the window. */
    public synchronized void failed(UpstreamException e, long latencyMillis, Permit permit) {
        calls++;
        lastLatencyMillis = latencyMillis;
        count(e, permit == Permit.TRIAL);
        if (permit == Permit.TRIAL) trialInFlight = false;
    }

    /** The stream broke after its first token (already counted as a call): a failure, never a retry. */
    public synchronized void broke(UpstreamException e) {
        count(e, false);
    }

    private void count(UpstreamException e, boolean trial) {
        failures++;
        Instant now = clock.instant();
        recent.addFirst(new Failure(now, e.reason(), e.getMessage()));
        while (recent.size() > RECENT) recent.removeLast();
        failureTimes.addLast(now);
        while (!failureTimes.isEmpty() && failureTimes.peekFirst().isBefore(now.minus(WINDOW))) failureTimes.removeFirst();
        boolean auth = e.kind() == UpstreamException.Kind.AUTH;
        if (auth || trial || failureTimes.size() >= FAILURES_TO_COOL) {
            Duration wait = e.retryAfter() != null && e.retryAfter().compareTo(cooldown) > 0 ? e.retryAfter() : cooldown;
            Instant until = now.plus(wait);
            if (coolingUntil == null || until.isAfter(coolingUntil)) coolingUntil = until;
            keyRejected = auth || keyRejected && coolingUntil != null;
        }
    }

    /** A cancelled attempt says nothing about health, but frees the trial slot it held. */
    public synchronized void released(Permit permit) {
        if (permit == Permit.TRIAL) trialInFlight = false;
    }

    /** Not cooling down (a trial may be due): what /actuator/health calls usable. */
    public synchronized boolean usable() {
        return coolingUntil == null || !clock.instant().isBefore(coolingUntil);
    }

    public synchronized Snapshot snapshot() {
        State state;
        if (coolingUntil == null) state = State.HEALTHY;
        else if (clock.instant().isBefore(coolingUntil)) state = keyRejected ? State.KEY_REJECTED : State.COOLING_DOWN;
        else state = State.TRIAL;
        return new Snapshot(name, state, coolingUntil, List.copyOf(recent), lastLatencyMillis, calls, failures);
    }
}
