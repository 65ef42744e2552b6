package dev.switchboard.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.testsupport.MockUpstream;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API's answers to bad input, as a table: method, path, who asks, body → status, error type and a fragment of
 * the message. Covers /api/chat, /api/tokens, /api/conversations, /api/admin/users and /api/usage; nothing here may
 * reach the upstream. Every row, framework faults included, must answer with the API error body
 * {"error": {"message", "type"}}. Bodies are JSON in UTF-8 only; numbers in paths and parameters ASCII digits only.
 * (What Tomcat itself refuses: TomcatRejectionsTableTest.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:badinput-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + BadInputTableTest.ADMIN_PASSWORD})
@DirtiesContext
class BadInputTableTest {
    static final String ADMIN_PASSWORD = "Admin-password-1";
    private static final String USER_PASSWORD = "ursula-password-1";
    private static final String CHAT = "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OfflineModelServer upstream = OfflineModelServer.start(0, Behavior.fast());
    private static String userToken;
    private static String revokedToken;
    private static long adminTokenId;

    @LocalServerPort int port;
    @Autowired UserAccounts accounts;
    @Autowired ApiTokens tokens;
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @DynamicPropertySource
    static void mockUpstream(DynamicPropertyRegistry r) {
        MockUpstream.register(r, 0, "mock", upstream);
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @BeforeEach
    void fixtures() {
        if (accounts.findByUsername("ursula").isPresent()) return;
        accounts.create("ursula", USER_PASSWORD, Role.USER);
        accounts.create("dora-disabled", "dora-password-1", Role.USER);
        accounts.setEnabled("dora-disabled", false);
        userToken = tokens.create("ursula", "valid").token();
        ApiTokens.CreatedToken revoked = tokens.create("ursula", "revoked");
        tokens.revoke("ursula", revoked.id());
        revokedToken = revoked.token();
        adminTokenId = tokens.create("admin", "admin's").id();
    }

    @ParameterizedTest(name = "{index}: {0} {1} as {2} -> {4}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "-", textBlock = """
            POST   | /api/chat                    | none       | CHAT                                          | 401 | unauthorized          | Authentication required
            POST   | /api/chat                    | badtoken   | CHAT                                          | 401 | unauthorized          | Invalid or revoked API token
            POST   | /api/chat                    | emptytoken | CHAT                                          | 401 | unauthorized          | Authentication required
            POST   | /api/chat                    | revoked    | CHAT                                          | 401 | unauthorized          | Invalid or revoked API token
            POST   | /api/chat                    | wrongpw    | CHAT                                          | 401 | unauthorized          | Invalid username or password
            POST   | /api/chat                    | nobody     | CHAT                                          | 401 | unauthorized          | Invalid username or password
            POST   | /api/chat                    | disabled   | CHAT                                          | 401 | unauthorized          | Invalid username or password
            POST   | /api/chat                    | badbasic   | CHAT                                          | 401 | unauthorized          | Invalid username or password
            POST   | /api/chat                    | session    | CHAT                                          | 403 | forbidden             | CSRF
            POST   | /api/chat                    | user       | {"messages": [                                | 400 | invalid_request_error | not valid JSON
            POST   | /api/chat                    | user       | -                                             | 400 | invalid_request_error | JSON object
            POST   | /api/chat                    | user       | {"messages": []}                              | 400 | invalid_request_error | must not be empty
            POST   | /api/chat                    | user       | {"messages": [{"role": "robot", "content": "x"}]} | 400 | invalid_request_error | must be one of system, user, assistant
            POST   | /api/chat                    | user       | {"messages": [{"role": "tool", "content": "x"}]} | 400 | invalid_request_error | tool_call_id is required
            POST   | /api/chat                    | user       | {"messages": [{"role": "user", "content": {"$gt": ""}}]} | 400 | invalid_request_error | content must be a string
            POST   | /api/chat                    | user       | {"messages": [{"role": "system", "content": "obey"}]} | 400 | invalid_request_error | at least one user message
            POST   | /api/chat                    | user       | {"model": "gpt-9-ultra", "messages": [{"role": "user", "content": "x"}]} | 400 | invalid_request_error | Unknown model
            POST   | /api/chat                    | user       | {"model": "../../etc/passwd", "messages": [{"role": "user", "content": "x"}]} | 400 | invalid_request_error | Unknown model
            POST   | /api/chat                    | user       | LONG_MESSAGE                                  | 400 | invalid_request_error | 100000 characters
            POST   | /api/chat                    | user       | BIG_BODY                                      | 413 | request_too_large     | 1 MB
            POST   | /api/chat                    | user       | CHAT_AS_TEXT                                  | 415 | invalid_request_error | application/json
            POST   | /api/chat                    | user       | CHAT_WITHOUT_TYPE                             | 415 | invalid_request_error | application/json
            POST   | /api/chat                    | user       | CHAT_UTF16                                    | 400 | invalid_request_error | not valid JSON
            POST   | /api/chat                    | user       | CHAT_UTF16_BOM                                | 400 | invalid_request_error | not UTF-8
            POST   | /api/chat                    | user       | CHAT_DECLARED_UTF16                           | 400 | invalid_request_error | must be UTF-8
            POST   | /api/chat                    | user       | CHAT_DECLARED_LATIN1                          | 400 | invalid_request_error | must be UTF-8
            POST   | /api/chat                    | user       | CHAT_DECLARED_BOGUS                           | 400 | invalid_request_error | must be UTF-8
            GET    | /api/chat                    | user       | -                                             | 405 | method_not_allowed    | Method GET is not allowed
            POST   | /api/chat                    | usertoken  | {"messages": [                                | 400 | invalid_request_error | not valid JSON
            POST   | /api/chat                    | usertoken  | {"messages": [{"role": "system", "content": "obey"}]} | 400 | invalid_request_error | at least one user message
            POST   | /api/chat                    | usertoken  | {"model": "../../etc/passwd", "messages": [{"role": "user", "content": "x"}]} | 400 | invalid_request_error | Unknown model
            POST   | /api/chat                    | usertoken  | BIG_BODY                                      | 413 | request_too_large     | 1 MB
            GET    | /api/chat                    | usertoken  | -                                             | 405 | method_not_allowed    | Method GET is not allowed
            POST   | /api/chat/extra              | usertoken  | CHAT                                          | 404 | not_found             | There is no POST /api/chat/extra
            GET    | /api/nothing-here            | user       | -                                             | 404 | not_found             | There is no GET /api/nothing-here in the API
            POST   | /api/chat/extra              | user       | CHAT                                          | 404 | not_found             | There is no POST /api/chat/extra
            GET    | /api/tokens                  | none       | -                                             | 401 | unauthorized          | Authentication required
            POST   | /api/tokens                  | usertoken  | {"name": "minted by a token"}                 | 403 | forbidden             | not with a token
            POST   | /api/tokens                  | user       | LONG_NAME                                     | 400 | invalid_request_error | at most 100 characters
            POST   | /api/tokens                  | user       | {"name": [                                    | 400 | invalid_request_error | not valid JSON
            POST   | /api/tokens                  | session    | {"name": "csrf"}                              | 403 | forbidden             | CSRF
            POST   | /api/tokens                  | user       | null                                          | 400 | invalid_request_error | not null
            POST   | /api/tokens                  | user       | {"name": "x", "scopes": ["admin"]}            | 400 | invalid_request_error | Unknown field 'scopes'
            POST   | /api/tokens                  | user       | {"name": "x"} {"name": "y"}                   | 400 | invalid_request_error | not valid JSON
            POST   | /api/tokens                  | user       | TOKEN_AS_TEXT                                 | 415 | invalid_request_error | application/json
            POST   | /api/tokens                  | user       | TOKEN_UTF16                                   | 400 | invalid_request_error | not valid JSON
            POST   | /api/tokens                  | user       | TOKEN_UTF16_BOM                               | 400 | invalid_request_error | not UTF-8
            POST   | /api/tokens                  | user       | TOKEN_DECLARED_UTF16                          | 400 | invalid_request_error | must be UTF-8
            DELETE | /api/tokens/ADMIN_TOKEN_ID   | user       | -                                             | 404 | not_found             | no active token
            DELETE | /api/tokens/999999           | user       | -                                             | 404 | not_found             | no active token
            DELETE | /api/tokens/abc              | user       | -                                             | 400 | invalid_request_error | 'id' is missing or malformed
            DELETE | /api/tokens/%D9%A1           | user       | -                                             | 400 | invalid_request_error | 'id' is missing or malformed
            DELETE | /api/tokens/%EF%BC%91        | user       | -                                             | 400 | invalid_request_error | 'id' is missing or malformed
            DELETE | /api/tokens/0x1              | user       | -                                             | 400 | invalid_request_error | 'id' is missing or malformed
            DELETE | /api/tokens/+1               | user       | -                                             | 400 | invalid_request_error | 'id' is missing or malformed
            GET    | /api/conversations?page=%D9%A1 | user     | -                                             | 400 | invalid_request_error | 'page' is missing or malformed
            GET    | /api/conversations?size=%DB%B5%DB%B0 | user | -                                           | 400 | invalid_request_error | 'size' is missing or malformed
            PATCH  | /api/conversations/nope      | user       | {"title": "t", "owner": "admin"}              | 400 | invalid_request_error | Unknown field 'owner'
            PATCH  | /api/conversations/nope      | user       | null                                          | 400 | invalid_request_error | not null
            GET    | /api/admin/users             | none       | -                                             | 401 | unauthorized          | Authentication required
            GET    | /api/admin/users             | user       | -                                             | 403 | forbidden             | not allowed
            POST   | /api/admin/users             | usertoken  | {"username": "x1", "password": "long-enough-pw", "role": "ADMIN"} | 403 | forbidden | not allowed
            PATCH  | /api/admin/users/ursula      | user       | {"role": "ADMIN"}                             | 403 | forbidden             | not allowed
            POST   | /api/admin/users             | session    | {"username": "x2", "password": "long-enough-pw", "role": "ADMIN"} | 403 | forbidden | CSRF
            POST   | /api/admin/users             | admin      | {"username": "x3",                            | 400 | invalid_request_error | not valid JSON
            POST   | /api/admin/users             | admin      | {"username": "x4", "password": "long-enough-pw", "role": "ROOT"} | 400 | invalid_request_error | must be USER or ADMIN
            POST   | /api/admin/users             | admin      | {"username": "x5", "password": "short", "role": "USER"} | 400 | invalid_request_error | at least 12 characters
            POST   | /api/admin/users             | admin      | {"username": "x6-long-name", "password": "X6-LONG-NAME", "role": "USER"} | 400 | invalid_request_error | same as the username
            POST   | /api/admin/users             | admin      | {"username": "<script>alert(1)</script>", "password": "long-enough-pw", "role": "USER"} | 400 | invalid_request_error | A username has
            POST   | /api/admin/users             | admin      | {"username": "x7", "password": "long-enough-pw", "role": "USER", "dailyTokenQuota": -1} | 400 | invalid_request_error | 0 or more
            POST   | /api/admin/users             | admin      | {"username": "x8", "password": "long-enough-pw", "role": "USER", "isAdmin": true} | 400 | invalid_request_error | Unknown field 'isAdmin'
            POST   | /api/admin/users             | admin      | {"username": "URSULA", "password": "long-enough-pw", "role": "USER"} | 409 | conflict | already taken
            POST   | /api/admin/users             | admin      | BIG_BODY                                      | 413 | request_too_large     | 64 KB
            POST   | /api/admin/users             | admin      | USER_AS_TEXT                                  | 415 | invalid_request_error | application/json
            POST   | /api/admin/users             | admin      | USER_UTF16_BOM                                | 400 | invalid_request_error | not UTF-8
            PATCH  | /api/admin/users/nobody      | admin      | {"enabled": false}                            | 404 | not_found             | There is no user 'nobody'
            PATCH  | /api/admin/users/%27%20OR%20%271%27%3D%271 | admin | {"enabled": false}                   | 404 | not_found             | There is no user
            PATCH  | /api/admin/users/admin       | admin      | {"role": "USER"}                              | 409 | conflict              | last enabled admin
            PATCH  | /api/admin/users/ursula      | admin      | {"enabled": "false"}                          | 400 | invalid_request_error | must be true or false
            PATCH  | /api/admin/users/ursula      | admin      | {"dailyTokenQuota": 99999999999999999999999}  | 400 | invalid_request_error | whole number
            PUT    | /api/admin/users/ursula      | admin      | {"role": "ADMIN"}                             | 405 | method_not_allowed    | Method PUT is not allowed
            GET    | /api/usage                   | none       | -                                             | 401 | unauthorized          | Authentication required
            GET    | /api/usage?from=2025-13-01   | user       | -                                             | 400 | invalid_request_error | must be a date YYYY-MM-DD
            GET    | /api/usage?from=2025-13-01   | admin      | -                                             | 400 | invalid_request_error | must be a date YYYY-MM-DD
            GET    | /api/usage?to=yesterday      | admin      | -                                             | 400 | invalid_request_error | must be a date YYYY-MM-DD
            GET    | /api/usage?from=2025-02-01&to=2025-01-01 | admin | -                                    | 400 | invalid_request_error | is after
            GET    | /api/usage?from=2000-01-01&to=2025-01-01 | admin | -                                    | 400 | invalid_request_error | longer than
            GET    | /api/usage?groupBy=planet    | admin      | -                                             | 400 | invalid_request_error | must be one of user, model, day, upstream
            GET    | /api/usage?format=xml        | admin      | -                                             | 400 | invalid_request_error | json or csv
            """)
    void badInputGetsItsStatusAndError(String method, String path, String auth, String body, int status, String type,
                                       String message) throws Exception {
        int upstreamCalls = upstream.calls();
        HttpResponse<String> r = send(method, path.replace("ADMIN_TOKEN_ID", Long.toString(adminTokenId)), auth, body(body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode json = JSON.readTree(r.body());
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(json.at("/error/type").asText()).isEqualTo(type);
        assertThat(json.at("/error/message").asText()).contains(message);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at dev.").doesNotContain("$2a$");
        assertThat(upstream.calls()).as("nothing reaches the upstream").isEqualTo(upstreamCalls);
    }

    /** A request body: its bytes and its Content-Type (null: none sent). */
    private record Body(byte[] bytes, String type) {
        static Body json(String text) {
            return new Body(text.getBytes(StandardCharsets.UTF_8), "application/json");
        }
    }

    private static final String TOKEN = "{\"name\": \"x\"}";
    private static final String USER = "{\"username\": \"x9\", \"password\": \"long-enough-pw\", \"role\": \"USER\"}";
    private static final byte[] UTF16_BOM = {(byte) 0xFF, (byte) 0xFE};

    private static Body body(String body) {
        if (body == null) return null;
        return switch (body) {
            case "CHAT" -> Body.json(CHAT);
            case "LONG_MESSAGE" -> Body.json("{\"messages\": [{\"role\": \"user\", \"content\": \"" + "b".repeat(100_001) + "\"}]}");
            case "BIG_BODY" -> Body.json("{\"messages\": [{\"role\": \"user\", \"content\": \"" + "a".repeat(1024 * 1024 + 10) + "\"}]}");
            case "LONG_NAME" -> Body.json("{\"name\": \"" + "n".repeat(101) + "\"}");
            case "CHAT_AS_TEXT" -> new Body(CHAT.getBytes(StandardCharsets.UTF_8), "text/plain");
            case "CHAT_WITHOUT_TYPE" -> new Body(CHAT.getBytes(StandardCharsets.UTF_8), null);
            case "CHAT_UTF16" -> new Body(CHAT.getBytes(StandardCharsets.UTF_16LE), "application/json");
            case "CHAT_UTF16_BOM" -> new Body(withBom(CHAT), "application/json");
            case "CHAT_DECLARED_UTF16" -> new Body(CHAT.getBytes(StandardCharsets.UTF_16), "application/json; charset=utf-16");
            case "CHAT_DECLARED_LATIN1" -> new Body(CHAT.getBytes(StandardCharsets.ISO_8859_1), "application/json; charset=iso-8859-1");
            case "CHAT_DECLARED_BOGUS" -> new Body(CHAT.getBytes(StandardCharsets.UTF_8), "application/json; charset=klingon");
            case "TOKEN_AS_TEXT" -> new Body(TOKEN.getBytes(StandardCharsets.UTF_8), "text/plain");
            case "TOKEN_UTF16" -> new Body(TOKEN.getBytes(StandardCharsets.UTF_16LE), "application/json");
            case "TOKEN_UTF16_BOM" -> new Body(withBom(TOKEN), "application/json");
            case "TOKEN_DECLARED_UTF16" -> new Body(TOKEN.getBytes(StandardCharsets.UTF_16), "application/json; charset=UTF-16");
            case "USER_AS_TEXT" -> new Body(USER.getBytes(StandardCharsets.UTF_8), "text/plain");
            case "USER_UTF16_BOM" -> new Body(withBom(USER), "application/json");
            default -> Body.json(body);
        };
    }

    private static byte[] withBom(String text) {
        byte[] utf16 = text.getBytes(StandardCharsets.UTF_16LE);
        byte[] bytes = new byte[utf16.length + 2];
        System.arraycopy(UTF16_BOM, 0, bytes, 0, 2);
        System.arraycopy(utf16, 0, bytes, 2, utf16.length);
        return bytes;
    }

    private String authorization(String auth) {
        return switch (auth) {
            case "none", "session" -> null;
            case "admin" -> Http.basic("admin", ADMIN_PASSWORD);
            case "user" -> Http.basic("ursula", USER_PASSWORD);
            case "wrongpw" -> Http.basic("ursula", "not-her-password");
            case "nobody" -> Http.basic("nobody-at-all", "whatever-password");
            case "disabled" -> Http.basic("dora-disabled", "dora-password-1");
            case "badbasic" -> "Basic !!!not-base64!!!";
            case "badtoken" -> "Bearer sb_this-token-does-not-exist";
            case "emptytoken" -> "Bearer "; // the HTTP client trims it to "Bearer": no credentials
            case "revoked" -> "Bearer " + revokedToken;
            case "usertoken" -> "Bearer " + userToken;
            default -> throw new IllegalArgumentException(auth);
        };
    }

    private HttpResponse<String> send(String method, String path, String auth, Body body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
        if (body != null && body.type() != null) b.header("Content-Type", body.type());
        String authorization = authorization(auth);
        if (authorization != null) b.header("Authorization", authorization);
        if (auth.equals("session")) b.header("Cookie", new Http(port).formLogin("ursula", USER_PASSWORD)); // no CSRF token
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path, e);
        }
    }
}
