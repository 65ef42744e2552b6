package dev.switchboard.chat.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.chat.ConversationFixtures;
import dev.switchboard.chat.ConversationStore;
import dev.switchboard.security.ApiTokens;
import dev.switchboard.testsupport.LoginForm;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** GET/PATCH/DELETE /api/conversations over real HTTP: own conversations only, another user's id is a 404. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:conversations-api-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1"})
@DirtiesContext
class ConversationsApiTest {
    private static final String PASSWORD = "a-long-password-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort int port;
    @Autowired UserAccounts accounts;
    @Autowired ConversationStore store;
    @Autowired ApiTokens tokens;
    @Autowired JdbcClient jdbc;

    private ConversationFixtures fixtures;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @BeforeEach
    void users() {
        fixtures = new ConversationFixtures(store);
        jdbc.sql("DELETE FROM conversations").update();
        for (String u : List.of("carol", "dave")) {
            if (accounts.findByUsername(u).isEmpty()) accounts.create(u, PASSWORD, Role.USER);
        }
    }

    @Test
    void listShowsOnlyTheCallersConversationsPinnedThenNewestFirst() throws Exception {
        String older = fixtures.conversation("carol", "Older", now.minusSeconds(3600), "a");
        String newer = fixtures.conversation("carol", "Newer", now, "b");
        fixtures.conversation("dave", "Dave's secret", now, "c");

        JsonNode page = json(send("carol", "GET", "/api/conversations", null), 200);
        assertThat(titles(page)).containsExactly("Newer", "Older");
        assertThat(page.get("more").asBoolean()).isFalse();

        send("carol", "PATCH", "/api/conversations/" + older, "{\"pinned\": true}");
        assertThat(titles(json(send("carol", "GET", "/api/conversations", null), 200))).containsExactly("Older", "Newer");
        assertThat(titles(json(send("carol", "GET", "/api/conversations?size=1", null), 200))).containsExactly("Older");
        JsonNode second = json(send("carol", "GET", "/api/conversations?size=1&page=1", null), 200);
        assertThat(titles(second)).containsExactly("Newer");
        assertThat(second.get("conversations").get(0).get("id").asText()).isEqualTo(newer);
    }

    @Test
    void searchMatchesTitlesAndMessageTextCaseInsensitively() throws Exception {
        fixtures.conversation("carol", "Holiday plans", now, "Where to go?");
        fixtures.conversation("carol", "Cooking", now.minusSeconds(10), "How long to boil an EGG 100% right?");
        fixtures.conversation("dave", "Egg secrets", now, "egg");

        assertThat(titles(json(send("carol", "GET", "/api/conversations?q=holiday", null), 200))).containsExactly("Holiday plans");
        assertThat(titles(json(send("carol", "GET", "/api/conversations?q=egg", null), 200))).containsExactly("Cooking");
        assertThat(titles(json(send("carol", "GET", "/api/conversations?q=100%25", null), 200))).containsExactly("Cooking");
        assertThat(titles(json(send("carol", "GET", "/api/conversations?q=nothing-like-it", null), 200))).isEmpty();
    }

    @Test
    void oneConversationComesWithEveryMessageAndVersion() throws Exception {
        String id = fixtures.conversation("carol", "Two turns", now, "first", "second");
        long firstQuestion = store.find("carol", id).orElseThrow().messages().get(0).id();
        fixtures.reply(id, firstQuestion, "Another answer", now);

        JsonNode c = json(send("carol", "GET", "/api/conversations/" + id, null), 200);
        assertThat(c.get("title").asText()).isEqualTo("Two turns");
        List<String> contents = new ArrayList<>();
        c.get("messages").forEach(m -> contents.add(m.get("role").asText() + ": " + m.get("content").asText()));
        assertThat(contents).containsExactly("user: first", "assistant: Answer to: first", "user: second",
                "assistant: Answer to: second", "assistant: Another answer");
        assertThat(c.get("messages").get(4).get("parentId").asLong()).isEqualTo(firstQuestion);
        assertThat(c.get("messages").get(1).get("usage").get("promptTokens").asLong()).isEqualTo(10);
    }

    @Test
    void anotherUsersConversationIsNotFoundForEveryMethodAndStaysUntouched() throws Exception {
        String daves = fixtures.conversation("dave", "Dave's secret", now, "private words");

        for (HttpResponse<String> r : List.of(
                send("carol", "GET", "/api/conversations/" + daves, null),
                send("carol", "PATCH", "/api/conversations/" + daves, "{\"title\": \"Mine now\"}"),
                send("carol", "DELETE", "/api/conversations/" + daves, null),
                send("carol", "GET", "/api/conversations/" + daves + "/export?format=json", null),
                send("carol", "GET", "/api/conversations/no-such-id", null))) {
            JsonNode error = json(r, 404);
            assertThat(error.get("error").get("type").asText()).isEqualTo("not_found");
            assertThat(r.body()).doesNotContain("Dave").doesNotContain("private");
        }
        assertThat(store.find("dave", daves).orElseThrow().summary().title()).isEqualTo("Dave's secret");
    }

    @Test
    void patchRenamesAndPinsWithValidatedBody() throws Exception {
        String id = fixtures.conversation("carol", "Old title", now, "x");

        JsonNode renamed = json(send("carol", "PATCH", "/api/conversations/" + id, "{\"title\": \"New title\", \"pinned\": true}"), 200);
        assertThat(renamed.get("title").asText()).isEqualTo("New title");
        assertThat(renamed.get("pinned").asBoolean()).isTrue();

        JsonNode blank = json(send("carol", "PATCH", "/api/conversations/" + id, "{\"title\": \"  \"}"), 400);
        assertThat(blank.get("error").get("message").asText()).contains("blank");
        JsonNode empty = json(send("carol", "PATCH", "/api/conversations/" + id, "{}"), 400);
        assertThat(empty.get("error").get("message").asText()).contains("Nothing to change");
        JsonNode tooLong = json(send("carol", "PATCH", "/api/conversations/" + id, "{\"title\": \"" + "x".repeat(201) + "\"}"), 400);
        assertThat(tooLong.get("error").get("message").asText()).contains("200");
        json(send("carol", "PATCH", "/api/conversations/" + id, "{\"title\": "), 400);
        json(send("carol", "GET", "/api/conversations?size=0", null), 400);
        assertThat(store.find("carol", id).orElseThrow().summary().title()).isEqualTo("New title");
    }

    @Test
    void deleteRemovesTheConversationAndItsMessages() throws Exception {
        String id = fixtures.conversation("carol", "Doomed", now, "x", "y");

        HttpResponse<String> deleted = send("carol", "DELETE", "/api/conversations/" + id, null);
        assertThat(deleted.statusCode()).isEqualTo(204);
        json(send("carol", "GET", "/api/conversations/" + id, null), 404);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM messages WHERE conversation_id = ?").param(id).query(Long.class).single()).isZero();
        json(send("carol", "DELETE", "/api/conversations/" + id, null), 404);
    }

    @Test
    void exportsMarkdownAndOpenAiMessages() throws Exception {
        String id = fixtures.conversation("carol", "Export me", now, "Hello **there**");

        HttpResponse<String> md = send("carol", "GET", "/api/conversations/" + id + "/export?format=markdown", null);
        assertThat(md.statusCode()).isEqualTo(200);
        assertThat(md.headers().firstValue("Content-Disposition").orElse("")).contains("attachment").contains("Export-me.md");
        assertThat(md.body()).startsWith("# Export me").contains("## You\n\nHello **there**").contains("Answer to: Hello **there**");

        JsonNode openAi = json(send("carol", "GET", "/api/conversations/" + id + "/export?format=json", null), 200);
        assertThat(openAi.get("messages").toString())
                .isEqualTo("[{\"role\":\"user\",\"content\":\"Hello **there**\"},{\"role\":\"assistant\",\"content\":\"Answer to: Hello **there**\"}]");
        json(send("carol", "GET", "/api/conversations/" + id + "/export?format=pdf", null), 400);
    }

    @Test
    void aPersonalTokenWorksAsWellAsBasicAndNoCredentialsIs401() throws Exception {
        fixtures.conversation("carol", "Token time", now, "x");
        String token = tokens.create("carol", "test").token();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/conversations"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(titles(json(r, 200))).containsExactly("Token time");
        json(send(null, "GET", "/api/conversations", null), 401);
    }

    @Test
    void aBrowserSessionWorksTooAndChangesNeedItsCsrfToken() throws Exception {
        String id = fixtures.conversation("carol", "Session time", now, "x");
        HttpResponse<String> login = LoginForm.post(http, port, "carol", PASSWORD);
        String cookie = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow(() -> new AssertionError("no session: " + login.headers().map()));

        assertThat(titles(json(withCookie(cookie, "GET", "/api/conversations", null, null), 200))).containsExactly("Session time");
        JsonNode refused = json(withCookie(cookie, "PATCH", "/api/conversations/" + id, "{\"pinned\": true}", null), 403);
        assertThat(refused.get("error").get("message").asText()).contains("CSRF");
        String token = JSON.readTree(withCookie(cookie, "GET", "/api/csrf", null, null).body()).get("token").asText();
        assertThat(json(withCookie(cookie, "PATCH", "/api/conversations/" + id, "{\"pinned\": true}", token), 200)
                .get("pinned").asBoolean()).isTrue();
    }

    private HttpResponse<String> withCookie(String cookie, String method, String path, String body, String csrf) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json").header("Cookie", cookie)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (csrf != null) b.header("X-CSRF-TOKEN", csrf);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String user, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as("status of %s: %s", r.request().uri(), r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return JSON.readTree(r.body());
    }

    private static List<String> titles(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("conversations").forEach(c -> out.add(c.get("title").asText()));
        return out;
    }
}
