package dev.switchboard.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.admin.users.AuditAction;
import dev.switchboard.admin.users.AuditLog;
import dev.switchboard.security.ApiTokens;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The provisioning API over real HTTP: 201/200 for admins, 401/403 for others, 404, 400 and 409 with JSON errors. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:adminapi-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + AdminUsersApiTest.ADMIN_PASSWORD})
@DirtiesContext
class AdminUsersApiTest {
    static final String ADMIN_PASSWORD = "Admin-password-1";
    private static final String USER_PASSWORD = "ursula-password-1";
    private static final String ADMIN = AdminHttp.basic("admin", ADMIN_PASSWORD);
    private static final String USER = AdminHttp.basic("ursula", USER_PASSWORD);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SEQ = new AtomicInteger();

    @LocalServerPort int port;
    @Autowired UserAccounts accounts;
    @Autowired ApiTokens tokens;
    @Autowired AuditLog audit;
    private AdminHttp http;

    @BeforeEach
    void setUp() {
        http = new AdminHttp(port);
        if (accounts.findByUsername("ursula").isEmpty()) accounts.create("ursula", USER_PASSWORD, Role.USER);
    }

    @Test
    void adminCreatesAUserWhoCanThenLogIn() throws Exception {
        String name = unique("newbie");
        HttpResponse<String> r = http.send("POST", "/api/admin/users", ADMIN,
                "{\"username\": \"" + name + "\", \"password\": \"newbie-password-1\", \"role\": \"USER\","
                        + " \"displayName\": \"New Bie\", \"dailyTokenQuota\": 20000}");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("Location")).hasValue("/api/admin/users/" + name);
        JsonNode user = JSON.readTree(r.body());
        assertThat(user.get("username").asText()).isEqualTo(name);
        assertThat(user.get("displayName").asText()).isEqualTo("New Bie");
        assertThat(user.get("role").asText()).isEqualTo("USER");
        assertThat(user.get("enabled").asBoolean()).isTrue();
        assertThat(user.get("dailyTokenQuota").asLong()).isEqualTo(20000);
        assertThat(user.has("createdAt")).isTrue();
        assertThat(r.body()).doesNotContainIgnoringCase("password").doesNotContain("$2a$").doesNotContain("hash");

        assertThat(http.send("GET", "/api/tokens", AdminHttp.basic(name, "newbie-password-1"), null).statusCode()).isEqualTo(200);
        assertThat(audit.latest(50)).anyMatch(e -> e.action() == AuditAction.USER_CREATED && name.equals(e.target())
                && "admin".equals(e.actor()));
    }

    @Test
    void adminListsUsersWithoutHashes() throws Exception {
        HttpResponse<String> r = http.send("GET", "/api/admin/users", ADMIN, null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode list = JSON.readTree(r.body());
        assertThat(list.isArray()).isTrue();
        assertThat(list.findValuesAsText("username")).contains("admin", "ursula");
        assertThat(r.body()).doesNotContain("$2a$").doesNotContainIgnoringCase("password");
        assertThat(http.send("GET", "/api/admin/users/URSULA", ADMIN, null).statusCode()).isEqualTo(200);
    }

    @Test
    void adminPatchesRoleEnabledQuotaAndPassword() throws Exception {
        String name = created();
        JsonNode user = JSON.readTree(patch(name, "{\"role\": \"admin\", \"dailyTokenQuota\": 500}", 200).body());
        assertThat(user.get("role").asText()).isEqualTo("ADMIN");
        assertThat(user.get("dailyTokenQuota").asLong()).isEqualTo(500);

        user = JSON.readTree(patch(name, "{\"dailyTokenQuota\": null, \"enabled\": false}", 200).body());
        assertThat(user.get("dailyTokenQuota").isNull()).isTrue();
        assertThat(user.get("enabled").asBoolean()).isFalse();
        assertThat(http.send("GET", "/api/tokens", AdminHttp.basic(name, "initial-password-1"), null).statusCode())
                .as("a disabled user cannot log in").isEqualTo(401);

        patch(name, "{\"enabled\": true, \"password\": \"reset-password-123\"}", 200);
        assertThat(http.send("GET", "/api/tokens", AdminHttp.basic(name, "reset-password-123"), null).statusCode()).isEqualTo(200);
        assertThat(http.send("GET", "/api/tokens", AdminHttp.basic(name, "initial-password-1"), null).statusCode()).isEqualTo(401);
        assertThat(audit.latest(100).stream().filter(e -> name.equals(e.target())).map(AuditLog.Entry::action))
                .contains(AuditAction.ROLE_CHANGED, AuditAction.QUOTA_CHANGED, AuditAction.USER_DISABLED,
                        AuditAction.USER_ENABLED, AuditAction.PASSWORD_RESET);
    }

    @Test
    void anAdminApiTokenWorksForProvisioningScripts() {
        String token = tokens.create("admin", "provisioning").token();
        assertThat(http.send("GET", "/api/admin/users", "Bearer " + token, null).statusCode()).isEqualTo(200);
        assertThat(http.send("POST", "/api/admin/users", "Bearer " + token,
                "{\"username\": \"" + unique("scripted") + "\", \"password\": \"scripted-password\", \"role\": \"USER\"}")
                .statusCode()).isEqualTo(201);
    }

    @Test
    void nonAdminsAreRefused() throws Exception {
        String name = created();
        String userToken = "Bearer " + tokens.create("ursula", "hers").token();
        for (String auth : new String[] {USER, userToken}) {
            HttpResponse<String> list = http.send("GET", "/api/admin/users", auth, null);
            assertThat(list.statusCode()).isEqualTo(403);
            assertThat(JSON.readTree(list.body()).at("/error/type").asText()).isEqualTo("forbidden");
            assertThat(http.send("POST", "/api/admin/users", auth,
                    "{\"username\": \"sneaky\", \"password\": \"sneaky-password-1\", \"role\": \"ADMIN\"}").statusCode()).isEqualTo(403);
            assertThat(http.send("PATCH", "/api/admin/users/ursula", auth, "{\"role\": \"ADMIN\"}").statusCode()).isEqualTo(403);
            assertThat(http.send("PATCH", "/api/admin/users/" + name, auth, "{\"enabled\": false}").statusCode()).isEqualTo(403);
        }
        assertThat(http.send("GET", "/api/admin/users", null, null).statusCode()).isEqualTo(401);
        assertThat(accounts.findByUsername("sneaky")).isEmpty();
        assertThat(accounts.findByUsername("ursula").orElseThrow().role()).isEqualTo(Role.USER);
        assertThat(accounts.findByUsername(name).orElseThrow().enabled()).isTrue();
    }

    @Test
    void unknownUserIs404() throws Exception {
        HttpResponse<String> r = http.send("PATCH", "/api/admin/users/nobody-at-all", ADMIN, "{\"enabled\": false}");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(r.body()).at("/error/type").asText()).isEqualTo("not_found");
        assertThat(JSON.readTree(r.body()).at("/error/message").asText()).contains("nobody-at-all");
        assertThat(http.send("GET", "/api/admin/users/nobody-at-all", ADMIN, null).statusCode()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed JSON     | 400 | invalid_request_error | {"username": "x",                                                        | not valid JSON
            not an object      | 400 | invalid_request_error | ["x"]                                                                    | must be a JSON object
            missing username   | 400 | invalid_request_error | {"password": "long-enough-pass", "role": "USER"}                         | 'username' is required
            missing password   | 400 | invalid_request_error | {"username": "NAME", "role": "USER"}                                     | 'password' is required
            missing role       | 400 | invalid_request_error | {"username": "NAME", "password": "long-enough-pass"}                     | 'role' is required
            bad role           | 400 | invalid_request_error | {"username": "NAME", "password": "long-enough-pass", "role": "ROOT"}     | must be USER or ADMIN
            short password     | 400 | invalid_request_error | {"username": "NAME", "password": "short", "role": "USER"}                | at least 12 characters
            password=username  | 400 | invalid_request_error | {"username": "NAME", "password": "NAME", "role": "USER"}                 | same as the username
            bad username       | 400 | invalid_request_error | {"username": "<b>x</b>", "password": "long-enough-pass", "role": "USER"} | A username has 1 to 64 characters
            negative quota     | 400 | invalid_request_error | {"username": "NAME", "password": "long-enough-pass", "role": "USER", "dailyTokenQuota": -5} | 0 or more
            unknown field      | 400 | invalid_request_error | {"username": "NAME", "password": "long-enough-pass", "role": "USER", "admin": true} | Unknown field 'admin'
            duplicate username | 409 | conflict              | {"username": "ursula", "password": "long-enough-pass", "role": "USER"}   | already taken
            """)
    void badCreateRequestsGetAClearJsonError(String what, int status, String type, String body, String message) throws Exception {
        String name = unique("bad-create-user");
        HttpResponse<String> r = http.send("POST", "/api/admin/users", ADMIN, body.replace("NAME", name));
        assertThat(r.statusCode()).as(what).isEqualTo(status);
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo(type);
        assertThat(error.get("message").asText()).contains(message.replace("NAME", name));
        assertThat(accounts.findByUsername(name)).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            empty object       | 400 | {}                             | Nothing to change
            enabled not bool   | 400 | {"enabled": "yes"}             | 'enabled' must be true or false
            quota not a number | 400 | {"dailyTokenQuota": "lots"}    | whole number of tokens
            quota fractional   | 400 | {"dailyTokenQuota": 1.5}       | whole number of tokens
            bad role           | 400 | {"role": 7}                    | 'role' must be a string
            short password     | 400 | {"password": "tiny"}           | at least 12 characters
            typo               | 400 | {"enabeld": false}             | Unknown field 'enabeld'
            """)
    void badPatchRequestsGetAClearJsonError(String what, int status, String body, String message) throws Exception {
        String name = created();
        HttpResponse<String> r = patch(name, body, status);
        assertThat(JSON.readTree(r.body()).at("/error/message").asText()).as(what).contains(message);
        assertThat(JSON.readTree(r.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void theLastAdminCannotBeDemotedOrDisabled() throws Exception {
        accounts.list().stream().filter(u -> u.isAdmin() && !u.username().equals("admin"))
                .forEach(u -> accounts.setRole(u.username(), Role.USER));
        HttpResponse<String> demote = patch("admin", "{\"role\": \"USER\"}", 409);
        assertThat(JSON.readTree(demote.body()).at("/error/message").asText()).contains("last enabled admin");
        HttpResponse<String> disable = patch("admin", "{\"enabled\": false}", 409);
        assertThat(JSON.readTree(disable.body()).at("/error/type").asText()).isEqualTo("conflict");
        assertThat(accounts.findByUsername("admin").orElseThrow().role()).isEqualTo(Role.ADMIN);
    }

    private HttpResponse<String> patch(String name, String body, int expectedStatus) {
        HttpResponse<String> r = http.send("PATCH", "/api/admin/users/" + name, ADMIN, body);
        assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(expectedStatus);
        return r;
    }

    private String created() {
        String name = unique("patched");
        HttpResponse<String> r = http.send("POST", "/api/admin/users", ADMIN,
                "{\"username\": \"" + name + "\", \"password\": \"initial-password-1\", \"role\": \"USER\"}");
        assertThat(r.statusCode()).isEqualTo(201);
        return name;
    }

    private static String unique(String base) {
        return base + "-" + SEQ.incrementAndGet();
    }
}
