package dev.switchboard.security;

import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP Basic on the running app with its verified passwords remembered (VerifiedPasswords): whatever happens to the
 * account applies to the very next request, as it did when every request was hashed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:sec-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1"})
@DirtiesContext
class BasicCallersPayNoHashPerRequestTest {

    @LocalServerPort
    int port;
    @Autowired
    UserAccounts accounts;

    private Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    private HttpResponse<String> basic(String username, String password) {
        return http.get("/api/tokens", "Authorization", Http.basic(username, password));
    }

    @Test
    void aChangedPasswordIsRefusedAtOnceAndTheNewOneAccepted() {
        accounts.create("pat", "pat-password-1", Role.USER);
        assertThat(basic("pat", "pat-password-1").statusCode()).isEqualTo(200);
        assertThat(basic("pat", "pat-password-1").statusCode()).isEqualTo(200);

        accounts.changePassword("pat", "pat-password-2");

        assertThat(basic("pat", "pat-password-1").statusCode()).isEqualTo(401);
        assertThat(basic("pat", "pat-password-2").statusCode()).isEqualTo(200);
        assertThat(basic("PAT", "pat-password-2").statusCode()).isEqualTo(200);
        assertThat(basic("pat", "pat-password-1").statusCode()).isEqualTo(401);
    }

    @Test
    void aDisabledUserIsRefusedAtOnceAndAnEnabledOneLetInAgain() {
        accounts.create("dora", "dora-password-1", Role.USER);
        assertThat(basic("dora", "dora-password-1").statusCode()).isEqualTo(200);

        accounts.setEnabled("dora", false);
        assertThat(basic("dora", "dora-password-1").statusCode()).isEqualTo(401);

        accounts.setEnabled("dora", true);
        assertThat(basic("dora", "dora-password-1").statusCode()).isEqualTo(200);
    }

    @Test
    void aNewRoleAppliesToTheVeryNextRequest() {
        accounts.create("rita", "rita-password-1", Role.USER);
        assertThat(http.get("/api/admin/users", "Authorization", Http.basic("rita", "rita-password-1")).statusCode())
                .isEqualTo(403);
        accounts.setRole("rita", Role.ADMIN);
        assertThat(http.get("/api/admin/users", "Authorization", Http.basic("rita", "rita-password-1")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aLockedUsernameIsRefusedEvenWithItsVerifiedPassword() {
        accounts.create("lena", "lena-password-1", Role.USER);
        assertThat(basic("lena", "lena-password-1").statusCode()).isEqualTo(200);
        for (int i = 0; i < 10; i++) {
            assertThat(basic("lena", "guess-number-" + i).statusCode()).isEqualTo(401);
        }
        assertThat(basic("lena", "lena-password-1").statusCode()).isEqualTo(429);
    }
}
