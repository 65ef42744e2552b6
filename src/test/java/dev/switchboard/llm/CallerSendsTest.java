package dev.switchboard.llm;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The starting thread sends on its own: after the start has returned, in order, and only so many threads at once. */
class CallerSendsTest {

    @Test
    void aSendOfferedWhileStartingRunsOnTheSameThreadOnceTheStartHasReturned() {
        List<String> steps = new CopyOnWriteArrayList<>();
        Thread caller = Thread.currentThread();
        CallerSends.run(() -> {
            assertThat(CallerSends.offer(() -> {
                steps.add("send on " + (Thread.currentThread() == caller ? "caller" : "other"));
                // A failover offered by a failed send runs next, still here.
                assertThat(CallerSends.offer(() -> steps.add("failover send"))).isTrue();
                steps.add("send over");
            })).isTrue();
            steps.add("start returns");
        });

        assertThat(steps).containsExactly("start returns", "send on caller", "send over", "failover send");
    }

    @Test
    void outsideRunNothingIsTakenAndTheCallerHandsTheSendOff() {
        AtomicBoolean ran = new AtomicBoolean();
        assertThat(CallerSends.offer(() -> ran.set(true))).isFalse();
        assertThat(ran).isFalse();
    }

    @Test
    void onlySoManyThreadsSendOnTheirOwnAtOnce() throws Exception {
        CountDownLatch sending = new CountDownLatch(CallerSends.MAX_SENDING);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> holders = new CopyOnWriteArrayList<>();
        for (int i = 0; i < CallerSends.MAX_SENDING; i++) {
            Thread t = new Thread(() -> CallerSends.run(() -> CallerSends.offer(() -> {
                sending.countDown();
                await(release); // a slow upstream: the request thread waits for the first chunk
            })));
            holders.add(t);
            t.start();
        }
        try {
            assertThat(sending.await(10, TimeUnit.SECONDS)).isTrue();
            AtomicBoolean taken = new AtomicBoolean(true);
            Thread late = new Thread(() -> CallerSends.run(() -> taken.set(CallerSends.offer(() -> { }))));
            late.start();
            late.join();
            assertThat(taken).as("a send beyond the limit is handed off").isFalse();
        } finally {
            release.countDown();
            for (Thread t : holders) t.join();
        }

        AtomicBoolean again = new AtomicBoolean();
        CallerSends.run(() -> again.set(CallerSends.offer(() -> { })));
        assertThat(again).as("the permits came back").isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
