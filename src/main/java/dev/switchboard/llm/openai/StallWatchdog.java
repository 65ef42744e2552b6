package dev.switchboard.llm.openai;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Ends upstream calls that went silent, for all upstreams from one thread.
 *
 * <p>Why not OkHttp's read timeout: okio schedules a timer for every read with a timeout, and a timed read on a JDK
 * socket costs a poll and two switches of the socket's blocking mode (see {@link BlockingSockets}). At 256 streams
 * that was ~10 % of the app's CPU. Untimed sockets block in one read per chunk, and this checks each call's last
 * progress every {@link #PERIOD_MILLIS} ms. Connecting keeps OkHttp's connect timeout.
 */
final class StallWatchdog {
    static final long PERIOD_MILLIS = 50;

    /** A call under watch. */
    interface Watched {
        /** {@link System#nanoTime()} after which the call counts as stalled. */
        long deadlineNanos();

        /** Called once, on the watchdog's thread, when the deadline passed. */
        void expire();
    }

    static final StallWatchdog SHARED = new StallWatchdog();

    private final Set<Watched> calls = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "upstream-stall-watchdog");
        t.setDaemon(true);
        return t;
    });

    private StallWatchdog() {
        thread.scheduleWithFixedDelay(this::check, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    void watch(Watched call) {
        calls.add(call);
    }

    void forget(Watched call) {
        calls.remove(call);
    }

    private void check() {
        long now = System.nanoTime();
        for (Watched call : calls) {
            if (now - call.deadlineNanos() > 0 && calls.remove(call)) {
                try {
                    call.expire();
                } catch (RuntimeException e) {
                    // one call's trouble must not stop the watch over the others
                }
            }
        }
    }
}
