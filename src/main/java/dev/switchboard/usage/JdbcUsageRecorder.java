package dev.switchboard.usage;

import dev.switchboard.config.SwitchboardProperties;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.PlatformTransactionManager;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Queues usage rows and writes them on one writer thread, in batches, so a stream never waits for the database: a
 * generation's row as it starts and saves its progress (running), and its end, whose future completes once the row
 * is committed. Every {@code switchboard.usage.progress-interval} it also ends the rows left running by a server
 * that died: rows not saved for three intervals become interrupted, with the tokens last saved.
 * A failed write is retried with a growing pause (as long as the database looks merely unavailable); a row that
 * cannot be written at all is logged in full at ERROR and counted in {@link #lostRecords()}, never dropped
 * silently. On shutdown the queue is flushed.
 */
@Component
public class JdbcUsageRecorder implements UsageRecorder {
    private static final Logger log = LoggerFactory.getLogger(JdbcUsageRecorder.class);
    static final int BATCH = 500;
    /**
     * How long the writer waits for more rows after the first before it writes. A batch costs about nine
     * statements however many rows it holds (the rows, their attempts, six rollups); written as they came, at
     * ~200 streams/s the writer parsed and ran those for one or two rows at a time, 9 % of the app's CPU.
     */
    static final long LINGER_MILLIS = 100;
    static final String LOST_WITH_SERVER = "The server stopped before the reply ended.";
    /** Non-transient failures of a single row are tried this often before it is logged as lost. */
    static final int MAX_ATTEMPTS = 5;

    /** A row to write (built when it is written), and who waits for it (null: nobody). */
    private record Pending(Supplier<UsageRecord> row, CompletableFuture<Void> written) {
        Pending(UsageRecord record, CompletableFuture<Void> written) {
            this(() -> record, written);
        }

        UsageRecord record() {
            return row.get();
        }
    }

    private final Consumer<List<UsageRecord>> sink;
    private final Consumer<List<UsageRecord>> mover;
    /** Ended rows saved in usage_running, to move to usage_records (the writer thread's own). */
    private final List<UsageRecord> toMove = new ArrayList<>();
    private long oldestToMove;
    private final AtomicLong unmoved = new AtomicLong();
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(50_000);
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final Thread writer;
    private final long firstPauseMillis;
    private volatile boolean running = true;

    private UsageWriter stale;

    @Autowired
    public JdbcUsageRecorder(JdbcTemplate jdbc, PlatformTransactionManager tx, SwitchboardProperties props,
                             org.springframework.scheduling.TaskScheduler timers,
                             @org.springframework.beans.factory.annotation.Value("${switchboard.usage.progress-interval:5s}") Duration interval) {
        this(new UsageWriter(jdbc, tx, props.prices()), 100);
        // At start-up at once (rows of a crash), then every interval (rows of another instance that died).
        timers.scheduleWithFixedDelay(() -> endStale(interval.multipliedBy(3)), Instant.now(), interval);
    }

    private JdbcUsageRecorder(UsageWriter writer, long firstPauseMillis) {
        this(writer::save, writer::move, firstPauseMillis);
        this.stale = writer;
    }

    /**
     * Ends, as interrupted, the running rows not saved for {@code silence}: their server is gone. Rows it saved with
     * their end but did not move to usage_records are moved as they ended.
     */
    void endStale(Duration silence) {
        if (!running) return;
        try {
            Instant now = Instant.now();
            List<UsageRecord> rows = stale.runningSince(now.minus(silence));
            for (UsageRecord r : rows) {
                enqueue(new Pending(r.running() ? r.ended("interrupted", LOST_WITH_SERVER, r.endedAt()) : r, null));
            }
            if (!rows.isEmpty()) log.warn("{} usage rows were left by a server that stopped: moved, those still running as interrupted", rows.size());
        } catch (RuntimeException e) {
            log.warn("Could not look for usage rows left running: {}", e.toString());
        }
    }

    /** For tests: any sink (the durable step; nothing to move), any first retry pause. */
    JdbcUsageRecorder(Consumer<List<UsageRecord>> sink, long firstPauseMillis) {
        this(sink, ended -> { }, firstPauseMillis);
    }

    private JdbcUsageRecorder(Consumer<List<UsageRecord>> sink, Consumer<List<UsageRecord>> mover, long firstPauseMillis) {
        this.sink = sink;
        this.mover = mover;
        this.firstPauseMillis = firstPauseMillis;
        this.writer = new Thread(this::drainLoop, "usage-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void running(Supplier<UsageRecord> r) {
        enqueue(new Pending(r, null));
    }

    @Override
    public CompletableFuture<Void> record(UsageRecord r) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        enqueue(new Pending(r, written));
        return written;
    }

    private void enqueue(Pending p) {
        pending.incrementAndGet();
        if (queue.offer(p)) return;
        log.warn("Usage queue full ({} rows waiting): the caller waits for the writer", queue.size());
        try {
            queue.put(p); // back-pressure rather than loss
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            write(List.of(p.record()), sink, true);
            if (p.written() != null) p.written().complete(null);
            pending.decrementAndGet();
        }
    }

    /** Waits (up to 30 s) until every row recorded so far is written or given up on. */
    public void flush() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((pending.get() > 0 || unmoved.get() > 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Rows that could not be written and were logged at ERROR instead. */
    public long lostRecords() {
        return lost.get();
    }

    @PreDestroy
    void shutdown() {
        flush();
        running = false;
        // Not interrupted: an interrupt inside a JDBC call can close H2's file channel. It stops within a second.
        try {
            writer.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Pending> rest = new ArrayList<>();
        queue.drainTo(rest);
        if (!rest.isEmpty()) writeAll(rest);
        moveAll();
    }

    /** The durable step; then the batch's ended rows wait (at most the linger) to be moved together. */
    private void writeAll(List<Pending> batch) {
        List<UsageRecord> rows = new ArrayList<>(batch.size());
        try {
            for (Pending p : batch) rows.add(p.record());
            write(rows, sink, true);
        } finally {
            for (Pending p : batch) if (p.written() != null) p.written().complete(null);
        }
        for (UsageRecord r : rows) {
            if (r.running()) continue;
            if (toMove.isEmpty()) oldestToMove = System.nanoTime();
            toMove.add(r);
            unmoved.incrementAndGet();
        }
    }

    /** Moves the ended rows to usage_records; rows it cannot move stay in usage_running for the sweeper. */
    private void moveAll() {
        if (toMove.isEmpty()) return;
        List<UsageRecord> batch = List.copyOf(toMove);
        toMove.clear();
        try {
            write(batch, mover, false);
        } finally {
            unmoved.addAndGet(-batch.size());
        }
    }

    private long untilMoveNanos() {
        if (toMove.isEmpty()) return TimeUnit.SECONDS.toNanos(1);
        if (toMove.size() >= BATCH) return 0;
        return Math.max(0, oldestToMove + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS) - System.nanoTime());
    }

    private void drainLoop() {
        List<Pending> batch = new ArrayList<>(BATCH);
        while (running) {
            try {
                Pending first = queue.poll(untilMoveNanos(), TimeUnit.NANOSECONDS);
                if (untilMoveNanos() == 0) moveAll();
                if (first == null) continue;
                batch.add(first);
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
                while (batch.size() < BATCH) {
                    queue.drainTo(batch, BATCH - batch.size());
                    // A stream's end waits for its row (its client's last events follow the commit): write at once,
                    // and what comes during the write is the next batch. Lingering even 10 ms released the ends in
                    // groups, and their clients' next requests came in bursts (see JdbcUsageRecorder in docs/performance.md).
                    if (batch.size() >= BATCH || !running || batch.stream().anyMatch(p -> p.written() != null)) break;
                    long left = until - System.nanoTime();
                    if (left <= 0) break;
                    Pending next = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) break;
                    batch.add(next);
                }
                writeAll(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                pending.addAndGet(-batch.size());
                batch.clear();
            }
        }
    }

    /**
     * Retries while the database is unreachable; isolates rows that fail for another reason. A row the durable step
     * cannot write is lost (logged in full); one the move cannot write stays in usage_running, moved by a later sweep.
     */
    private void write(List<UsageRecord> batch, Consumer<List<UsageRecord>> step, boolean durable) {
        long pause = firstPauseMillis;
        for (int attempt = 1; ; attempt++) {
            try {
                step.accept(batch);
                return;
            } catch (RuntimeException e) {
                boolean transientFailure = isTransient(e);
                if (!transientFailure && batch.size() > 1) {
                    // One bad row must not hold back the others: write them one by one.
                    for (UsageRecord r : batch) write(List.of(r), step, durable);
                    return;
                }
                if ((!transientFailure && attempt >= MAX_ATTEMPTS) || !running) {
                    if (!durable) {
                        log.warn("{} ended usage rows not moved after {} attempts: they stay in usage_running for the sweeper", batch.size(), attempt, e);
                        return;
                    }
                    lost.addAndGet(batch.size());
                    log.error("Usage rows NOT written after {} attempts, recorded here instead: {}", attempt, batch, e);
                    return;
                }
                log.warn("Writing {} usage rows failed (attempt {}), retrying in {} ms: {}", batch.size(), attempt, pause, e.toString());
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    running = false; // one last try above, then logged
                }
                pause = Math.min(pause * 2, 5_000);
            }
        }
    }

    private static boolean isTransient(Throwable e) {
        return e instanceof TransientDataAccessException || e instanceof RecoverableDataAccessException
                || e instanceof DataAccessResourceFailureException || e instanceof CannotCreateTransactionException;
    }
}
