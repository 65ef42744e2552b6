package dev.switchboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The documented switch {@code logging.structured.format.console=ecs}: every log line is one JSON object (Elastic
 * Common Schema), the app's warnings included (a rejected upstream key, a failed single sign-on), and neither the
 * upstream's key nor the single sign-on client secret is in any of them.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "logging.structured.format.console=ecs",
        "spring.datasource.url=jdbc:h2:mem:json-logs-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + JsonLogsTest.PASSWORD,
        "spring.security.oauth2.client.registration.corp.client-id=switchboard",
        "spring.security.oauth2.client.registration.corp.client-secret=" + JsonLogsTest.CLIENT_SECRET,
        "spring.security.oauth2.client.registration.corp.scope=openid",
        "spring.security.oauth2.client.registration.corp.authorization-grant-type=authorization_code",
        "spring.security.oauth2.client.registration.corp.redirect-uri={baseUrl}/login/oauth2/code/{registrationId}",
        "spring.security.oauth2.client.provider.corp.authorization-uri=http://127.0.0.1:9/authorize",
        "spring.security.oauth2.client.provider.corp.token-uri=http://127.0.0.1:9/token",
        "spring.security.oauth2.client.provider.corp.jwk-set-uri=http://127.0.0.1:9/jwks",
        "spring.security.oauth2.client.provider.corp.user-name-attribute=sub"})
@DirtiesContext
class JsonLogsTest {
    static final String PASSWORD = "Json-logs-admin-1";
    static final String UPSTREAM_KEY = "sk-json-UPSTREAMKEY-4242";
    static final String CLIENT_SECRET = "sso-json-CLIENTSECRET-4242";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.regex.Pattern PLAIN_LOG_LINE = java.util.regex.Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:");
    /** Rejects the key with 401, as a provider would: the app logs the failure. */
    private static final OfflineModelServer upstream = OfflineModelServer.start(0, Behavior.failing(401));

    @DynamicPropertySource
    static void upstream(DynamicPropertyRegistry r) {
        // All of the list in one property source: a list is bound from the highest source that has any of it.
        r.add("switchboard.upstreams[0].name", () -> "mock");
        r.add("switchboard.upstreams[0].base-url", upstream::baseUrl);
        r.add("switchboard.upstreams[0].api-key", () -> UPSTREAM_KEY);
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @LocalServerPort int port;

    @Test
    void everyLineIsJsonWithTheWarningsAndNoSecret(CapturedOutput output) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> chat = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/chat"))
                .header("Authorization", basic).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chat.body()).contains("\"error\"");
        // A provider's answer that the app did not ask for: Spring refuses it, our handler logs it.
        HttpResponse<String> callback = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/login/oauth2/code/corp?code=forged&state=forged")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(callback.headers().firstValue("Location").orElse("")).endsWith("/login?sso=failed");

        List<JsonNode> lines = await().until(() -> json(output), all -> all.stream().anyMatch(l -> warning(l, "SsoFailureHandler"))
                && all.stream().anyMatch(l -> warning(l, "Route")));
        assertThat(lines).anySatisfy(l -> assertThat(l.get("message").asText()).startsWith("Started JsonLogsTest"));
        assertThat(lines).allSatisfy(l -> assertThat(l.has("@timestamp") && l.at("/log/level").isTextual() && l.has("message"))
                .as("an ECS line: %s", l).isTrue());
        assertThat(lines).anySatisfy(l -> assertThat(l.get("message").asText()).isEqualTo("Upstream chain, in failover order: [mock]"));
        assertThat(output.getAll()).doesNotContain("UPSTREAMKEY").doesNotContain("CLIENTSECRET");
    }

    /**
     * The captured log lines from the app's first on, each parsed as JSON (failing on any that is not). Lines before
     * it are the test framework's, written while another test's context had set up the logging.
     */
    private static List<JsonNode> json(CapturedOutput output) {
        List<JsonNode> out = new ArrayList<>();
        String all = output.getOut();
        int first = all.startsWith("{") ? 0 : all.indexOf("\n{") + 1;
        for (String line : all.substring(first).split("\n")) {
            // Only log lines: the JVM itself may print a note of its own, never in the log's format.
            if (!line.startsWith("{") && !PLAIN_LOG_LINE.matcher(line).find()) continue;
            try {
                out.add(JSON.readTree(line));
            } catch (Exception e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
        }
        return out;
    }

    private static boolean warning(JsonNode line, String logger) {
        return "WARN".equals(line.at("/log/level").asText()) && line.at("/log/logger").asText().endsWith("." + logger);
    }
}
