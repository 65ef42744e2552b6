package dev.switchboard.usage;

import dev.switchboard.config.SwitchboardProperties;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes usage rows on one writer thread, in batches, so a stream never waits for the database. A failed write is
 * retried with a growing pause and never dropped silently; on shutdown the queue is flushed.
 */
@Component
public class JdbcUsageRecorder implements UsageRecorder {
    private static final Logger log = LoggerFactory.getLogger(JdbcUsageRecorder.class);
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private final JdbcClient jdbc;
    private final SwitchboardProperties props;
    private final BlockingQueue<UsageRecord> queue = new ArrayBlockingQueue<>(50_000);
    private final Thread writer;
    private volatile boolean running = true;

    public JdbcUsageRecorder(JdbcClient jdbc, SwitchboardProperties props) {
        this.jdbc = jdbc;
        this.props = props;
        this.writer = new Thread(this::drainLoop, "usage-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void record(UsageRecord r) {
        try {
            // Blocks only if 50,000 rows are waiting: back-pressure rather than loss.
            queue.put(r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writeWithRetry(List.of(r));
        }
    }

    /** Cost at the configured price, or null when the model has none (shown as "—", never 0). */
    public BigDecimal cost(String model, long prompt, long completion) {
        SwitchboardProperties.Price p = model == null ? null : props.prices().get(model);
        if (p == null || p.inputPerMillion() == null || p.outputPerMillion() == null) return null;
        return p.inputPerMillion().multiply(BigDecimal.valueOf(prompt))
                .add(p.outputPerMillion().multiply(BigDecimal.valueOf(completion)))
                .divide(MILLION, MathContext.DECIMAL64);
    }

    /** Waits until everything queued so far is written (tests, shutdown). */
    public void flush() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((!queue.isEmpty() || busy) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private volatile boolean busy;

    @PreDestroy
    void shutdown() {
        flush();
        running = false;
        writer.interrupt();
    }

    private void drainLoop() {
        List<UsageRecord> batch = new ArrayList<>();
        while (running) {
            try {
                UsageRecord first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) continue;
                busy = true;
                batch.add(first);
                queue.drainTo(batch, 499);
                writeWithRetry(batch);
            } catch (InterruptedException e) {
                if (!running) break;
            } finally {
                batch.clear();
                busy = false;
            }
        }
    }

    private void writeWithRetry(List<UsageRecord> batch) {
        long pause = 100;
        for (int attempt = 1; ; attempt++) {
            try {
                write(batch);
                return;
            } catch (RuntimeException e) {
                log.warn("Writing {} usage rows failed (attempt {}), retrying: {}", batch.size(), attempt, e.toString());
                if (attempt >= 20) {
                    log.error("Giving up on {} usage rows after {} attempts: {}", batch.size(), attempt, batch);
                    return;
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                pause = Math.min(pause * 2, 5_000);
            }
        }
    }

    private void write(List<UsageRecord> batch) {
        for (UsageRecord r : batch) {
            String priced = r.servedModel() != null && props.prices().containsKey(r.servedModel()) ? r.servedModel() : r.requestedModel();
            jdbc.sql("""
                    MERGE INTO usage_records (generation_id, username, conversation_id, requested_model, served_model, upstream,
                        prompt_tokens, completion_tokens, total_tokens, estimated, cost_usd, status, failovers, error,
                        ttft_ms, duration_ms, started_at, ended_at)
                    KEY (generation_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(r.generationId(), r.username(), r.conversationId(), r.requestedModel(), r.servedModel(), r.upstream(),
                            r.promptTokens(), r.completionTokens(), r.promptTokens() + r.completionTokens(), r.estimated(),
                            cost(priced, r.promptTokens(), r.completionTokens()), r.status(), r.failovers(),
                            r.error() == null ? null : truncate(r.error(), 500), r.ttftMillis(), r.durationMillis(),
                            Timestamp.from(r.startedAt()), Timestamp.from(r.endedAt()))
                    .update();
            jdbc.sql("DELETE FROM upstream_attempts WHERE generation_id = ?").param(r.generationId()).update();
            for (UsageRecord.Attempt a : r.attempts()) {
                jdbc.sql("INSERT INTO upstream_attempts (generation_id, upstream, outcome, latency_ms, at) VALUES (?, ?, ?, ?, ?)")
                        .params(r.generationId(), a.upstream(), truncate(a.outcome(), 200), a.latencyMillis(), Timestamp.from(a.at()))
                        .update();
            }
        }
    }

    private static String truncate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n);
    }
}
