package dev.switchboard.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A change of role, status or password ends the user's existing login sessions at their next request: the rights a
 * session began with never outlive the account's. (Tokens of a disabled user are refused too, as before.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:sessions-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + SessionsFollowTheAccountTest.ADMIN_PASSWORD})
@DirtiesContext
class SessionsFollowTheAccountTest {
    static final String ADMIN_PASSWORD = "Admin-password-1";
    private static final String PASSWORD = "a-good-password-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort int port;
    @Autowired UserAccounts accounts;
    private Http http;
    private final String admin = Http.basic("admin", ADMIN_PASSWORD);

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    private String user(Role role) {
        String name = "u" + UUID.randomUUID().toString().substring(0, 8);
        accounts.create(name, PASSWORD, role);
        return name;
    }

    /** The session cookie and its CSRF token, for state-changing API calls. */
    private String[] session(String name) throws Exception {
        String cookie = http.formLogin(name, PASSWORD);
        HttpResponse<String> csrf = http.get("/api/csrf", "Cookie", cookie);
        assertThat(csrf.statusCode()).isEqualTo(200);
        var token = JSON.readTree(csrf.body());
        return new String[] {"Cookie", cookie, token.get("headerName").asText(), token.get("token").asText()};
    }

    private HttpResponse<String> patch(String path, String json, String... headers) {
        return http.patchJson(path, json, headers);
    }

    @Test
    void aDemotedAdminsSessionIsRefusedAtOnce() throws Exception {
        String frank = user(Role.ADMIN);
        String victim = user(Role.USER);
        String[] frankSession = session(frank);
        assertThat(http.get("/api/admin/users", frankSession[0], frankSession[1]).statusCode()).isEqualTo(200);

        assertThat(patch("/api/admin/users/" + frank, "{\"role\": \"USER\"}", "Authorization", admin).statusCode()).isEqualTo(200);

        HttpResponse<String> promote = patch("/api/admin/users/" + victim, "{\"role\": \"ADMIN\"}", frankSession);
        assertThat(promote.statusCode()).as(promote.body()).isEqualTo(401);
        assertThat(accounts.findByUsername(victim).orElseThrow().role()).isEqualTo(Role.USER);
        assertThat(http.get("/api/admin/users", frankSession[0], frankSession[1]).statusCode()).isEqualTo(401);
        // A new login gets the new rights: a user, no admin API.
        String[] again = session(frank);
        assertThat(http.get("/api/tokens", again[0], again[1]).statusCode()).isEqualTo(200);
        assertThat(http.get("/api/admin/users", again[0], again[1]).statusCode()).isEqualTo(403);
    }

    @Test
    void aDisabledUsersSessionNeitherChatsNorMintsTokens() throws Exception {
        String dave = user(Role.USER);
        String[] s = session(dave);
        assertThat(http.postJson("/api/tokens", "{\"name\": \"before\"}", s).statusCode()).isEqualTo(201);

        assertThat(patch("/api/admin/users/" + dave, "{\"enabled\": false}", "Authorization", admin).statusCode()).isEqualTo(200);

        assertThat(http.postJson("/api/chat", "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", s).statusCode())
                .isEqualTo(401);
        assertThat(http.postJson("/api/tokens", "{\"name\": \"after\"}", s).statusCode()).isEqualTo(401);
        assertThat(http.get("/", s[0], s[1]).statusCode()).as("the app sends it to the login view").isEqualTo(302);
    }

    @Test
    void aPasswordResetEndsTheUsersOtherSessions() throws Exception {
        String erin = user(Role.USER);
        String[] s = session(erin);
        assertThat(http.get("/api/tokens", s[0], s[1]).statusCode()).isEqualTo(200);

        assertThat(patch("/api/admin/users/" + erin, "{\"password\": \"another-password-2\"}", "Authorization", admin)
                .statusCode()).isEqualTo(200);

        assertThat(http.get("/api/tokens", s[0], s[1]).statusCode()).isEqualTo(401);
        assertThat(http.formLogin(erin, "another-password-2")).isNotBlank();
    }

    @Test
    void anUnrelatedChangeLeavesTheSessionAlone() throws Exception {
        String gail = user(Role.USER);
        String[] s = session(gail);
        accounts.setDisplayName(gail, "Gail");
        accounts.setRole(user(Role.USER), Role.ADMIN); // another user's change
        assertThat(http.get("/api/tokens", s[0], s[1]).statusCode()).isEqualTo(200);
    }
}
