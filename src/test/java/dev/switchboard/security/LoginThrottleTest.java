package dev.switchboard.security;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoginThrottleTest {

    private final MutableClock clock = new MutableClock();
    private final LoginThrottle throttle = new LoginThrottle(
            new LoginThrottleProperties(10, Duration.ofSeconds(30), Duration.ofMinutes(15), Duration.ofHours(24)), clock);

    @Test
    void delayDoublesFromThirtySecondsUpToFifteenMinutes() {
        assertThat(throttle.delay(10)).isEqualTo(Duration.ofSeconds(30));
        assertThat(throttle.delay(11)).isEqualTo(Duration.ofSeconds(60));
        assertThat(throttle.delay(14)).isEqualTo(Duration.ofMinutes(8));
        assertThat(throttle.delay(15)).isEqualTo(Duration.ofMinutes(15));
        assertThat(throttle.delay(1_000)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void locksAfterTenAttemptsPerUsernameIgnoringCase() {
        for (int i = 0; i < 10; i++) {
            throttle.beginAttempt("Bob");
        }
        assertThatThrownBy(() -> throttle.beginAttempt("bob"))
                .isInstanceOfSatisfying(LoginThrottledException.class,
                        e -> assertThat(e.retryAfterSeconds()).isEqualTo(30));
        throttle.beginAttempt("carol"); // others are unaffected

        clock.advance(Duration.ofSeconds(30));
        throttle.beginAttempt("bob"); // 11th failure: now locked for 60 s
        assertThat(throttle.lockedFor("bob")).contains(Duration.ofSeconds(60));
    }

    @Test
    void successClearsTheCount() {
        for (int i = 0; i < 9; i++) {
            throttle.beginAttempt("dave");
        }
        throttle.succeeded("dave");
        for (int i = 0; i < 9; i++) {
            throttle.beginAttempt("dave");
        }
        assertThat(throttle.lockedFor("dave")).isEmpty();
    }

    @Test
    void oldFailuresAreForgotten() {
        for (int i = 0; i < 9; i++) {
            throttle.beginAttempt("erin");
        }
        clock.advance(Duration.ofHours(25));
        throttle.beginAttempt("erin");
        assertThat(throttle.lockedFor("erin")).isEmpty();
    }
}
