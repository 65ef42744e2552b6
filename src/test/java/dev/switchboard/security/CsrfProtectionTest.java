package dev.switchboard.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testsupport.LoginForm;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The login form and the API with a login session cookie: a login POST and session state changes need the CSRF
 * token; Bearer/Basic calls do not.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:sec-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1"})
@DirtiesContext
class CsrfProtectionTest {

    private static final String PASSWORD = "cecile-password-1";

    @LocalServerPort
    int port;
    @Autowired
    UserAccounts accounts;

    private final ObjectMapper json = new ObjectMapper();
    private Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        if (accounts.findByUsername("cecile").isEmpty()) {
            accounts.create("cecile", PASSWORD, Role.USER);
        }
    }

    @Test
    void aLoginPostWithoutTheLoginPagesCsrfTokenIsRefused() {
        // A page on another site posting the attacker's credentials to log the visitor's browser into that account.
        HttpResponse<String> forged = http.post("/login", "username=cecile&password=" + PASSWORD,
                "Content-Type", "application/x-www-form-urlencoded", "Origin", "http://evil.example");
        assertThat(forged.statusCode()).isEqualTo(403);
        Http.sessionCookie(forged).ifPresent(cookie ->
                assertThat(http.get("/api/tokens", "Cookie", cookie).statusCode()).as("not logged in").isEqualTo(401));

        LoginForm.Page page = LoginForm.open(HttpClient.newHttpClient(), port, null);
        HttpResponse<String> wrongToken = http.post("/login", "username=cecile&password=" + PASSWORD + "&_csrf=forged",
                "Content-Type", "application/x-www-form-urlencoded", "Cookie", page.sessionCookie());
        assertThat(wrongToken.statusCode()).isEqualTo(403);

        // The login page's own form, with its token, logs in.
        HttpResponse<String> real = LoginForm.post(HttpClient.newBuilder().build(), port, page, "cecile", PASSWORD, null);
        assertThat(real.statusCode()).isEqualTo(302);
        assertThat(real.headers().firstValue("Location").orElseThrow()).doesNotContain("login");
    }

    @Test
    void sessionPostNeedsTheCsrfToken() throws Exception {
        String session = http.formLogin("cecile", PASSWORD);
        assertThat(http.get("/api/tokens", "Cookie", session).statusCode()).isEqualTo(200);

        HttpResponse<String> forged = http.postJson("/api/tokens", "{}", "Cookie", session);
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(json.readTree(forged.body()).at("/error/type").asText()).isEqualTo("forbidden");

        HttpResponse<String> wrongToken = http.postJson("/api/tokens", "{}", "Cookie", session, "X-CSRF-TOKEN", "nope");
        assertThat(wrongToken.statusCode()).isEqualTo(403);

        JsonNode csrf = json.readTree(http.get("/api/csrf", "Cookie", session).body());
        assertThat(csrf.get("headerName").asText()).isEqualTo("X-CSRF-TOKEN");
        HttpResponse<String> ok = http.postJson("/api/tokens", "{\"name\": \"browser\"}",
                "Cookie", session, csrf.get("headerName").asText(), csrf.get("token").asText());
        assertThat(ok.statusCode()).isEqualTo(201);
    }

    @Test
    void basicCredentialsAreNeitherReplacedByTheSessionNorAskedForCsrf() {
        String session = http.formLogin("cecile", PASSWORD);
        // A wrong password is not rescued by the session cookie sent along.
        assertThat(http.post("/api/tokens", "", "Cookie", session,
                "Authorization", Http.basic("cecile", "wrong-password-1")).statusCode()).isEqualTo(401);
        assertThat(http.post("/api/tokens", "", "Cookie", session,
                "Authorization", Http.basic("cecile", PASSWORD)).statusCode()).isEqualTo(201);
    }

    @Test
    void logoutEndsTheSession() {
        String session = http.formLogin("cecile", PASSWORD);
        assertThat(http.get("/api/tokens", "Cookie", session).statusCode()).isEqualTo(200);
        String token;
        try {
            token = json.readTree(http.get("/api/csrf", "Cookie", session).body()).get("token").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        HttpResponse<String> logout = http.post("/logout", "", "Cookie", session, "X-CSRF-TOKEN", token);
        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(http.get("/api/tokens", "Cookie", session).statusCode()).isEqualTo(401);
    }
}
