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
 */
public final class UpstreamHealth {
    static final int FAILURES_TO_COOL = 3;
    static final Duration WINDOW = Duration.ofSeconds(60);
    private static final int RECENT = 20;

    public enum State { HEALTHY, COOLING_DOWN, KEY_REJECTED, TRIAL }

    /** What the admin sees of one upstream. */
    public record Snapshot(String name, State state, Instant coolingUntil, List<String> recentFailures,
                           long lastLatencyMillis, long calls, long failures) {}

    private final String name;
    private final Clock clock;
    private final Duration cooldown;
    private final Deque<Instant> failureTimes = new ArrayDeque<>();
    private final Deque<String> recent = new ArrayDeque<>();
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

    /** True when a request may go here now; claims the single trial slot after a cooldown. */
    public synchronized boolean tryAcquire() {
        if (coolingUntil == null) return true;
        if (clock.instant().isBefore(coolingUntil) || trialInFlight) return false;
        trialInFlight = true;
        return true;
    }

    /** For the "everyone is cooling down" case: when this one may be tried again. */
    public synchronized Instant availableAt() {
        return coolingUntil == null ? Instant.MIN : coolingUntil;
    }

    /** Forces a trial even while cooling down (every upstream is cooling: try the one that ends first). */
    public synchronized void forceTrial() {
        trialInFlight = true;
    }

    public synchronized void success(long latencyMillis) {
        calls++;
        lastLatencyMillis = latencyMillis;
        failureTimes.clear();
        coolingUntil = null;
        keyRejected = false;
        trialInFlight = false;
    }

    /** Records a failure; cools down on the third within a minute, on a rejected key, or when a trial fails. */
    public synchronized void failure(UpstreamException e, long latencyMillis) {
        calls++;
        failures++;
        lastLatencyMillis = latencyMillis;
        Instant now = clock.instant();
        recent.addFirst(now + " " + e.reason() + ": " + e.getMessage());
        while (recent.size() > RECENT) recent.removeLast();
        failureTimes.addLast(now);
        while (!failureTimes.isEmpty() && failureTimes.peekFirst().isBefore(now.minus(WINDOW))) failureTimes.removeFirst();
        boolean auth = e.kind() == UpstreamException.Kind.AUTH;
        if (auth || trialInFlight || failureTimes.size() >= FAILURES_TO_COOL) {
            Duration wait = e.retryAfter() != null && e.retryAfter().compareTo(cooldown) > 0 ? e.retryAfter() : cooldown;
            coolingUntil = now.plus(wait);
            keyRejected = auth;
        }
        trialInFlight = false;
    }

    /** A cancelled attempt says nothing about health, but frees the trial slot. */
    public synchronized void released() {
        trialInFlight = false;
    }

    public synchronized boolean usable() {
        return coolingUntil == null || !clock.instant().isBefore(coolingUntil);
    }

    public synchronized Snapshot snapshot() {
        State state;
        if (coolingUntil == null) state = State.HEALTHY;
        else if (keyRejected) state = State.KEY_REJECTED;
        else if (clock.instant().isBefore(coolingUntil)) state = State.COOLING_DOWN;
        else state = State.TRIAL;
        return new Snapshot(name, state, coolingUntil, List.copyOf(recent), lastLatencyMillis, calls, failures);
    }
}
