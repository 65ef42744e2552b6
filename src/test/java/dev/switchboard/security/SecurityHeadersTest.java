package dev.switchboard.security;

import com.vaadin.flow.server.VaadinServletContext;
import com.vaadin.flow.server.startup.ApplicationRouteRegistry;
import dev.switchboard.security.ui.LoginViews;
import dev.switchboard.testsupport.LoginForm;
import dev.switchboard.users.UserAccounts;
import jakarta.servlet.ServletContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Security headers everywhere; session cookie HttpOnly; a new session id at login; anonymous "/" goes to /login. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:sec-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + SecurityHeadersTest.ADMIN_PASSWORD})
@DirtiesContext
class SecurityHeadersTest {

    static final String ADMIN_PASSWORD = "Admin-password-1";

    @LocalServerPort
    int port;
    @Autowired
    UserAccounts accounts;

    @Test
    void everyKindOfResponseCarriesTheHeaders() {
        var http = new Http(port);
        assertHeaders(http.get("/", "Accept", "text/html"), "/");
        assertHeaders(http.get("/login", "Accept", "text/html"), "/login");
        assertHeaders(http.get("/api/tokens"), "/api/tokens");
        assertHeaders(http.get("/actuator/health"), "/actuator/health");
    }

    @Test
    void vaadinPagesGetAPolicyVaadinCanRunUnder() {
        HttpResponse<String> login = new Http(port).get("/login", "Accept", "text/html");
        assertThat(login.statusCode()).isEqualTo(200);
        String csp = login.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("script-src 'self' 'unsafe-inline' 'unsafe-eval'", "style-src 'self' 'unsafe-inline'",
                "frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'");
    }

    @Test
    void theLoginViewIsARouteOfTheApp(@Autowired ServletContext servletContext) {
        var registry = ApplicationRouteRegistry.getInstance(new VaadinServletContext(servletContext));
        assertThat(registry.getTargetUrl(LoginViews.loginView())).contains("login");
    }

    @Test
    void theLoginPageTabGetsTheAppsIconWithoutLogin() throws Exception {
        // Browsers ask for /favicon.ico on their own; without one the login tab shows a blank icon and a 404.
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/favicon.ico")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        byte[] icon = response.body();
        assertThat(icon).startsWith(0, 0, 1, 0); // ICONDIR: reserved 0, type 1 (icon)
        assertThat(icon[4]).as("images in the icon").isGreaterThan((byte) 0);
    }

    @Test
    void anonymousVisitorsAreSentToTheLoginView() {
        HttpResponse<String> root = new Http(port).get("/", "Accept", "text/html");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location").orElseThrow()).endsWith("/login");
    }

    @Test
    void sessionCookieIsHttpOnlyAndRenewedAtLogin() {
        var http = new Http(port);
        HttpResponse<String> page = http.get("/login", "Accept", "text/html");
        String before = Http.sessionCookie(page).orElseThrow();
        assertThat(page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID=")))
                .allSatisfy(c -> assertThat(c).containsIgnoringCase("HttpOnly"));

        HttpResponse<String> login = LoginForm.post(HttpClient.newHttpClient(), port,
                LoginForm.open(HttpClient.newHttpClient(), port, before), "admin", ADMIN_PASSWORD, null);
        assertThat(login.statusCode()).isEqualTo(302);
        String after = Http.sessionCookie(login).orElseThrow();
        assertThat(after).isNotEqualTo(before);
        assertThat(login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID=")))
                .allSatisfy(c -> assertThat(c).containsIgnoringCase("HttpOnly"));
    }

    @Test
    void badFormLoginGoesBackToTheLoginViewWithAnError() {
        HttpResponse<String> login = new Http(port).loginForm("admin", "wrong-password-1");
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
    }

    private static void assertHeaders(HttpResponse<String> response, String path) {
        var h = response.headers();
        assertThat(h.firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
        assertThat(h.firstValue("X-Frame-Options")).as(path).contains("DENY");
        assertThat(h.firstValue("Referrer-Policy")).as(path).contains("strict-origin-when-cross-origin");
        assertThat(h.firstValue("Content-Security-Policy").orElse("")).as(path)
                .contains("frame-ancestors 'none'");
    }
}
