package dev.switchboard.chat;

import dev.switchboard.llm.StreamEvent;
import dev.switchboard.llm.TokenUsage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CoalescerTest {
    private final ThreadPoolTaskScheduler timer = new ThreadPoolTaskScheduler();
    private final List<List<StreamEvent>> batches = new CopyOnWriteArrayList<>();
    private final Coalescer coalescer;

    CoalescerTest() {
        timer.initialize();
        coalescer = new Coalescer(timer, batches::add);
    }

    @AfterEach
    void stopTimer() {
        timer.shutdown();
    }

    private static StreamEvent.Delta d(String text) {
        return new StreamEvent.Delta(text);
    }

    @Test
    void theFirstDeltaGoesAtOnceAndTheNextOnesAreJoinedUntilTheIntervalEnds() {
        coalescer.accept(d("Hel"));
        assertThat(batches).containsExactly(List.of(d("Hel")));
        coalescer.accept(d("lo"));
        coalescer.accept(d(", world"));
        assertThat(batches).hasSize(1); // held back, not lost

        await().atMost(Duration.ofSeconds(5)).until(() -> batches.size() == 2);
        assertThat(batches.get(1)).containsExactly(d("lo, world"));
    }

    @Test
    void anyOtherEventSendsPendingContentFirstSoTheOrderHolds() {
        StreamEvent.Usage usage = new StreamEvent.Usage(new TokenUsage(1, 2, false));
        coalescer.accept(d("a"));
        coalescer.accept(d("b"));
        coalescer.accept(usage);
        coalescer.accept(d("c"));
        coalescer.accept(StreamEvent.Finished.COMPLETED);

        assertThat(batches).containsExactly(List.of(d("a")), List.of(d("b"), usage), List.of(d("c"), StreamEvent.Finished.COMPLETED));
    }

    @Test
    void startedLeavesWithTheFirstContentOrWithWhateverComesNext() {
        StreamEvent.Started started = new StreamEvent.Started("u", "m", false);
        coalescer.accept(started);
        assertThat(batches).isEmpty();
        coalescer.accept(d("Hi"));
        assertThat(batches).containsExactly(List.of(started, d("Hi")));

        List<List<StreamEvent>> other = new CopyOnWriteArrayList<>();
        Coalescer empty = new Coalescer(timer, other::add);
        empty.accept(started);
        empty.accept(StreamEvent.Finished.COMPLETED);
        assertThat(other).containsExactly(List.of(started, StreamEvent.Finished.COMPLETED));
    }

    @Test
    void attemptsAreNotForEdgesAndNothingGoesOutAfterClose() throws Exception {
        coalescer.accept(new StreamEvent.Attempt("u", "ok", 3));
        coalescer.accept(d("a"));
        coalescer.accept(d("b"));
        coalescer.close();
        coalescer.accept(d("c"));
        Thread.sleep(Coalescer.INTERVAL.toMillis() * 3);
        assertThat(batches).containsExactly(List.of(d("a")));
    }
}
