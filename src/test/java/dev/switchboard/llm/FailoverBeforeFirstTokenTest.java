package dev.switchboard.llm;

import dev.switchboard.llm.offline.Behavior;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Faults before the first content token: the backup answers, or, for the caller's own faults, a clear error. */
class FailoverBeforeFirstTokenTest extends FaultInjection {

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {500, 502, 503, 504, 408, 409, 404})
    void anUpstreamStatusFailsOverToTheBackup(int status) throws Exception {
        primary.setBehavior(Behavior.failing(status));
        UpstreamRouter router = router();
        RecordingListener l = run(router);
        report(Integer.toString(status), l);

        assertThat(l.events).containsExactly("failover:primary->backup:" + status, "started:backup", "completed");
        assertThat(l.text.toString()).isEqualTo(tokens(20));
        assertThat(l.attempts).containsExactly("primary:" + status, "backup:ok");
        assertThat(primary.calls()).isEqualTo(1);
        assertThat(backup.calls()).isEqualTo(1);
        assertThat(l.firstTokenMillis()).isLessThan(SLOW_MS);
        assertThat(health(router, "primary").state()).as("one failure: no cooldown yet").isEqualTo(UpstreamHealth.State.HEALTHY);
        assertThat(health(router, "primary").recentFailures()).hasSize(1);
    }

    @Test
    void a429WithoutRetryAfterFailsOverAtOnce() throws Exception {
        primary.setBehavior(Behavior.failing(429));
        RecordingListener l = run(router());
        report("429 no Retry-After", l);

        assertThat(l.events).containsExactly("failover:primary->backup:429", "started:backup", "completed");
        assertThat(primary.calls()).isEqualTo(1);
        assertThat(backup.calls()).isEqualTo(1);
    }

    @Test
    void a429WithAShortRetryAfterWaitsOnceAndRetriesTheSameUpstream() throws Exception {
        primary.enqueue(Behavior.failing(429).withStatus(429, Duration.ofMillis(400)));
        RecordingListener l = run(router());
        report("429 Retry-After 0.4s", l);

        assertThat(l.events).containsExactly("started:primary", "completed");
        assertThat(l.attempts).containsExactly("primary:429", "primary:ok");
        assertThat(primary.calls()).isEqualTo(2);
        assertThat(backup.calls()).isZero();
        assertThat(l.firstTokenMillis()).isBetween(400L, SLOW_MS);
    }

    @Test
    void a429RetriedOnceThenStill429MovesToTheBackup() throws Exception {
        primary.setBehavior(Behavior.failing(429).withStatus(429, Duration.ofMillis(200)));
        RecordingListener l = run(router());
        report("429 Retry-After 0.2s twice", l);

        assertThat(l.events).containsExactly("failover:primary->backup:429", "started:backup", "completed");
        assertThat(primary.calls()).isEqualTo(2);
        assertThat(backup.calls()).isEqualTo(1);
    }

    @Test
    void a429WithARetryAfterLongerThanMaxRetryWaitFailsOver() throws Exception {
        primary.setBehavior(Behavior.failing(429).withStatus(429, Duration.ofSeconds(5)));
        RecordingListener l = run(router());
        report("429 Retry-After 5s", l);

        assertThat(l.events).containsExactly("failover:primary->backup:429", "started:backup", "completed");
        assertThat(primary.calls()).isEqualTo(1);
        assertThat(l.firstTokenMillis()).isLessThan(SLOW_MS);
    }

    @Test
    void a401MarksTheKeyRejectedAtOnceAndLaterRequestsSkipThatUpstream() throws Exception {
        UpstreamRouter router = router(mocks.badKey("primary", primary), mocks.upstream("backup", backup, STALL));
        RecordingListener l = run(router);
        report("401", l);

        assertThat(l.events).containsExactly("failover:primary->backup:401 (key rejected)", "started:backup", "completed");
        assertThat(health(router, "primary").state()).isEqualTo(UpstreamHealth.State.KEY_REJECTED);
        assertThat(health(router, "primary").coolingUntil()).isEqualTo(clock.instant().plus(COOLDOWN));

        RecordingListener next = run(router);
        assertThat(next.events).as("skipped, no failover").containsExactly("started:backup", "completed");
        assertThat(backup.calls()).isEqualTo(2);
    }

    @Test
    void a403IsAKeyRejectionToo() throws Exception {
        primary.setBehavior(Behavior.failing(403));
        UpstreamRouter router = router();
        RecordingListener l = run(router);
        report("403", l);

        assertThat(l.events).containsExactly("failover:primary->backup:403 (key rejected)", "started:backup", "completed");
        assertThat(health(router, "primary").state()).isEqualTo(UpstreamHealth.State.KEY_REJECTED);
    }

    @Test
    void connectionRefusedFailsOver() throws Exception {
        RecordingListener l = run(router(mocks.refused("primary"), mocks.upstream("backup", backup, STALL)));
        report("connection refused", l);

        assertThat(l.events).containsExactly("failover:primary->backup:connection failed", "started:backup", "completed");
        assertThat(backup.calls()).isEqualTo(1);
        assertThat(l.firstTokenMillis()).isLessThan(SLOW_MS);
    }

    @Test
    void aHangBeforeTheFirstTokenFailsOverAfterTheFirstTokenTimeoutAndItsLateTokensAreIgnored() throws Exception {
        primary.setBehavior(Behavior.fast().withReplyTokens(20).withFirstTokenDelay(Duration.ofMillis(800)));
        RecordingListener l = run(router());
        report("hang before first token", l);

        assertThat(l.events).containsExactly("failover:primary->backup:no first token within 300 ms", "started:backup", "completed");
        assertThat(l.failoverMillis()).isBetween(FIRST_TOKEN.toMillis() - 20, SLOW_MS);
        Thread.sleep(800); // the primary would speak now: nothing of it may reach the listener
        assertThat(l.text.toString()).isEqualTo(tokens(20));
        assertThat(l.events).hasSize(3);
        assertThat(primary.calls()).isEqualTo(1);
    }

    @Test
    void whenEveryUpstreamHangsTheErrorComesWithinFirstTokenTimeoutTimesChainLength() throws Exception {
        primary.setBehavior(Behavior.fast().withFirstTokenDelay(Duration.ofSeconds(5)));
        backup.setBehavior(Behavior.fast().withFirstTokenDelay(Duration.ofSeconds(5)));
        RecordingListener l = run(router());
        report("both hang", l);

        assertThat(l.afterFirstToken).isFalse();
        // The last one gets what is left of the 2 × 300 ms: 300 ms less the failover's own few milliseconds.
        assertThat(l.error.getMessage()).matches("No upstream answered: primary: no first token within 300 ms; "
                + "backup: no first token within (2\\d\\d|300) ms\\.");
        assertThat(l.endMillis()).isBetween(2 * FIRST_TOKEN.toMillis() - 40, SLOW_MS);
    }

    @Test
    void whenTheLastUpstreamFailsOneErrorNamesWhatEachDid() throws Exception {
        primary.setBehavior(Behavior.failing(503));
        backup.setBehavior(Behavior.failing(502));
        RecordingListener l = run(router());
        report("503 then 502", l);

        assertThat(l.events).containsExactly("failover:primary->backup:503", "failed");
        assertThat(l.error).isInstanceOf(AllUpstreamsFailedException.class);
        assertThat(l.error.getMessage()).isEqualTo("No upstream answered: primary: 503; backup: 502.");
        assertThat(l.attempts).containsExactly("primary:503", "backup:502");
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {400, 422})
    void theCallersOwnFaultIsNotFailedOverButReportedClearly(int status) throws Exception {
        primary.setBehavior(Behavior.failing(status));
        UpstreamRouter router = router();
        RecordingListener l = run(router);
        report(Integer.toString(status), l);

        assertThat(l.events).containsExactly("failed");
        assertThat(l.afterFirstToken).isFalse();
        assertThat(l.error.kind()).isEqualTo(UpstreamException.Kind.BAD_REQUEST);
        // Ours, with the upstream's name and status; what it said (echoing the key) only for the operator, masked.
        assertThat(l.error.getMessage()).isEqualTo("The upstream rejected the request (primary: " + status + ").");
        assertThat(l.error.detail()).startsWith("simulated upstream error " + status + " (request had Bearer ***");
        assertThat(backup.calls()).isZero();
        assertThat(health(router, "primary").failures()).as("not the upstream's fault").isZero();
    }

    @Test
    void contextLengthExceededSaysTheConversationIsTooLong() throws Exception {
        primary.setBehavior(Behavior.fast().withContextWindow(5));
        RecordingListener l = run(router());
        report("context length exceeded", l);

        assertThat(l.events).containsExactly("failed");
        assertThat(l.error.kind()).isEqualTo(UpstreamException.Kind.CONTEXT_TOO_LONG);
        assertThat(l.error.getMessage()).isEqualTo("The conversation is too long for this model: shorten it or start a new conversation.");
        assertThat(l.attempts).containsExactly("primary:400 (context length exceeded)");
        assertThat(backup.calls()).isZero();
    }

    @Test
    void aMalformedChunkBeforeAnyContentFailsOver() throws Exception {
        primary.setBehavior(Behavior.fast().withMalformedAfter(0));
        RecordingListener l = run(router());
        report("malformed first chunk", l);

        assertThat(l.events).containsExactly("failover:primary->backup:malformed chunk", "started:backup", "completed");
        assertThat(l.text.toString()).isEqualTo(tokens(20));
    }

    @Test
    void aMissingUsageChunkStillCompletes() throws Exception {
        primary.setBehavior(Behavior.fast().withReplyTokens(20).withUsage(false));
        RecordingListener l = run(router());
        report("missing usage chunk", l);

        assertThat(l.events).containsExactly("started:primary", "completed");
        assertThat(l.text.toString()).isEqualTo(tokens(20));
        assertThat(l.usage).as("the Generation estimates it").isNull();
        assertThat(List.of(primary.calls(), backup.calls())).containsExactly(1, 0);
    }
}
