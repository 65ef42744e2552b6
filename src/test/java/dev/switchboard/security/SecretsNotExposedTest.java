package dev.switchboard.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upstream API key and the single sign-on client secret show up in no HTTP answer (pages, Vaadin's initial UI
 * state, actuator and its Prometheus scrape, API errors) and in no log line, even when the upstream rejects the key
 * and a single sign-on fails, and both failures are logged and reported.
 */
@ExtendWith(OutputCaptureExtension.class) // before the Spring context starts, so startup logs are captured too
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:secrets-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + SecretsNotExposedTest.ADMIN_PASSWORD,
        "spring.security.oauth2.client.registration.corp.client-id=switchboard",
        "spring.security.oauth2.client.registration.corp.client-secret=" + SecretsNotExposedTest.CLIENT_SECRET,
        "spring.security.oauth2.client.registration.corp.scope=openid",
        "spring.security.oauth2.client.registration.corp.authorization-grant-type=authorization_code",
        "spring.security.oauth2.client.registration.corp.redirect-uri={baseUrl}/login/oauth2/code/{registrationId}",
        "spring.security.oauth2.client.provider.corp.authorization-uri=http://127.0.0.1:9/authorize",
        "spring.security.oauth2.client.provider.corp.token-uri=http://127.0.0.1:9/token",
        "spring.security.oauth2.client.provider.corp.jwk-set-uri=http://127.0.0.1:9/jwks",
        "spring.security.oauth2.client.provider.corp.user-name-attribute=sub"})
@AutoConfigureObservability(tracing = false) // the Prometheus scrape is one of the answers checked
@DirtiesContext
class SecretsNotExposedTest {
    static final String SECRET = "sk-test-SECRET-123456";
    static final String ADMIN_PASSWORD = "Admin-password-1";
    static final String CLIENT_SECRET = "sso-client-CLIENTSECRET-98765";
    private static final String FRAGMENT = "SECRET-123456";
    private static final String CLIENT_FRAGMENT = "CLIENTSECRET-98765";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A real upstream on a socket that rejects the key with 401, as a provider would. */
    private static final OfflineModelServer upstream = OfflineModelServer.start(0, Behavior.fast());

    @LocalServerPort int port;
    @org.springframework.beans.factory.annotation.Autowired org.springframework.jdbc.core.JdbcTemplate jdbc;
    @org.springframework.beans.factory.annotation.Autowired dev.switchboard.usage.JdbcUsageRecorder usage;

    @DynamicPropertySource
    static void upstream(DynamicPropertyRegistry r) {
        // All of the list in one property source: a list is bound from the highest source that has any of it.
        r.add("switchboard.upstreams[0].name", () -> "mock");
        r.add("switchboard.upstreams[0].base-url", upstream::baseUrl);
        r.add("switchboard.upstreams[0].api-key", () -> SECRET);
    }

    /**
     * What Vaadin sends to render a view: the bootstrap JSON, then the answer to the client's navigation event,
     * which holds the view's whole server-side state (texts, grid items, properties).
     */
    private static HttpResponse<String> renderView(Http http, String session, String route) throws Exception {
        HttpResponse<String> init = http.get("/?v-r=init&location=" + route, "Cookie", session);
        assertThat(init.statusCode()).as(route).isEqualTo(200);
        JsonNode config = JSON.readTree(init.body()).get("appConfig");
        String key = config.at("/uidl/Vaadin-Security-Key").asText();
        int ui = config.get("v-uiId").asInt();
        String navigate = "{\"csrfToken\": \"" + key + "\", \"syncId\": 0, \"clientId\": 0, \"rpc\": [{\"type\": \"event\","
                + " \"node\": 1, \"event\": \"ui-navigate\", \"data\": {\"route\": \"" + route + "\", \"query\": \"\","
                + " \"appShellTitle\": \"\", \"historyState\": {\"idx\": 0}, \"trigger\": \"\"}}]}";
        HttpResponse<String> uidl = http.postJson("/?v-r=uidl&v-uiId=" + ui, navigate, "Cookie", session);
        assertThat(uidl.statusCode()).as(route).isEqualTo(200);
        assertThat(init.body() + uidl.body()).doesNotContain(FRAGMENT).doesNotContain(CLIENT_FRAGMENT);
        return uidl;
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @Test
    void theKeyIsInNoResponseAndNoLogLine(CapturedOutput output) throws Exception {
        Http http = new Http(port);
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (String path : List.of("/", "/login", "/actuator/health", "/actuator/env", "/actuator/configprops",
                "/actuator/env/switchboard.upstreams%5B0%5D.api-key", "/actuator", "/api/admin/users", "/error", "/nope")) {
            responses.add(http.get(path));
        }
        String admin = Http.basic("admin", ADMIN_PASSWORD);
        for (String path : List.of("/actuator/env", "/actuator/configprops", "/actuator/health", "/actuator/prometheus",
                "/api/admin/users", "/api/usage", "/api/does-not-exist", "/api/chat")) {
            responses.add(http.get(path, "Authorization", admin));
        }
        // The upstream rejects the key: the error event and the logged failure must not repeat it.
        HttpResponse<String> chat = http.postJson("/api/chat", "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                "Authorization", admin);
        responses.add(chat);
        assertThat(chat.body()).contains("\"error\"");
        responses.add(http.postJson("/api/chat", "{\"model\": \"" + SECRET + "\", \"messages\": []}", "Authorization", admin));
        // A single sign-on that fails (an answer the app never asked for) is logged and sent back to the login page.
        responses.add(http.get("/oauth2/authorization/corp"));
        HttpResponse<String> sso = http.get("/login/oauth2/code/corp?code=forged&state=forged");
        assertThat(sso.headers().firstValue("Location").orElse("")).endsWith("/login?sso=failed");
        responses.add(sso);
        assertThat(responses.get(responses.size() - 2).headers().firstValue("Location").orElse(""))
                .as("the client id goes to the provider, the secret does not").contains("client_id=switchboard");

        String session = http.formLogin("admin", ADMIN_PASSWORD);
        for (String path : List.of("/", "/login", "/admin/upstreams", "/admin/users", "/account", "/api/tokens")) {
            responses.add(http.get(path, "Cookie", session));
        }
        for (String route : List.of("", "admin/upstreams", "admin/users", "admin/usage", "account")) {
            responses.add(renderView(http, session, route));
        }
        assertThat(responses.get(responses.size() - 4).body()).as("the upstreams view did render")
                .contains("In failover order");

        for (HttpResponse<String> r : responses) {
            for (String secret : List.of(FRAGMENT, CLIENT_FRAGMENT)) {
                assertThat(r.body()).as(r.request().method() + " " + r.uri() + " body").doesNotContain(secret);
                assertThat(r.headers().map().toString()).as(r.uri() + " headers").doesNotContain(secret);
            }
        }
        assertThat(output.getAll()).as("the captured log proves it captured the app").contains("Started")
                .contains("Upstream chain, in failover order: [mock]").contains("Upstream mock failed")
                .contains("Single sign-on via corp failed");
        assertThat(output.getAll()).as("the failure is logged, with the upstream's words masked")
                .contains("upstream said: Incorrect API key provided: Bearer ***");
        assertThat(output.getAll()).doesNotContain(FRAGMENT).doesNotContain(CLIENT_FRAGMENT);

        // The usage row keeps what the upstream said for the admin, masked.
        usage.flush();
        List<String> errors = jdbc.queryForList("SELECT error FROM usage_records WHERE error IS NOT NULL", String.class);
        assertThat(errors).isNotEmpty().allSatisfy(e -> assertThat(e).doesNotContain(FRAGMENT))
                .anySatisfy(e -> assertThat(e).contains("Incorrect API key provided: Bearer ***"));
    }
}
