package dev.switchboard.admin.users;

import dev.switchboard.testsupport.LoginForm;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logins through the login form are in the audit log, successful and failed, over real HTTP; API calls with HTTP
 * Basic (each one authenticates) are not; each pause of the login throttle is, once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:login-audit-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Login-audit-admin-1"})
@DirtiesContext
class LoginAuditTest {
    private static final String PASSWORD = "lena-password-123";
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @LocalServerPort
    int port;
    @Autowired
    AuditLog audit;
    @Autowired
    UserAccounts accounts;

    @Test
    void aFormLoginIsRecordedWithWhoAndWhence() throws Exception {
        accounts.create("lena", "Lena L", PASSWORD, Role.USER);
        HttpResponse<String> r = formLogin("lena", PASSWORD);
        assertThat(r.headers().firstValue("Location").orElse("")).doesNotContain("login");

        AuditLog.Entry e = newest();
        assertThat(e.action()).isEqualTo(AuditAction.LOGIN_SUCCEEDED);
        assertThat(e.actor()).isEqualTo("lena");
        assertThat(e.target()).isEqualTo("lena");
        assertThat(e.detail()).startsWith("from ");
    }

    @Test
    void failedFormLoginsAreRecordedWithTheNameTypedAndWhy() throws Exception {
        accounts.create("mira", null, PASSWORD, Role.USER);
        accounts.create("otto", null, PASSWORD, Role.USER);
        accounts.setEnabled("otto", false);

        assertThat(formLogin("mira", "wrong-password-1").headers().firstValue("Location").orElse("")).contains("login?error");
        AuditLog.Entry wrong = newest();
        assertThat(wrong.action()).isEqualTo(AuditAction.LOGIN_FAILED);
        assertThat(wrong.actor()).isEqualTo(LoginAudit.UNKNOWN_ACTOR);
        assertThat(wrong.target()).isEqualTo("mira");
        assertThat(wrong.detail()).startsWith("bad credentials; from ");

        formLogin("nobody-here", "whatever-password");
        assertThat(newest().target()).isEqualTo("nobody-here");
        assertThat(newest().detail()).as("an unknown name reads like a wrong password").startsWith("bad credentials");

        formLogin("otto", PASSWORD);
        assertThat(newest().action()).isEqualTo(AuditAction.LOGIN_FAILED);
        assertThat(newest().detail()).startsWith("account disabled");

        formLogin("x".repeat(200), "whatever-password");
        assertThat(newest().target()).hasSize(64).endsWith("…");
    }

    @Test
    void apiCallsWithBasicAuthAreNotLogins() throws Exception {
        accounts.create("ada", null, PASSWORD, Role.USER);
        List<AuditLog.Entry> before = audit.latest(AuditLog.MAX_LATEST);
        for (int i = 0; i < 3; i++) assertThat(basicGet("ada", PASSWORD).statusCode()).isEqualTo(200);
        assertThat(basicGet("ada", "wrong-password-2").statusCode()).isEqualTo(401);
        assertThat(audit.latest(AuditLog.MAX_LATEST)).isEqualTo(before);
    }

    @Test
    void aPauseOfTheLoginThrottleIsRecordedOnceWithTheNameAndTheAddress() throws Exception {
        accounts.create("pia", null, PASSWORD, Role.USER);
        for (int i = 0; i < 10; i++) assertThat(basicGet("pia", "wrong-password-" + i).statusCode()).isEqualTo(401);
        for (int i = 0; i < 5; i++) assertThat(basicGet("pia", PASSWORD).statusCode()).isEqualTo(429);

        List<AuditLog.Entry> pauses = audit.latest(AuditLog.MAX_LATEST).stream()
                .filter(e -> e.action() == AuditAction.LOGIN_THROTTLED).toList();
        assertThat(pauses).hasSize(1);
        assertThat(pauses.get(0).target()).isEqualTo("pia");
        assertThat(pauses.get(0).actor()).isEqualTo(LoginAudit.UNKNOWN_ACTOR);
        assertThat(pauses.get(0).detail()).startsWith("10 failed logins for this name from ")
                .contains("may not try it for 30 seconds");
    }

    private AuditLog.Entry newest() {
        return audit.latest(1).get(0);
    }

    private HttpResponse<String> formLogin(String username, String password) throws Exception {
        HttpResponse<String> r = LoginForm.post(http, port, username, password);
        assertThat(r.statusCode()).isEqualTo(302);
        return r;
    }

    private HttpResponse<String> basicGet(String username, String password) throws Exception {
        String basic = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/models"))
                .header("Authorization", "Basic " + basic).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
