package dev.switchboard.usage;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer queue: retries while the database is away, isolates a bad row, never loses one silently. */
class JdbcUsageRecorderTest {

    private static UsageRecord row(String user) {
        return UsageRecords.of(user, "gpt-5.5", "mock", 10, 20, "completed", 5L, Instant.now());
    }

    @Test
    void retriesAnUnavailableDatabaseUntilTheRowsAreWritten() {
        AtomicInteger calls = new AtomicInteger();
        List<UsageRecord> written = new CopyOnWriteArrayList<>();
        JdbcUsageRecorder recorder = new JdbcUsageRecorder(batch -> {
            if (calls.incrementAndGet() <= 3) throw new DataAccessResourceFailureException("database down");
            written.addAll(batch);
        }, 1);
        recorder.record(row("a"));
        recorder.record(row("b"));
        recorder.flush();
        assertThat(written).extracting(UsageRecord::username).containsExactlyInAnyOrder("a", "b");
        assertThat(calls.get()).isGreaterThanOrEqualTo(4);
        assertThat(recorder.lostRecords()).isZero();
        recorder.shutdown();
    }

    @Test
    void aBadRowDoesNotHoldBackTheOthersAndIsCountedAsLost() {
        List<UsageRecord> written = new CopyOnWriteArrayList<>();
        AtomicInteger badAttempts = new AtomicInteger();
        JdbcUsageRecorder recorder = new JdbcUsageRecorder(batch -> {
            if (batch.stream().anyMatch(r -> r.username().equals("bad"))) {
                if (batch.size() == 1) badAttempts.incrementAndGet();
                throw new DataIntegrityViolationException("value too long");
            }
            written.addAll(batch);
        }, 1);
        for (String u : List.of("a", "bad", "c")) recorder.record(row(u));
        recorder.flush();
        assertThat(written).extracting(UsageRecord::username).containsExactlyInAnyOrder("a", "c");
        assertThat(badAttempts.get()).isEqualTo(JdbcUsageRecorder.MAX_ATTEMPTS);
        assertThat(recorder.lostRecords()).isEqualTo(1);
        recorder.shutdown();
    }

    @Test
    void anEndThatIsWaitedForIsWrittenAtOnceAndWhatComesDuringTheWriteIsTheNextBatch() throws Exception {
        List<Integer> batches = new CopyOnWriteArrayList<>();
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JdbcUsageRecorder recorder = new JdbcUsageRecorder(batch -> {
            batches.add(batch.size());
            writing.countDown();
            try {
                release.await(10, TimeUnit.SECONDS); // a slow commit
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 1);
        UsageRecord started = row("starting");
        recorder.running(() -> started); // nobody waits for a start: it may linger
        CompletableFuture<Void> first = recorder.record(row("first"));
        assertThat(writing.await(5, TimeUnit.SECONDS)).as("written without waiting for more rows").isTrue();
        List<CompletableFuture<Void>> during = List.of(recorder.record(row("a")), recorder.record(row("b")));
        assertThat(first).isNotDone();
        release.countDown();
        CompletableFuture.allOf(during.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertThat(first).isDone();
        assertThat(batches).containsExactly(2, 2);
        recorder.shutdown();
    }

    @Test
    void shutdownWritesWhatIsStillQueued() {
        List<UsageRecord> written = new CopyOnWriteArrayList<>();
        JdbcUsageRecorder recorder = new JdbcUsageRecorder(written::addAll, 1);
        for (int i = 0; i < 2_000; i++) recorder.record(row("u" + i));
        recorder.shutdown();
        assertThat(written).hasSize(2_000);
    }

    @Test
    void rowsThatComeWithinTheLingerAreWrittenInOneBatch() throws InterruptedException {
        List<Integer> batches = new CopyOnWriteArrayList<>();
        JdbcUsageRecorder recorder = new JdbcUsageRecorder(batch -> batches.add(batch.size()), 1);
        for (int i = 0; i < 8; i++) { // one every 5 ms, like streams starting under load: 40 ms < LINGER_MILLIS
            UsageRecord started = row("u" + i);
            recorder.running(() -> started);
            Thread.sleep(5);
        }
        recorder.flush();
        assertThat(batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(8);
        assertThat(batches).hasSizeLessThanOrEqualTo(2);
        recorder.shutdown();
    }

    @Test
    void anEndIsToldWrittenOnlyOnceItsBatchIsWrittenAndSoon() throws Exception {
        List<Integer> batches = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
        JdbcUsageRecorder recorder = new JdbcUsageRecorder(batch -> {
            try {
                writing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            batches.add(batch.size());
        }, 1);
        var written = recorder.record(row("ended"));
        Thread.sleep(200);
        assertThat(written).as("not before the write").isNotDone();
        writing.countDown();
        written.get(2, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(batches).containsExactly(1);
        recorder.shutdown();
    }
}
