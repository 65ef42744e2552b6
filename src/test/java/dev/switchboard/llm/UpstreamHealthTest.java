package dev.switchboard.llm;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.switchboard.llm.UpstreamHealth.Permit.NORMAL;
import static dev.switchboard.llm.UpstreamHealth.Permit.REFUSED;
import static dev.switchboard.llm.UpstreamHealth.Permit.TRIAL;
import static org.assertj.core.api.Assertions.assertThat;

/** The cooldown rules alone, on a hand-moved clock. */
class UpstreamHealthTest {
    private final TestClock clock = new TestClock();
    private final UpstreamHealth health = new UpstreamHealth("primary", clock, Duration.ofSeconds(30));

    private static UpstreamException error(int status) {
        UpstreamException.Kind kind = status == 401 ? UpstreamException.Kind.AUTH : UpstreamException.Kind.SERVER;
        return new UpstreamException(kind, status, "HTTP " + status, null, null);
    }

    @Test
    void threeFailuresWithinAMinuteCoolDownButSpreadOutOnesDoNot() {
        health.failed(error(503), 5, NORMAL);
        clock.advance(Duration.ofSeconds(40));
        health.failed(error(503), 5, NORMAL);
        clock.advance(Duration.ofSeconds(40)); // the first is now out of the window
        health.failed(error(503), 5, NORMAL);
        assertThat(health.snapshot().state()).isEqualTo(UpstreamHealth.State.HEALTHY);
        health.failed(error(503), 5, NORMAL);
        assertThat(health.snapshot().state()).isEqualTo(UpstreamHealth.State.COOLING_DOWN);
        assertThat(health.tryAcquire()).isEqualTo(REFUSED);
        assertThat(health.usable()).isFalse();
    }

    @Test
    void aRejectedKeyCoolsDownAtOnceAndShowsAsSuch() {
        health.failed(error(401), 5, NORMAL);
        assertThat(health.snapshot().state()).isEqualTo(UpstreamHealth.State.KEY_REJECTED);
        assertThat(health.snapshot().recentFailures()).extracting(UpstreamHealth.Failure::reason).containsExactly("401");
    }

    @Test
    void afterTheCooldownOnlyOneTrialGoesThroughUntilItAnswers() {
        for (int i = 0; i < 3; i++) health.failed(error(503), 5, NORMAL);
        clock.advance(Duration.ofSeconds(31));
        assertThat(health.snapshot().state()).isEqualTo(UpstreamHealth.State.TRIAL);
        assertThat(health.tryAcquire()).isEqualTo(TRIAL);
        assertThat(health.tryAcquire()).isEqualTo(REFUSED);
        health.answered(12, TRIAL);
        assertThat(health.snapshot().state()).isEqualTo(UpstreamHealth.State.HEALTHY);
        assertThat(health.tryAcquire()).isEqualTo(NORMAL);
        assertThat(health.snapshot().lastLatencyMillis()).isEqualTo(12);
    }

    @Test
    void aCancelledTrialFreesTheSlot() {
        for (int i = 0; i < 3; i++) health.failed(error(503), 5, NORMAL);
        clock.advance(Duration.ofSeconds(31));
        assertThat(health.tryAcquire()).isEqualTo(TRIAL);
        health.released(TRIAL);
        assertThat(health.tryAcquire()).isEqualTo(TRIAL);
    }

    @Test
    void aSuccessClearsTheFailureCount() {
        health.failed(error(503), 5, NORMAL);
        health.failed(error(503), 5, NORMAL);
        health.answered(10, NORMAL);
        health.failed(error(503), 5, NORMAL);
        assertThat(health.snapshot().state()).isEqualTo(UpstreamHealth.State.HEALTHY);
        assertThat(health.snapshot().calls()).isEqualTo(4);
        assertThat(health.snapshot().failures()).isEqualTo(3);
    }
}
