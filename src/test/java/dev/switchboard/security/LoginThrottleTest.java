package dev.switchboard.security;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoginThrottleTest {

    final MutableClock clock = new MutableClock();
    private final LoginThrottle throttle = newThrottle(
            new LoginThrottleProperties(10, Duration.ofSeconds(30), Duration.ofMinutes(15), Duration.ofHours(24)), clock);

    /** The throttle under test; a subclass keeps its failures elsewhere. */
    LoginThrottle newThrottle(LoginThrottleProperties settings, MutableClock clock) {
        return new LoginThrottle(settings, clock);
    }

    private void fail(String username) {
        assertThatThrownBy(() -> throttle.attempt(username, () -> {
            throw new IllegalStateException("wrong password");
        })).isInstanceOf(IllegalStateException.class);
    }

    private void succeed(String username) {
        assertThat(throttle.attempt(username, () -> "ok")).isEqualTo("ok");
    }

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
            fail("Bob");
        }
        assertThatThrownBy(() -> succeed("bob"))
                .isInstanceOfSatisfying(LoginThrottledException.class,
                        e -> assertThat(e.retryAfterSeconds()).isEqualTo(30));
        succeed("carol"); // others are unaffected

        clock.advance(Duration.ofSeconds(30));
        fail("bob"); // 11th failure: now locked for 60 s
        assertThat(throttle.lockedFor("bob")).contains(Duration.ofSeconds(60));
    }

    @Test
    void successClearsTheCount() {
        for (int i = 0; i < 9; i++) {
            fail("dave");
        }
        succeed("dave");
        for (int i = 0; i < 9; i++) {
            fail("dave");
        }
        assertThat(throttle.lockedFor("dave")).isEmpty();
    }

    @Test
    void oldFailuresAreForgotten() {
        for (int i = 0; i < 9; i++) {
            fail("erin");
        }
        clock.advance(Duration.ofHours(25));
        fail("erin");
        assertThat(throttle.lockedFor("erin")).isEmpty();
    }

    @Test
    void parallelGuessesAreCheckedOneAtATimeSoNoneSlipsPastTheCount() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger checked = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(40);
        try {
            List<Future<?>> guesses = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                guesses.add(pool.submit(() -> throttle.attempt("frank", () -> {
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    checked.incrementAndGet();
                    LockSupport.parkNanos(2_000_000);
                    running.decrementAndGet();
                    throw new IllegalStateException("wrong password");
                })));
            }
            for (Future<?> g : guesses) {
                assertThatThrownBy(g::get).hasCauseInstanceOf(RuntimeException.class);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(mostAtOnce.get()).isEqualTo(1);
        assertThat(checked.get()).isEqualTo(10);
        assertThat(throttle.lockedFor("frank")).isPresent();
    }

    @Test
    void parallelLoginsWithTheRightPasswordNeverLock() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(40);
        try {
            List<Future<String>> logins = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                logins.add(pool.submit(() -> throttle.attempt("gina", () -> {
                    LockSupport.parkNanos(2_000_000); // a password check takes time: the others arrive meanwhile
                    return "ok";
                })));
            }
            for (Future<String> l : logins) assertThat(l.get()).isEqualTo("ok");
        } finally {
            pool.shutdownNow();
        }
        assertThat(throttle.lockedFor("gina")).isEmpty();
    }
}
