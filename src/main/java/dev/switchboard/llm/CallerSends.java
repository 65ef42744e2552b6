package dev.switchboard.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * Lets the thread that starts a generation send the upstream request itself, and read the first chunk, instead of
 * handing both to a reader thread: the first token then reaches its client without waiting for another thread to
 * be woken and given a core (at 256 streams on 2 cores that hand-off was ~0.1 ms of the time to first token on
 * average). The send runs once the starting code has returned, so no lock of a route or a generation is held while it
 * waits for the upstream. At most {@link #MAX_SENDING} threads send this way at once; the others hand off as before, so
 * a slow upstream holds only that many request threads.
 */
public final class CallerSends {
    /** Threads sending on their own at once: half of the server's request threads (server.tomcat.threads.max). */
    static final int MAX_SENDING = 16;
    private static final Semaphore SENDING = new Semaphore(MAX_SENDING);
    private static final ThreadLocal<List<Runnable>> QUEUE = new ThreadLocal<>();

    private CallerSends() { }

    /**
     * Runs {@code start}, then, on this thread, the sends it offered (and the sends those offered, a failover after a
     * failed send), in order.
     */
    public static void run(Runnable start) {
        if (QUEUE.get() != null) {
            start.run(); // already inside run(): the outer one runs what this offers
            return;
        }
        List<Runnable> queue = new ArrayList<>(2);
        QUEUE.set(queue);
        try {
            start.run();
            for (int i = 0; i < queue.size(); i++) queue.get(i).run();
        } finally {
            QUEUE.remove();
        }
    }

    /**
     * Takes {@code send} to run on the current thread after {@link #run}'s start; false if this thread is not inside
     * {@link #run}, or enough threads already send on their own (the caller hands the send off instead).
     */
    public static boolean offer(Runnable send) {
        List<Runnable> queue = QUEUE.get();
        if (queue == null || !SENDING.tryAcquire()) return false;
        queue.add(() -> {
            try {
                send.run();
            } finally {
                SENDING.release();
            }
        });
        return true;
    }
}
