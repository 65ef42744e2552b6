package dev.switchboard.llm;

import dev.switchboard.llm.offline.Behavior;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** After the first token nothing is retried: a broken stream ends interrupted, its text kept exactly once. */
class BrokenStreamAfterFirstTokenTest extends FaultInjection {

    @Test
    void aConnectionDropAfterFiveTokensEndsInterruptedWithThoseFiveTokens() throws Exception {
        primary.setBehavior(Behavior.fast().withReplyTokens(20).withDropAfter(5));
        UpstreamRouter router = router();
        RecordingListener l = run(router);
        report("drop after 5 tokens", l);

        assertThat(l.events).containsExactly("started:primary", "interrupted");
        assertThat(l.text.toString()).isEqualTo(tokens(5));
        assertThat(l.error.kind()).isEqualTo(UpstreamException.Kind.BROKEN_STREAM);
        assertThat(l.attempts).containsExactly("primary:interrupted: connection dropped");
        assertThat(backup.calls()).as("no silent continuation elsewhere").isZero();
        assertThat(health(router, "primary").failures()).isEqualTo(1);
    }

    @Test
    void aStallMidStreamEndsInterruptedAfterTheStallTimeout() throws Exception {
        primary.setBehavior(Behavior.fast().withReplyTokens(20).withStallAfter(5));
        RecordingListener l = run(router());
        report("stall after 5 tokens", l);

        assertThat(l.events).containsExactly("started:primary", "interrupted");
        assertThat(l.text.toString()).isEqualTo(tokens(5));
        assertThat(l.error.getMessage()).isEqualTo("no chunk within the stall timeout");
        assertThat(l.endMillis() - l.firstTokenMillis()).isBetween(STALL.toMillis() - 20, SLOW_MS);
        assertThat(backup.calls()).isZero();
    }

    @Test
    void aMalformedChunkMidStreamEndsInterrupted() throws Exception {
        primary.setBehavior(Behavior.fast().withReplyTokens(20).withMalformedAfter(5));
        RecordingListener l = run(router());
        report("malformed chunk after 5 tokens", l);

        assertThat(l.events).containsExactly("started:primary", "interrupted");
        assertThat(l.text.toString()).isEqualTo(tokens(5));
        assertThat(l.error.getMessage()).isEqualTo("malformed chunk");
        assertThat(backup.calls()).isZero();
    }

    @Test
    void aStopMidStreamSilencesTheRestAndClosesTheUpstreamStream() throws Exception {
        primary.setBehavior(Behavior.fast().withReplyTokens(400).withTokensPerSecond(40)); // 10 s if not stopped
        RecordingListener l = new RecordingListener();
        Route route = router().route(hello(), l);
        await().until(() -> l.text.length() > 0);
        route.cancel();
        int kept = l.text.length();
        Thread.sleep(300);

        assertThat(l.text.length()).as("no text after the stop").isEqualTo(kept);
        assertThat(l.ended()).as("the caller records the stop itself").isFalse();
        assertThat(l.attempts).containsExactly("primary:ok");
        // Closed now, not when the upstream would have finished (the SDK's close() alone left it open to the end).
        await().atMost(Duration.ofSeconds(2)).until(() -> primary.openStreams() == 0);
    }

    @Test
    void aStopBeforeTheFirstTokenRecordsACancelledAttemptAndNothingElse() throws Exception {
        primary.setBehavior(Behavior.fast().withFirstTokenDelay(Duration.ofMillis(200)));
        RecordingListener l = new RecordingListener();
        Route route = router().route(hello(), l);
        await().until(() -> primary.calls() == 1);
        route.cancel();
        Thread.sleep(500); // past the primary's first token and the watchdog

        assertThat(l.events).isEmpty();
        assertThat(l.text.toString()).isEmpty();
        assertThat(l.attempts).containsExactly("primary:cancelled");
        assertThat(backup.calls()).isZero();
    }
}
