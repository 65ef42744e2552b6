package dev.switchboard.security;

import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccount;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/** First start with SWITCHBOARD_ADMIN_PASSWORD set: exactly one user, admin, with that password, stored as BCrypt. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:sec-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + AdminBootstrapTest.PASSWORD})
@DirtiesContext
class AdminBootstrapTest {

    static final String PASSWORD = "Given-admin-pass-42";

    @LocalServerPort
    int port;
    @Autowired
    UserAccounts accounts;
    @Autowired
    AdminBootstrap bootstrap;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PasswordEncoder encoder;

    @Test
    void createsOnlyAdminWithTheConfiguredPassword() {
        assertThat(accounts.list()).extracting(UserAccount::username).containsExactly("admin");
        assertThat(accounts.findByUsername("admin").orElseThrow().role()).isEqualTo(Role.ADMIN);

        var http = new Http(port);
        assertThat(http.get("/api/tokens", "Authorization", Http.basic("admin", PASSWORD)).statusCode()).isEqualTo(200);
        assertThat(http.get("/api/tokens", "Authorization", Http.basic("admin", "wrong-password-1")).statusCode())
                .isEqualTo(401);
    }

    @Test
    void passwordIsStoredAsBcryptHashNotPlaintext() {
        String hash = jdbc.sql("SELECT password_hash FROM users WHERE username = 'admin'").query(String.class).single();
        assertThat(hash).startsWith("$2").hasSize(60).doesNotContain(PASSWORD);
        assertThat(encoder.matches(PASSWORD, hash)).isTrue();
    }

    @Test
    void doesNothingOnceUsersExist() {
        assertThat(bootstrap.createAdminIfNoUsers()).isFalse();
        assertThat(accounts.count()).isEqualTo(1);
    }

    @Test
    void anInstanceThatFoundNoUsersButLostTheRaceStartsWithTheOtherOnesAdmin() {
        // Two instances starting together on one database: both found no users, the other one created admin first.
        String before = jdbc.sql("SELECT password_hash FROM users WHERE username = 'admin'").query(String.class).single();
        assertThat(bootstrap.createAdmin()).isFalse();
        assertThat(accounts.list()).extracting(UserAccount::username).containsExactly("admin");
        assertThat(jdbc.sql("SELECT password_hash FROM users WHERE username = 'admin'").query(String.class).single())
                .isEqualTo(before);
    }
}
