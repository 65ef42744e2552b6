package dev.switchboard.security;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.config.ClockTimeMeter;
import dev.switchboard.config.Database;
import dev.switchboard.config.SharedBuckets;
import dev.switchboard.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The login throttle's rules with its failures in PostgreSQL, as several instances keep them; and two throttles on
 * one database (two instances) counting each other's failures.
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

    @Override
    LoginThrottle newThrottle(LoginThrottleProperties settings, MutableClock clock) {
        return new LoginThrottle(settings, clock, new SharedLoginFailures(settings, clock,
                SharedBuckets.inPostgres(DATABASE, new ClockTimeMeter(clock)), JdbcClient.create(DATABASE),
                new DataSourceTransactionManager(DATABASE)));
    }

    @Test
    void failuresOnTwoInstancesAddUpAndLockTheUsernameOnBoth() {
        LoginThrottleProperties settings = new LoginThrottleProperties(4, Duration.ofSeconds(30), Duration.ofMinutes(15),
                Duration.ofHours(24));
        LoginThrottle a = newThrottle(settings, clock), b = newThrottle(settings, clock);
        for (LoginThrottle instance : new LoginThrottle[] {a, b, a, b}) {
            assertThatThrownBy(() -> instance.attempt("Shared-Victim", () -> {
                throw new IllegalStateException("wrong password");
            })).isInstanceOf(IllegalStateException.class);
        }
        for (LoginThrottle instance : new LoginThrottle[] {a, b}) {
            assertThatThrownBy(() -> instance.attempt("shared-victim", () -> "right password"))
                    .isInstanceOfSatisfying(LoginThrottledException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(30));
        }
        clock.advance(Duration.ofSeconds(30));
        assertThatThrownBy(() -> b.attempt("shared-victim", () -> {
            throw new IllegalStateException("wrong again");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(a.lockedFor("shared-victim")).contains(Duration.ofSeconds(60)); // B's 5th failure, seen by A

        clock.advance(Duration.ofSeconds(60));
        assertThat(a.attempt("shared-victim", () -> "ok")).isEqualTo("ok"); // a success on A clears it for B too
        assertThatThrownBy(() -> b.attempt("shared-victim", () -> {
            throw new IllegalStateException("one slip");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(b.lockedFor("shared-victim")).isEmpty();
    }
}
