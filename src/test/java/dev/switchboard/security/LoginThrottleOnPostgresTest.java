package dev.switchboard.security;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.config.ClockTimeMeter;
import dev.switchboard.config.Database;
import dev.switchboard.config.SharedBuckets;
import dev.switchboard.security.LoginThrottle.Client;
import dev.switchboard.security.LoginThrottle.Paused;
import dev.switchboard.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import java.time.Duration;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The login throttle's rules with its counts in PostgreSQL, as instances sharing a database keep them; and two
 * throttles on one database (two instances) adding to and refusing by the same counts.
 */
class LoginThrottleOnPostgresTest extends LoginThrottleTest {
    private static final HikariDataSource DATABASE = migrated(TestPostgres.newDataSource());

    private static HikariDataSource migrated(HikariDataSource ds) {
        Flyway.configure().dataSource(ds).locations(Database.POSTGRESQL.migrationLocations().toArray(String[]::new))
                .load().migrate();
        return ds;
    }

    @AfterAll
    static void close() {
        DATABASE.close();
    }

    /** Each test starts with no counts, as with a new throttle in memory. */
    @BeforeEach
    void noCounts() {
        JdbcClient db = JdbcClient.create(DATABASE);
        db.sql("DELETE FROM login_pauses").update();
        db.sql("DELETE FROM rate_limit_buckets").update();
    }

    @Override
    LoginThrottle newThrottle(LoginThrottleProperties settings, MutableClock clock, Consumer<Paused> listener) {
        return new LoginThrottle(settings, clock, listener, new SharedLoginCounts(settings.forgetAfter(), clock,
                SharedBuckets.inPostgres(DATABASE, new ClockTimeMeter(clock)), JdbcClient.create(DATABASE),
                new DataSourceTransactionManager(DATABASE)));
    }

    @Test
    void failuresOnTwoInstancesAddUpAndPauseTheNameOnBoth() {
        LoginThrottleProperties settings = LoginThrottleProperties.of(4, 50, 50, Duration.ofSeconds(30), Duration.ofMinutes(15));
        LoginThrottle a = newThrottle(settings, clock, p -> { }), b = newThrottle(settings, clock, p -> { });
        Client guesser = new Client("192.0.2.44", null);
        for (LoginThrottle instance : new LoginThrottle[] {a, b, a, b}) {
            assertThatThrownBy(() -> instance.attempt("Shared-Victim", guesser, () -> {
                throw new IllegalStateException("wrong password");
            })).isInstanceOf(IllegalStateException.class);
        }
        for (LoginThrottle instance : new LoginThrottle[] {a, b}) {
            assertThatThrownBy(() -> instance.attempt("shared-victim", guesser, () -> "right password"))
                    .isInstanceOfSatisfying(LoginThrottledException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(30));
        }
        clock.advance(Duration.ofSeconds(30));
        assertThatThrownBy(() -> b.attempt("shared-victim", guesser, () -> {
            throw new IllegalStateException("wrong again");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(a.pausedFor("shared-victim", guesser)).contains(Duration.ofSeconds(60)); // B's 5th failure, seen by A

        clock.advance(Duration.ofSeconds(60));
        assertThat(a.attempt("shared-victim", guesser, () -> "ok")).isEqualTo("ok"); // a success on A clears it for B too
        assertThatThrownBy(() -> b.attempt("shared-victim", guesser, () -> {
            throw new IllegalStateException("one slip");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(b.pausedFor("shared-victim", guesser)).isEmpty();
    }
}
