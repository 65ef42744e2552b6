package dev.switchboard.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testsupport.LoginForm;
import org.apache.catalina.Context;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The login session: its cookie is HttpOnly and SameSite=Lax, login issues a new session id (no fixation),
 * logout invalidates the session server-side, and the idle timeout is 30 minutes unless configured.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:session-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + SessionSecurityTest.ADMIN_PASSWORD})
@DirtiesContext
class SessionSecurityTest {
    static final String ADMIN_PASSWORD = "Admin-password-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort int port;
    @Autowired ServletWebServerApplicationContext web;

    @Test
    void theSessionCookieIsHttpOnlyAndSameSiteLax() {
        Http http = new Http(port);
        HttpResponse<String> login = http.loginForm("admin", ADMIN_PASSWORD);
        List<String> cookies = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID=")).toList();
        assertThat(cookies).isNotEmpty().allSatisfy(c -> {
            assertThat(c).containsIgnoringCase("; HttpOnly");
            assertThat(c).containsIgnoringCase("; SameSite=Lax");
            assertThat(c).containsIgnoringCase("; Path=/");
        });
    }

    @Test
    void loginIssuesANewSessionIdAndTheOldOneStaysAnonymous() {
        Http http = new Http(port);
        String before = Http.sessionCookie(http.get("/login")).orElseGet(() ->
                Http.sessionCookie(http.get("/")).orElseThrow(() -> new AssertionError("no session before login")));
        HttpResponse<String> login = LoginForm.post(HttpClient.newHttpClient(), port,
                LoginForm.open(HttpClient.newHttpClient(), port, before), "admin", ADMIN_PASSWORD, null);
        assertThat(login.statusCode()).isEqualTo(302);
        String after = Http.sessionCookie(login).orElseThrow(() -> new AssertionError("login set no new session cookie"));
        assertThat(after).isNotEqualTo(before);
        assertThat(http.get("/api/tokens", "Cookie", after).statusCode()).isEqualTo(200);
        assertThat(http.get("/api/tokens", "Cookie", before).statusCode()).as("the pre-login id is worth nothing").isEqualTo(401);
    }

    @Test
    void logoutInvalidatesTheSession() throws Exception {
        Http http = new Http(port);
        String session = http.formLogin("admin", ADMIN_PASSWORD);
        assertThat(http.get("/api/tokens", "Cookie", session).statusCode()).isEqualTo(200);
        JsonNode csrf = JSON.readTree(http.get("/api/csrf", "Cookie", session).body());

        HttpResponse<String> logout = http.post("/logout", "", "Cookie", session,
                csrf.get("headerName").asText(), csrf.get("token").asText());
        assertThat(logout.statusCode()).as(logout.headers().map().toString()).isEqualTo(302);
        assertThat(logout.headers().firstValue("Location").orElse("")).doesNotContain("error"); // Vaadin sends it to "/"

        assertThat(http.get("/api/tokens", "Cookie", session).statusCode()).as("the old session cookie after logout")
                .isEqualTo(401);
        HttpResponse<String> root = http.get("/", "Cookie", session, "Accept", "text/html");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location").orElse("")).contains("/login");
    }

    @Test
    void logoutWithoutTheCsrfTokenDoesNotEndTheSession() {
        // Else any page on the web could log a user out (a GET or a cross-site POST to /logout).
        Http http = new Http(port);
        String session = http.formLogin("admin", ADMIN_PASSWORD);
        http.post("/logout", "", "Cookie", session);
        http.get("/logout", "Cookie", session);
        assertThat(http.get("/api/tokens", "Cookie", session).statusCode()).isEqualTo(200);
    }

    @Test
    void theIdleTimeoutIsThirtyMinutesByDefault() {
        assertThat(sessionTimeoutMinutes(web)).isEqualTo(30);
    }

    static int sessionTimeoutMinutes(ServletWebServerApplicationContext web) {
        var tomcat = ((TomcatWebServer) web.getWebServer()).getTomcat();
        return ((Context) tomcat.getHost().findChildren()[0]).getSessionTimeout();
    }

    /** SWITCHBOARD_SESSION_TIMEOUT (server.servlet.session.timeout) changes it. */
    @Nested
    @TestPropertySource(properties = "server.servlet.session.timeout=5m")
    class Configured {
        @Autowired ServletWebServerApplicationContext configured;

        @Test
        void theIdleTimeoutFollowsTheProperty() {
            assertThat(sessionTimeoutMinutes(configured)).isEqualTo(5);
        }
    }
}
