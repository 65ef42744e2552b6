package dev.switchboard.chat.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class SseStreamTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ObjectMapper json = new ObjectMapper();

    @org.junit.jupiter.api.BeforeEach
    void warmUpJackson() {
        // A cold ObjectMapper can take longer than a flush interval; the timings below are about SseStream.
        assertThat(json.createObjectNode().put("content", "x").toString()).isNotEmpty();
    }

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void contentIsEscapedExactlyAsJacksonWritesTheSameEvent() throws Exception {
        String text = "quote \" backslash \\ slash / newline \n cr \r tab \t nul \u0000 bell \u0007 del \u007f "
                + "ünïcödé 😀 \u2028 </script>";
        Recording emitter = new Recording();
        SseStream out = new SseStream(emitter, timer, Duration.ZERO, () -> {});
        out.content(text);
        out.content("");
        out.content(text.substring(0, 7));
        assertThat(emitter.sent).containsExactly(
                "data: " + json.createObjectNode().put("content", text) + "\n\n",
                "data: " + json.createObjectNode().put("content", text.substring(0, 7)) + "\n\n");
    }

    @Test
    void theFirstDeltaIsWrittenAtOnceAndTheNextOnesAreJoinedUntilTheIntervalEnds() throws Exception {
        Recording emitter = new Recording();
        SseStream out = new SseStream(emitter, timer, Duration.ofSeconds(1), () -> {});

        out.content("Hel");
        assertThat(emitter.sent).containsExactly("data: {\"content\":\"Hel\"}\n\n");
        out.content("lo");
        out.content(", \"world\"");
        assertThat(emitter.sent).hasSize(1); // held back, not lost

        await().atMost(Duration.ofSeconds(5)).until(() -> emitter.sent.size() == 2);
        assertThat(emitter.sent.get(1)).isEqualTo("data: {\"content\":\"lo, \\\"world\\\"\"}\n\n");
    }

    @Test
    void anyOtherEventFlushesPendingContentFirstSoTheOrderHolds() throws Exception {
        Recording emitter = new Recording();
        SseStream out = new SseStream(emitter, timer, Duration.ofSeconds(10), () -> {});

        out.content("a");
        out.content("b");
        out.event(json.createObjectNode().put("usage", 1));
        out.content("c");
        out.done();

        assertThat(emitter.sent).containsExactly("data: {\"content\":\"a\"}\n\n", "data: {\"content\":\"b\"}\n\n",
                "data: {\"usage\":1}\n\n", "data: {\"content\":\"c\"}\n\n", "data: [DONE]\n\n");
        assertThat(emitter.completed).isTrue();
    }

    @Test
    void theUpstreamEventLeavesInOneWriteWithTheFirstContentOrWithWhateverComesNext() throws Exception {
        Recording emitter = new Recording();
        SseStream out = new SseStream(emitter, timer, Duration.ofSeconds(10), () -> {});
        out.eventWithNext(json.createObjectNode().put("upstream", "u"));
        assertThat(emitter.sent).isEmpty();
        out.content("Hi");
        assertThat(emitter.sent).containsExactly("data: {\"upstream\":\"u\"}\n\ndata: {\"content\":\"Hi\"}\n\n");

        Recording empty = new Recording();
        SseStream noContent = new SseStream(empty, timer, Duration.ofSeconds(10), () -> {});
        noContent.eventWithNext(json.createObjectNode().put("upstream", "u"));
        noContent.done();
        assertThat(empty.sent).containsExactly("data: {\"upstream\":\"u\"}\n\ndata: [DONE]\n\n");
    }

    @Test
    void onceTheReaderSignalsItCaughtUpEachBatchLeavesInOneWriteOnThatSignal() throws Exception {
        Recording emitter = new Recording();
        SseStream out = new SseStream(emitter, timer, Duration.ofSeconds(10), () -> {});
        out.content("a"); // the first content: at once
        out.caughtUp();
        out.content("b");
        out.content("c");
        assertThat(emitter.sent).hasSize(1); // held for the batch
        out.caughtUp();
        out.content("d");
        out.caughtUp();
        out.caughtUp(); // nothing pending: nothing written

        assertThat(emitter.sent).containsExactly("data: {\"content\":\"a\"}\n\n", "data: {\"content\":\"bc\"}\n\n",
                "data: {\"content\":\"d\"}\n\n");
    }

    @Test
    void contentHeldForABatchStillLeavesAfterTheIntervalIfTheUpstreamPausesBeforeCatchingUp() throws Exception {
        Recording emitter = new Recording();
        SseStream out = new SseStream(emitter, timer, Duration.ofMillis(200), () -> {});
        out.content("a");
        out.caughtUp();
        out.content("b"); // then the upstream goes quiet: no caughtUp comes while the reader waits for it

        await().atMost(Duration.ofSeconds(5)).until(() -> emitter.sent.size() == 2);
        assertThat(emitter.sent.get(1)).isEqualTo("data: {\"content\":\"b\"}\n\n");
    }

    @Test
    void aZeroIntervalWritesEveryDelta() throws Exception {
        Recording emitter = new Recording();
        SseStream out = new SseStream(emitter, timer, Duration.ZERO, () -> {});
        for (String t : List.of("a", "b", "c")) out.content(t);
        assertThat(emitter.sent).hasSize(3);
    }

    @Test
    void aTimedFlushToAClientThatLeftStopsTheGeneration() throws Exception {
        Recording emitter = new Recording();
        AtomicBoolean stopped = new AtomicBoolean();
        SseStream out = new SseStream(emitter, timer, Duration.ofSeconds(1), () -> stopped.set(true));
        out.content("a");
        emitter.gone = true;
        out.content("b"); // held back: the timer's flush finds the client gone
        await().atMost(Duration.ofSeconds(5)).untilTrue(stopped);
    }

    @Test
    void doneIsTheLastWriteAndTheResponseEndsRightAfterItEvenWhenThatWriteFails() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        boolean[] failLast = {false};
        SseStream.Sink sink = new SseStream.Sink() {
            @Override
            public void send(String event) {
                calls.add("send " + event);
            }

            @Override
            public void sendLast(String event) throws IOException {
                if (failLast[0]) throw new IOException("Broken pipe");
                calls.add("last " + event);
            }

            @Override
            public void complete() {
                calls.add("complete");
            }
        };
        SseStream out = new SseStream(sink, timer, Duration.ofSeconds(10), () -> {});
        out.content("a");
        out.content("b"); // pending: goes out before [DONE], in its own write
        out.done();
        assertThat(calls).containsExactly("send data: {\"content\":\"a\"}\n\n", "send data: {\"content\":\"b\"}\n\n",
                "last data: [DONE]\n\n", "complete");

        calls.clear();
        failLast[0] = true;
        SseStream failing = new SseStream(sink, timer, Duration.ofSeconds(10), () -> {});
        failing.eventWithNext(json.createObjectNode().put("upstream", "u")); // nothing else came: held until the end
        assertThatThrownBy(failing::done).isInstanceOf(IOException.class);
        assertThat(calls).containsExactly("complete");
    }

    /** Records what would go to the client. */
    private static final class Recording implements SseStream.Sink {
        final List<String> sent = new CopyOnWriteArrayList<>();
        volatile boolean completed;
        volatile boolean gone;

        @Override
        public void send(String event) throws java.io.IOException {
            if (gone) throw new java.io.IOException("Broken pipe");
            sent.add(event);
        }

        @Override
        public void complete() {
            completed = true;
        }
    }
}
