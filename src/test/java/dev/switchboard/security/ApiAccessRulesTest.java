package dev.switchboard.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may call what: 401/403 JSON from the filter chain, role rules for admin paths, actuator locked down but for
 * health (anyone) and the Prometheus scrape (admins).
 */
@AutoConfigureObservability(tracing = false) // Spring Boot's tests leave metrics export (the Prometheus scrape) off
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:sec-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + ApiAccessRulesTest.ADMIN_PASSWORD})
@DirtiesContext
class ApiAccessRulesTest {

    static final String ADMIN_PASSWORD = "Admin-password-1";
    private static final String USER_PASSWORD = "ursula-password-1";

    @LocalServerPort
    int port;
    @Autowired
    UserAccounts accounts;
    @Autowired
    ApiTokens tokens;

    private final ObjectMapper json = new ObjectMapper();
    private Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        if (accounts.findByUsername("ursula").isEmpty()) {
            accounts.create("ursula", USER_PASSWORD, Role.USER);
        }
    }

    @Test
    void noAuthenticationIs401JsonWithoutRedirect() throws Exception {
        for (String path : new String[] {"/api/tokens", "/api/chat", "/api/usage", "/api/admin/users"}) {
            HttpResponse<String> response = http.get(path, "Accept", "text/html");
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.headers().firstValue("Location")).as(path).isEmpty();
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(path).isEmpty();
            JsonNode error = json.readTree(response.body()).get("error");
            assertThat(error.get("type").asText()).isEqualTo("unauthorized");
            assertThat(error.get("message").asText()).isNotBlank();
        }
        assertThat(http.post("/api/tokens", "").statusCode()).isEqualTo(401);
    }

    @Test
    void wrongPasswordIs401() {
        assertThat(http.get("/api/tokens", "Authorization", Http.basic("ursula", "not-her-password")).statusCode())
                .isEqualTo(401);
        assertThat(http.get("/api/tokens", "Authorization", Http.basic("nobody-here", "not-her-password")).statusCode())
                .isEqualTo(401);
    }

    @Test
    void adminPathsAre403JsonForUsers() throws Exception {
        for (String path : new String[] {"/api/admin/users", "/api/admin/users/ursula"}) {
            HttpResponse<String> response = http.get(path, "Authorization", Http.basic("ursula", USER_PASSWORD));
            assertThat(response.statusCode()).as(path).isEqualTo(403);
            assertThat(json.readTree(response.body()).at("/error/type").asText()).isEqualTo("forbidden");
        }
    }

    @Test
    void adminPathsPassTheFilterChainForAdmins() {
        for (String path : new String[] {"/api/usage", "/api/admin/users"}) {
            int status = http.get(path, "Authorization", Http.basic("admin", ADMIN_PASSWORD)).statusCode();
            assertThat(status).as(path).isNotIn(401, 403);
        }
    }

    @Test
    void chatNeedsOnlyAnAuthenticatedUser() {
        int status = http.get("/api/chat", "Authorization", Http.basic("ursula", USER_PASSWORD)).statusCode();
        assertThat(status).isNotIn(401, 403);
    }

    @Test
    void onlyHealthOfTheActuatorIsReachable() {
        assertThat(http.get("/actuator/health").statusCode()).isEqualTo(200);
        for (String path : new String[] {"/actuator/env", "/actuator/configprops", "/actuator/beans", "/actuator"}) {
            assertThat(http.get(path).statusCode()).as(path).isNotEqualTo(200);
            assertThat(http.get(path, "Authorization", Http.basic("admin", ADMIN_PASSWORD)).statusCode())
                    .as(path + " as admin").isIn(401, 403);
        }
    }

    @Test
    void thePrometheusScrapeIsForAdminsWithATokenOrBasic() throws Exception {
        String adminToken = "Bearer " + tokens.create("admin", "prometheus").token();
        for (String credentials : new String[] {adminToken, Http.basic("admin", ADMIN_PASSWORD)}) {
            HttpResponse<String> scrape = http.get("/actuator/prometheus", "Authorization", credentials);
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            assertThat(scrape.body()).contains("# TYPE switchboard_generations_in_flight gauge")
                    .contains("jvm_memory_used_bytes");
            assertThat(Http.sessionCookie(scrape)).as("no session for a scrape").isEmpty();
        }
    }

    @Test
    void thePrometheusScrapeRefusesAnonymousCallersWith401AndUsersWith403AsJson() throws Exception {
        HttpResponse<String> anonymous = http.get("/actuator/prometheus");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(json.readTree(anonymous.body()).at("/error/type").asText()).isEqualTo("unauthorized");
        assertThat(anonymous.body()).doesNotContain("switchboard_");

        String userToken = "Bearer " + tokens.create("ursula", "scraper").token();
        for (String credentials : new String[] {userToken, Http.basic("ursula", USER_PASSWORD)}) {
            HttpResponse<String> user = http.get("/actuator/prometheus", "Authorization", credentials);
            assertThat(user.statusCode()).isEqualTo(403);
            assertThat(json.readTree(user.body()).at("/error/type").asText()).isEqualTo("forbidden");
            assertThat(user.body()).doesNotContain("switchboard_");
        }
        HttpResponse<String> badToken = http.get("/actuator/prometheus", "Authorization", "Bearer sb_not-a-token");
        assertThat(badToken.statusCode()).isEqualTo(401);
        assertThat(json.readTree(badToken.body()).at("/error/type").asText()).isEqualTo("unauthorized");
        assertThat(http.get("/actuator/prometheus", "Authorization", Http.basic("admin", "wrong-password-1")).statusCode())
                .isEqualTo(401);
    }
}
