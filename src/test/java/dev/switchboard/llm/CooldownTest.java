package dev.switchboard.llm;

import dev.switchboard.llm.offline.Behavior;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Three failures within a minute cool an upstream down; then it gets one trial; all cooling → the soonest. */
class CooldownTest extends FaultInjection {

    @Test
    void threeFailuresCoolThePrimaryDownThenItGetsOneTrial() throws Exception {
        primary.setBehavior(Behavior.failing(503));
        UpstreamRouter router = router();
        for (int i = 0; i < 3; i++) assertThat(run(router).upstream).isEqualTo("backup");
        assertThat(health(router, "primary").state()).isEqualTo(UpstreamHealth.State.COOLING_DOWN);
        assertThat(health(router, "primary").coolingUntil()).isEqualTo(clock.instant().plus(COOLDOWN));

        RecordingListener skipped = run(router);
        assertThat(skipped.events).as("cooling down: skipped, no failover").containsExactly("started:backup", "completed");
        assertThat(primary.calls()).isEqualTo(3);

        clock.advance(COOLDOWN.plusSeconds(1));
        assertThat(health(router, "primary").state()).isEqualTo(UpstreamHealth.State.TRIAL);
        primary.setBehavior(Behavior.fast().withReplyTokens(20));
        RecordingListener trial = run(router);
        assertThat(trial.events).containsExactly("started:primary", "completed");
        assertThat(primary.calls()).isEqualTo(4);
        assertThat(health(router, "primary").state()).isEqualTo(UpstreamHealth.State.HEALTHY);
    }

    @Test
    void aFailedTrialCoolsDownAgainAtOnce() throws Exception {
        primary.setBehavior(Behavior.failing(503));
        UpstreamRouter router = router();
        for (int i = 0; i < 3; i++) run(router);
        clock.advance(COOLDOWN.plusSeconds(1));

        RecordingListener trial = run(router);
        assertThat(trial.events).containsExactly("failover:primary->backup:503", "started:backup", "completed");
        assertThat(health(router, "primary").state()).isEqualTo(UpstreamHealth.State.COOLING_DOWN);
        run(router);
        assertThat(primary.calls()).isEqualTo(4);
    }

    @Test
    void aRetryAfterLongerThanTheCooldownStretchesIt() throws Exception {
        primary.setBehavior(Behavior.failing(503).withStatus(503, Duration.ofSeconds(120)));
        UpstreamRouter router = router();
        for (int i = 0; i < 3; i++) run(router);
        assertThat(health(router, "primary").coolingUntil()).isEqualTo(clock.instant().plusSeconds(120));
        clock.advance(COOLDOWN.plusSeconds(1));
        run(router);
        assertThat(primary.calls()).as("still cooling after the plain cooldown").isEqualTo(3);
    }

    @Test
    void whenEveryUpstreamIsCoolingDownTheOneEndingFirstIsTriedRatherThanFailingUntried() throws Exception {
        primary.setBehavior(Behavior.failing(503).withStatus(503, Duration.ofSeconds(90)));
        backup.setBehavior(Behavior.failing(503));
        UpstreamRouter router = router();
        for (int i = 0; i < 3; i++) run(router);
        assertThat(router.anyUsable()).isFalse();
        primary.resetCalls();
        backup.resetCalls();

        backup.setBehavior(Behavior.fast().withReplyTokens(20));
        RecordingListener l = run(router);
        report("all cooling down", l);
        assertThat(l.events).containsExactly("started:backup", "completed");
        assertThat(primary.calls()).isZero();

        backup.setBehavior(Behavior.failing(503));
        for (int i = 0; i < 3; i++) run(router);
        backup.resetCalls();
        RecordingListener failed = run(router);
        assertThat(backup.calls()).as("only the soonest is tried").isEqualTo(1);
        assertThat(failed.error.getMessage()).startsWith("No upstream answered: backup: 503; primary: cooling down until ");
    }

    @Test
    void hundredConcurrentChatsWithAFailingPrimaryAllCompleteFromTheBackup() throws Exception {
        UpstreamRouter router = router();
        run(router); // warm the clients up: the first call of a JVM is slow
        primary.resetCalls();
        backup.resetCalls();
        primary.setBehavior(Behavior.failing(503));
        backup.setBehavior(Behavior.fast().withReplyTokens(60).withTokensPerSecond(20)); // 3 s each: they overlap

        List<RecordingListener> chats = new ArrayList<>();
        AtomicInteger peak = new AtomicInteger();
        long t0 = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            RecordingListener l = new RecordingListener();
            chats.add(l);
            router.route(hello(), l);
            peak.accumulateAndGet(backup.openStreams(), Math::max);
            Thread.sleep(20); // 100 arrivals over ~2 s, a 503 takes a few ms: 3 fail before the 4th arrives
        }
        for (RecordingListener l : chats) l.await();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        long maxTtft = chats.stream().mapToLong(RecordingListener::firstTokenMillis).max().orElseThrow();
        System.out.printf("fault=100 concurrent, primary 503 calls primary=%d backup=%d ttft_after_failover_ms=%d"
                + " (max; peak backup streams=%d, all done in %d ms)%n", primary.calls(), backup.calls(), maxTtft, peak.get(), ms);

        assertThat(chats).allSatisfy(l -> {
            assertThat(l.upstream).isEqualTo("backup");
            assertThat(l.events).last().isEqualTo("completed");
            assertThat(l.text.toString()).isEqualTo(tokens(60));
        });
        assertThat(primary.calls()).as("a handful, then the cooldown").isBetween(3, 5);
        assertThat(backup.calls()).isEqualTo(100);
        assertThat(peak.get()).as("the chats really overlap").isGreaterThan(30);

        // After the cooldown: a burst of 20 at once gives the primary exactly one trial.
        clock.advance(COOLDOWN.plusSeconds(1));
        primary.resetCalls();
        backup.setBehavior(Behavior.fast().withReplyTokens(5));
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        List<RecordingListener> burst = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            RecordingListener l = new RecordingListener();
            burst.add(l);
            pool.submit(() -> {
                go.await();
                return router.route(hello(), l);
            });
        }
        go.countDown();
        for (RecordingListener l : burst) l.await();
        pool.shutdown();
        assertThat(burst).allSatisfy(l -> assertThat(l.upstream).isEqualTo("backup"));
        assertThat(primary.calls()).as("one trial").isEqualTo(1);
    }
}
