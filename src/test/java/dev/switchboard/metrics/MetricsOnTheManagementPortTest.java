package dev.switchboard.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * management.server.port moves the actuator to a port of its own, as Spring Boot does, and the same rules hold
 * there: health for anyone, the Prometheus scrape for admins only (JSON 401 otherwise); the main port refuses both.
 */
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:mgmt-port-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + MetricsOnTheManagementPortTest.PASSWORD,
        "management.server.port=0"})
@DirtiesContext
class MetricsOnTheManagementPortTest {
    static final String PASSWORD = "Mgmt-admin-password-1";

    @LocalServerPort int port;
    @LocalManagementPort int managementPort;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theScrapeIsOnTheManagementPortForAdminsOnly() throws Exception {
        assertThat(managementPort).isNotEqualTo(port);
        HttpResponse<String> scrape = get(managementPort, "/actuator/prometheus", true);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("switchboard_generations_in_flight");

        HttpResponse<String> anonymous = get(managementPort, "/actuator/prometheus", false);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(new ObjectMapper().readTree(anonymous.body()).at("/error/type").asText()).isEqualTo("unauthorized");
        assertThat(get(managementPort, "/actuator/health", false).statusCode()).isEqualTo(200);
    }

    @Test
    void theMainPortServesNoActuatorThen() throws Exception {
        for (String path : new String[] {"/actuator/prometheus", "/actuator/health"}) {
            HttpResponse<String> main = get(port, path, true);
            assertThat(main.statusCode()).as(path).isEqualTo(403);
            assertThat(new ObjectMapper().readTree(main.body()).at("/error/type").asText()).isEqualTo("forbidden");
        }
    }

    private HttpResponse<String> get(int port, String path, boolean asAdmin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (asAdmin) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
