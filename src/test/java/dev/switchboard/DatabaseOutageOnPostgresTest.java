package dev.switchboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.testsupport.MockUpstream;
import dev.switchboard.testsupport.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance whose PostgreSQL goes away: /actuator/health says DOWN (its db component), the reply already streaming
 * goes on to its end, and when PostgreSQL is back the instance is UP again without a restart and the reply's usage
 * row, held meanwhile, is written.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"switchboard.admin-password=Outage-admin-1", "spring.datasource.hikari.connection-timeout=1000"})
@DirtiesContext
class DatabaseOutageOnPostgresTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DATA = tempDirectory();
    private static EmbeddedPostgres server = TestPostgres.start(DATA, 0);
    private static final int PORT = server.getPort();
    private static final OfflineModelServer upstream = OfflineModelServer.start(0, Behavior.fast());

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        r.add("spring.datasource.url", () -> server.getJdbcUrl("postgres", "postgres"));
        r.add("spring.datasource.username", () -> "postgres");
        MockUpstream.register(r, 0, "mock", upstream);
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
        upstream.close();
    }

    @LocalServerPort
    int port;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anInstanceWithoutItsDatabaseIsDownKeepsStreamingAndRecoversByItself() throws Exception {
        JsonNode up = health();
        assertThat(up.get("status").asText()).isEqualTo("UP");
        assertThat(up.at("/components/db/status").asText()).isEqualTo("UP");
        assertThat(up.at("/components/db/details/database").asText()).isEqualTo("PostgreSQL");
        assertThat(health("/readiness").get("status").asText()).isEqualTo("UP");

        upstream.enqueue(Behavior.fast().withReplyTokens(60).withTokensPerSecond(20)); // ~3 s of reply
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(uri("/api/chat"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:Outage-admin-1".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        List<String> events = new ArrayList<>();
        String line;
        while ((line = lines.readLine()) != null && !line.contains("\"content\"")) events.add(line);

        server.close(); // PostgreSQL stops mid-reply
        long down = System.nanoTime();
        JsonNode health = health();
        System.out.printf("[measure] /actuator/health with PostgreSQL stopped answered %s in %d ms%n",
                health.get("status").asText(), (System.nanoTime() - down) / 1_000_000);
        assertThat(health.get("status").asText()).isEqualTo("DOWN");
        assertThat(health.at("/components/db/status").asText()).isEqualTo("DOWN");
        assertThat(health("/readiness").get("status").asText()).isEqualTo("DOWN"); // what the load balancer asks

        while ((line = lines.readLine()) != null) events.add(line);
        assertThat(events).anyMatch(e -> e.contains("\"usage\"")).contains("data: [DONE]")
                .noneMatch(e -> e.contains("\"error\""));

        server = TestPostgres.start(DATA, PORT); // back, same files, same port
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> health().get("status").asText().equals("UP"));
        assertThat(health("/readiness").get("status").asText()).isEqualTo("UP");
        await().atMost(Duration.ofSeconds(20)).until(() -> usageRows() == 1); // written once the writer got through
    }

    private long usageRows() {
        try (var c = server.getPostgresDatabase().getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT COUNT(*) FROM usage_records")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }

    private JsonNode health() throws Exception {
        return health("");
    }

    private JsonNode health(String group) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(uri("/actuator/health" + group)).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static Path tempDirectory() {
        try {
            return Files.createTempDirectory("sb-outage-pg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
