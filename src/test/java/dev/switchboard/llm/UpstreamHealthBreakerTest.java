package dev.switchboard.llm;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.switchboard.llm.UpstreamHealth.Permit.NORMAL;
import static dev.switchboard.llm.UpstreamHealth.Permit.REFUSED;
import static dev.switchboard.llm.UpstreamHealth.Permit.TRIAL;
import static dev.switchboard.llm.UpstreamHealth.State.COOLING_DOWN;
import static dev.switchboard.llm.UpstreamHealth.State.HEALTHY;
import static dev.switchboard.llm.UpstreamHealth.State.KEY_REJECTED;
import static org.assertj.core.api.Assertions.assertThat;

/** The resilience4j breaker under UpstreamHealth, driven by a hand-moved clock: open, wait, one trial, reopen. */
class UpstreamHealthBreakerTest {
    private static final Duration COOLDOWN = Duration.ofSeconds(30);
    private final TestClock clock = new TestClock();
    private final UpstreamHealth health = new UpstreamHealth("primary", clock, COOLDOWN);

    private static UpstreamException error(int status, Duration retryAfter) {
        UpstreamException.Kind kind = status == 401 ? UpstreamException.Kind.AUTH : UpstreamException.Kind.SERVER;
        return new UpstreamException(kind, status, "HTTP " + status, retryAfter, null);
    }

    private static UpstreamException error(int status) { return error(status, null); }

    private void failThrice(Duration retryAfter) {
        for (int i = 0; i < 3; i++) health.failed(error(503, retryAfter), 5, NORMAL);
    }

    private Instant in(Duration d) { return clock.instant().plus(d); }

    @Test
    void theWindowIsSixtySecondsOnTheTestClock() {
        health.failed(error(503), 5, NORMAL);
        clock.advance(Duration.ofSeconds(59));
        health.failed(error(503), 5, NORMAL);
        health.failed(error(503), 5, NORMAL);
        assertThat(health.snapshot().state()).as("the first is still inside the window").isEqualTo(COOLING_DOWN);
        assertThat(health.snapshot().coolingUntil()).isEqualTo(in(COOLDOWN));
        assertThat(health.availableAt()).isEqualTo(in(COOLDOWN));
    }

    @Test
    void threeFailuresAfterAnAnswerOpenItEvenWithThatAnswerInTheWindow() {
        health.failed(error(503), 5, NORMAL);
        health.answered(10, NORMAL);
        health.failed(error(503), 5, NORMAL);
        health.failed(error(503), 5, NORMAL);
        assertThat(health.snapshot().state()).isEqualTo(HEALTHY);
        health.failed(error(503), 5, NORMAL);
        assertThat(health.snapshot().state()).isEqualTo(COOLING_DOWN);
    }

    @Test
    void theCooldownEndsStrictlyAfterItsInstantAndThenOnlyOneTrialGoes() {
        failThrice(null);
        clock.advance(COOLDOWN);
        assertThat(health.tryAcquire()).as("at the very instant it still cools").isEqualTo(REFUSED);
        assertThat(health.usable()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(health.usable()).isTrue();
        assertThat(health.tryAcquire()).isEqualTo(TRIAL);
        assertThat(health.tryAcquire()).isEqualTo(REFUSED);
        assertThat(health.usable()).as("a trial is due or running: not cooling").isTrue();
    }

    @Test
    void aFailedTrialReopensAtOnceForAFreshCooldown() {
        failThrice(null);
        clock.advance(COOLDOWN.plusSeconds(1));
        assertThat(health.tryAcquire()).isEqualTo(TRIAL);
        health.failed(error(502), 5, TRIAL);
        assertThat(health.snapshot().state()).isEqualTo(COOLING_DOWN);
        assertThat(health.snapshot().coolingUntil()).isEqualTo(in(COOLDOWN));
        assertThat(health.tryAcquire()).isEqualTo(REFUSED);
        clock.advance(COOLDOWN.plusSeconds(1));
        assertThat(health.tryAcquire()).isEqualTo(TRIAL);
        health.answered(7, TRIAL);
        assertThat(health.snapshot().state()).isEqualTo(HEALTHY);
        assertThat(health.snapshot().coolingUntil()).isNull();
        assertThat(health.availableAt()).isEqualTo(Instant.MIN);
    }

    @Test
    void aRetryAfterLongerThanTheCooldownStretchesTheWaitAndAShorterOneDoesNot() {
        failThrice(Duration.ofSeconds(120));
        assertThat(health.snapshot().coolingUntil()).isEqualTo(in(Duration.ofSeconds(120)));
        clock.advance(COOLDOWN.plusSeconds(1));
        assertThat(health.tryAcquire()).as("still cooling after the plain cooldown").isEqualTo(REFUSED);
        clock.advance(Duration.ofSeconds(90));
        assertThat(health.tryAcquire()).isEqualTo(TRIAL);

        health.failed(error(503, Duration.ofSeconds(10)), 5, TRIAL);
        assertThat(health.snapshot().coolingUntil()).as("the cooldown when Retry-After is shorter").isEqualTo(in(COOLDOWN));
    }

    @Test
    void aFailedTrialWithALongRetryAfterWaitsThatLong() {
        failThrice(null);
        clock.advance(COOLDOWN.plusSeconds(1));
        assertThat(health.tryAcquire()).isEqualTo(TRIAL);
        health.failed(error(503, Duration.ofMinutes(5)), 5, TRIAL);
        assertThat(health.snapshot().coolingUntil()).isEqualTo(in(Duration.ofMinutes(5)));
    }

    @Test
    void aRejectedKeyOpensAtOnceWithoutThreeStrikes() {
        health.failed(error(401), 5, NORMAL);
        assertThat(health.snapshot().state()).isEqualTo(KEY_REJECTED);
        assertThat(health.snapshot().coolingUntil()).isEqualTo(in(COOLDOWN));
        assertThat(health.tryAcquire()).isEqualTo(REFUSED);
        assertThat(health.usable()).isFalse();

        clock.advance(COOLDOWN.plusSeconds(1));
        assertThat(health.tryAcquire()).isEqualTo(TRIAL);
        health.failed(error(401), 5, TRIAL);
        assertThat(health.snapshot().state()).as("the key is still rejected").isEqualTo(KEY_REJECTED);
        clock.advance(COOLDOWN.plusSeconds(1));
        assertThat(health.tryAcquire()).isEqualTo(TRIAL);
        health.failed(error(503), 5, TRIAL);
        assertThat(health.snapshot().state()).as("the key passed, the server failed").isEqualTo(COOLING_DOWN);
    }

    @Test
    void aCancelledTrialFreesItsSlotAndACancelledNormalCallFreesNone() {
        failThrice(null);
        clock.advance(COOLDOWN.plusSeconds(1));
        assertThat(health.tryAcquire()).isEqualTo(TRIAL);
        health.released(TRIAL);
        assertThat(health.tryAcquire()).isEqualTo(TRIAL);
        health.released(NORMAL);
        assertThat(health.tryAcquire()).isEqualTo(REFUSED);
        health.answered(9, TRIAL);
        assertThat(health.tryAcquire()).isEqualTo(NORMAL);
    }

    @Test
    void aForcedTrialTakesTheSlotWhileCoolingAndASecondForcedOneHoldsNoSlot() {
        failThrice(null);
        assertThat(health.forceTrial()).isEqualTo(TRIAL);
        assertThat(health.snapshot().state()).as("the cooldown itself has not ended").isEqualTo(COOLING_DOWN);
        assertThat(health.tryAcquire()).isEqualTo(REFUSED);
        assertThat(health.forceTrial()).isEqualTo(NORMAL);
        health.released(NORMAL);
        assertThat(health.tryAcquire()).as("releasing the extra one frees no second trial").isEqualTo(REFUSED);
        clock.advance(Duration.ofSeconds(5));
        health.failed(error(503), 5, TRIAL);
        assertThat(health.snapshot().coolingUntil()).isEqualTo(in(COOLDOWN));
    }
}
