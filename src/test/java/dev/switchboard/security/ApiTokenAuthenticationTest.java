package dev.switchboard.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Personal API tokens: created with Basic, shown once, stored hashed, accepted as Bearer until revoked. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:sec-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1"})
@DirtiesContext
class ApiTokenAuthenticationTest {

    private static final String USER = "tina";
    private static final String PASSWORD = "tina-password-1";

    @LocalServerPort
    int port;
    @Autowired
    UserAccounts accounts;
    @Autowired
    JdbcClient jdbc;

    private final ObjectMapper json = new ObjectMapper();
    private Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        if (accounts.findByUsername(USER).isEmpty()) {
            accounts.create(USER, PASSWORD, Role.USER);
        }
    }

    @Test
    void basicCreatesATokenThatBearerUsesUntilRevoked() throws Exception {
        HttpResponse<String> created = http.postJson("/api/tokens", "{\"name\": \"laptop\"}",
                "Authorization", Http.basic(USER, PASSWORD));
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = json.readTree(created.body());
        String token = body.get("token").asText();
        assertThat(token).startsWith("sb_").hasSizeGreaterThanOrEqualTo(40);

        // Only the SHA-256 is stored.
        assertThat(jdbc.sql("SELECT COUNT(*) FROM api_tokens WHERE token_hash = ?").param(token)
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM api_tokens WHERE token_hash = ?").param(ApiTokens.sha256(token))
                .query(Long.class).single()).isOne();

        HttpResponse<String> listed = http.get("/api/tokens", "Authorization", "Bearer " + token);
        assertThat(listed.statusCode()).isEqualTo(200);
        long id = body.get("id").asLong();
        JsonNode mine = null;
        for (JsonNode t : json.readTree(listed.body())) {
            if (t.get("id").asLong() == id) {
                mine = t;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.get("name").asText()).isEqualTo("laptop");
        assertThat(mine.get("createdAt").asText()).isNotBlank();
        assertThat(mine.get("lastUsedAt").isNull()).isFalse();
        assertThat(listed.body()).doesNotContain(token).doesNotContain(ApiTokens.sha256(token));

        assertThat(http.delete("/api/tokens/" + id, "Authorization", Http.basic(USER, PASSWORD)).statusCode())
                .isEqualTo(204);

        HttpResponse<String> revoked = http.get("/api/tokens", "Authorization", "Bearer " + token);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(json.readTree(revoked.body()).at("/error/type").asText()).isEqualTo("unauthorized");
    }

    @Test
    void postWithoutBodyGetsADefaultName() throws Exception {
        HttpResponse<String> created = http.post("/api/tokens", "", "Authorization", Http.basic(USER, PASSWORD));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json.readTree(created.body()).get("name").asText()).isEqualTo("API token");
    }

    @Test
    void unknownTokenIs401AndATokenCannotMintTokens() throws Exception {
        HttpResponse<String> unknown = http.get("/api/tokens", "Authorization", "Bearer sb_not-a-real-token");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");

        String token = json.readTree(http.post("/api/tokens", "", "Authorization", Http.basic(USER, PASSWORD)).body())
                .get("token").asText();
        HttpResponse<String> minted = http.post("/api/tokens", "", "Authorization", "Bearer " + token);
        assertThat(minted.statusCode()).isEqualTo(403);
        assertThat(json.readTree(minted.body()).at("/error/type").asText()).isEqualTo("forbidden");
    }

    @Test
    void cannotRevokeSomeoneElsesToken() throws Exception {
        long id = json.readTree(http.post("/api/tokens", "", "Authorization", Http.basic(USER, PASSWORD)).body())
                .get("id").asLong();
        HttpResponse<String> response = http.delete("/api/tokens/" + id,
                "Authorization", Http.basic("admin", "Admin-password-1"));
        assertThat(response.statusCode()).isEqualTo(404);
    }

    /** A new USER and a fresh API token of theirs. */
    private String newUserWithToken(String username) throws Exception {
        accounts.create(username, username + "-password-1", Role.USER);
        return json.readTree(http.post("/api/tokens", "", "Authorization",
                Http.basic(username, username + "-password-1")).body()).get("token").asText();
    }

    @Test
    void disabledUsersTokensStopWorking() throws Exception {
        String token = newUserWithToken("dora");
        assertThat(http.get("/api/tokens", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        accounts.setEnabled("dora", false);
        assertThat(http.get("/api/tokens", "Authorization", "Bearer " + token).statusCode()).isEqualTo(401);
    }

    @Test
    void aRoleChangeAppliesToTheNextRequestOfAKnownToken() throws Exception {
        String token = newUserWithToken("rolf");
        assertThat(http.get("/api/admin/users", "Authorization", "Bearer " + token).statusCode()).isEqualTo(403);
        accounts.setRole("rolf", Role.ADMIN);
        assertThat(http.get("/api/admin/users", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        accounts.setRole("rolf", Role.USER);
        assertThat(http.get("/api/admin/users", "Authorization", "Bearer " + token).statusCode()).isEqualTo(403);
    }

    @Test
    void aKnownTokenNotesItsLastUseWithoutAWritePerRequest() throws Exception {
        String token = json.readTree(http.post("/api/tokens", "", "Authorization", Http.basic(USER, PASSWORD)).body())
                .get("token").asText();
        assertThat(http.get("/api/tokens", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        String hash = ApiTokens.sha256(token);
        var firstUse = jdbc.sql("SELECT last_used_at FROM api_tokens WHERE token_hash = ?").param(hash)
                .query(java.time.OffsetDateTime.class).single();
        assertThat(firstUse).isNotNull();
        jdbc.sql("UPDATE api_tokens SET last_used_at = NULL WHERE token_hash = ?").param(hash).update();
        assertThat(http.get("/api/tokens", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT last_used_at IS NULL FROM api_tokens WHERE token_hash = ?").param(hash)
                .query(Boolean.class).single()).isTrue(); // within the minute: no second write
    }
}
