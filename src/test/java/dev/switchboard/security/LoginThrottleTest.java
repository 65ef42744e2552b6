package dev.switchboard.security;

import dev.switchboard.security.LoginThrottle.Client;
import dev.switchboard.security.LoginThrottle.Paused;
import dev.switchboard.security.LoginThrottle.Scope;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoginThrottleTest {

    private static final Client ATTACKER = new Client("203.0.113.66", null);
    private static final Client ELSEWHERE = new Client("198.51.100.7", null);

    final MutableClock clock = new MutableClock();
    private final List<Paused> pauses = new CopyOnWriteArrayList<>();
    private final LoginThrottle throttle = newThrottle(
            LoginThrottleProperties.of(10, 50, 50, Duration.ofSeconds(30), Duration.ofMinutes(15)), clock, pauses::add);

    /** The throttle under test; a subclass keeps its counts elsewhere. */
    LoginThrottle newThrottle(LoginThrottleProperties settings, MutableClock clock, Consumer<Paused> listener) {
        return new LoginThrottle(settings, clock, listener);
    }

    private void fail(String username, Client client) {
        assertThatThrownBy(() -> throttle.attempt(username, client, () -> {
            throw new IllegalStateException("wrong password");
        })).isInstanceOf(IllegalStateException.class);
    }

    private void succeed(String username, Client client) {
        assertThat(throttle.attempt(username, client, () -> "ok")).isEqualTo("ok");
    }

    private void refused(String username, Client client, long retryAfterSeconds) {
        assertThatThrownBy(() -> succeed(username, client)).isInstanceOfSatisfying(LoginThrottledException.class,
                e -> assertThat(e.retryAfterSeconds()).isEqualTo(retryAfterSeconds));
    }

    private static Client device(String id) {
        return new Client(ATTACKER.address(), id);
    }

    @Test
    void delayDoublesFromThirtySecondsUpToFifteenMinutes() {
        assertThat(throttle.delay(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(throttle.delay(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(throttle.delay(5)).isEqualTo(Duration.ofMinutes(8));
        assertThat(throttle.delay(6)).isEqualTo(Duration.ofMinutes(15));
        assertThat(throttle.delay(1_000)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void tenFailuresFromOneAddressPauseOnlyThatAddressForThatName() {
        for (int i = 0; i < 10; i++) fail("Bob", ATTACKER);
        refused("bob", ATTACKER, 30);
        succeed("bob", ELSEWHERE); // the real bob, from his own address
        succeed("carol", ATTACKER); // other names from the attacker's address

        clock.advance(Duration.ofSeconds(30));
        fail("bob", ATTACKER); // a failure after the pause: paused again, twice as long
        assertThat(throttle.pausedFor("bob", ATTACKER)).contains(Duration.ofSeconds(60));
    }

    @Test
    void guessesFromEverywhereDoNotKeepOutADeviceThatLoggedInBefore() {
        for (int i = 0; i < 50; i++) fail("dora", new Client("10.0.0." + i, null)); // one guess from each of 50 addresses
        refused("dora", new Client("10.9.9.9", null), 30); // an unknown device waits, from any address
        succeed("dora", device("doras-laptop")); // her known device is let in, even from a guesser's address
        refused("dora", ELSEWHERE, 30); // and its success does not clear the count for the others
    }

    @Test
    void fiftyFailuresFromOneAddressPauseItForEveryNameButNotForKnownDevices() {
        for (int i = 0; i < 50; i++) fail("user" + i, ATTACKER); // one guess at each of 50 names
        refused("erin", ATTACKER, 30);
        succeed("erin", ELSEWHERE);
        succeed("erin", device("erins-phone"));
    }

    @Test
    void aKnownDeviceIsPausedByItsOwnFailuresOnly() {
        for (int i = 0; i < 10; i++) fail("fay", device("stolen-cookie"));
        refused("fay", device("stolen-cookie"), 30);
        succeed("fay", device("fays-laptop"));
        succeed("fay", ELSEWHERE);
    }

    @Test
    void successClearsThePairsCount() {
        for (int i = 0; i < 9; i++) fail("gus", ATTACKER);
        succeed("gus", ATTACKER);
        for (int i = 0; i < 9; i++) fail("gus", ATTACKER);
        assertThat(throttle.pausedFor("gus", ATTACKER)).isEmpty();
    }

    @Test
    void oldFailuresAreForgotten() {
        for (int i = 0; i < 9; i++) fail("hal", ATTACKER);
        clock.advance(Duration.ofHours(25));
        fail("hal", ATTACKER);
        assertThat(throttle.pausedFor("hal", ATTACKER)).isEmpty();
    }

    @Test
    void eachPauseIsReportedOnceNotEachRefusal() {
        for (int i = 0; i < 10; i++) fail("ida", ATTACKER);
        for (int i = 0; i < 5; i++) refused("ida", ATTACKER, 30);
        assertThat(pauses).containsExactly(new Paused(Scope.USER_AT_ADDRESS, "ida", ATTACKER.address(), 10,
                Duration.ofSeconds(30)));

        clock.advance(Duration.ofSeconds(31));
        fail("ida", ATTACKER);
        assertThat(pauses).hasSize(2).last().extracting(Paused::pause).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aPasswordChangeInASessionCountsAsItsOwnDevice() {
        for (int i = 0; i < 50; i++) fail("jan", new Client("10.1.0." + i, null));
        assertThat(throttle.attempt("jan", () -> "checked")).isEqualTo("checked");
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> throttle.attempt("jan", () -> {
                throw new IllegalStateException("wrong current password");
            })).isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(() -> throttle.attempt("jan", () -> "checked")).isInstanceOf(LoginThrottledException.class);
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
                guesses.add(pool.submit(() -> throttle.attempt("frank", ATTACKER, () -> {
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
        assertThat(throttle.pausedFor("frank", ATTACKER)).isPresent();
    }

    @Test
    void parallelLoginsWithTheRightPasswordNeverLock() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(40);
        try {
            List<Future<String>> logins = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                logins.add(pool.submit(() -> throttle.attempt("gina", ATTACKER, () -> {
                    LockSupport.parkNanos(2_000_000); // a password check takes time: the others arrive meanwhile
                    return "ok";
                })));
            }
            for (Future<String> l : logins) assertThat(l.get()).isEqualTo("ok");
        } finally {
            pool.shutdownNow();
        }
        assertThat(throttle.pausedFor("gina", ATTACKER)).isEmpty();
    }
}
