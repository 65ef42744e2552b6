package dev.switchboard.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** 10 failed logins lock that username (HTTP Basic and login form alike) for a while; nobody else is affected. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:sec-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1"})
@DirtiesContext
class BruteForceProtectionTest {

    @TestConfiguration
    static class Clocks {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock();
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    UserAccounts accounts;
    @Autowired
    MutableClock clock;

    private final ObjectMapper json = new ObjectMapper();
    private Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    @Test
    void tenFailuresLockTheUsernameUntilTheDelayHasPassed() throws Exception {
        accounts.create("victim", "victim-password-1", Role.USER);
        accounts.create("bystander", "bystander-password-1", Role.USER);

        for (int i = 0; i < 10; i++) {
            assertThat(basicLogin("victim", "guess-number-" + i).statusCode()).as("attempt " + (i + 1)).isEqualTo(401);
        }

        HttpResponse<String> refused = basicLogin("victim", "victim-password-1");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).contains("30");
        assertThat(json.readTree(refused.body()).at("/error/type").asText()).isEqualTo("too_many_attempts");
        assertThat(json.readTree(refused.body()).at("/error/message").asText()).contains("Try again in 30 seconds");

        // Another username, from the same address, is unaffected.
        assertThat(basicLogin("bystander", "wrong-password-1").statusCode()).isEqualTo(401);
        assertThat(basicLogin("bystander", "bystander-password-1").statusCode()).isEqualTo(200);

        // The login form refuses too, and says so.
        HttpResponse<String> form = http.post("/login", "username=victim&password=victim-password-1",
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(form.statusCode()).isEqualTo(302);
        assertThat(form.headers().firstValue("Location").orElseThrow()).endsWith("/login?locked=30");

        clock.advance(Duration.ofSeconds(29));
        assertThat(basicLogin("victim", "victim-password-1").statusCode()).isEqualTo(429);

        clock.advance(Duration.ofSeconds(2));
        assertThat(basicLogin("victim", "victim-password-1").statusCode()).isEqualTo(200);
        // The success reset the count: one more mistake is an ordinary 401.
        assertThat(basicLogin("victim", "another-guess-1").statusCode()).isEqualTo(401);
    }

    @Test
    void failedFormLoginsCountAndTheDelayGrows() {
        accounts.create("formuser", "formuser-password-1", Role.USER);
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = http.post("/login", "username=formuser&password=wrong-" + i,
                    "Content-Type", "application/x-www-form-urlencoded");
            assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
        }
        assertThat(basicLogin("formuser", "formuser-password-1").statusCode()).isEqualTo(429);

        clock.advance(Duration.ofSeconds(31));
        assertThat(basicLogin("FormUser", "still-wrong-1").statusCode()).isEqualTo(401); // 11th failure
        HttpResponse<String> refused = basicLogin("formuser", "formuser-password-1");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).contains("60");
    }

    private HttpResponse<String> basicLogin(String username, String password) {
        return http.get("/api/tokens", "Authorization", Http.basic(username, password));
    }
}
