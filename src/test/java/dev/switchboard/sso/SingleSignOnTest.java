package dev.switchboard.sso;

import dev.switchboard.admin.users.AuditAction;
import dev.switchboard.admin.users.AuditLog;
import dev.switchboard.testsupport.MockIdentityProvider;
import dev.switchboard.testsupport.MockIdentityProvider.SignIn;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccount;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single sign-on against a real OIDC provider on a real socket, driven through the authorization-code flow as a
 * browser would (the browser itself: SignInWithProviderInBrowserTest): accounts made at the first sign-in, the role
 * from the admin group at every sign-in, refusals with the login page's message, and ID tokens that Spring must
 * refuse (altered on the way, or expired).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:sso-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + SingleSignOnTest.ADMIN_PASSWORD,
        "switchboard.oidc.admin-group=" + SingleSignOnTest.ADMINS})
@DirtiesContext
class SingleSignOnTest {
    static final String ADMIN_PASSWORD = "Sso-admin-password-1";
    static final String ADMINS = "switchboard-admins";
    private static final MockIdentityProvider idp = MockIdentityProvider.start();

    @DynamicPropertySource
    static void provider(DynamicPropertyRegistry r) {
        idp.register(r);
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    @LocalServerPort int port;
    @Autowired UserAccounts accounts;
    @Autowired AuditLog audit;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void theFirstSignInMakesAnAccountNamedByTheUsernameClaimAndOpensASession() throws Exception {
        SignIn in = idp.signIn(port, "sub-anna", claims("anna", "Anna Svensson", "staff"));

        assertThat(in.succeeded()).as("landed at %s", in.location()).isTrue();
        UserAccount anna = accounts.findByUsername("anna").orElseThrow();
        assertThat(anna.role()).isEqualTo(Role.USER);
        assertThat(anna.displayName()).isEqualTo("Anna Svensson");
        assertThat(accounts.findBySsoIdentity(idp.issuer(), "sub-anna")).contains(anna);
        assertThat(get("/api/tokens", in.sessionCookie()).statusCode()).as("the session is anna's").isEqualTo(200);
        assertThat(get("/api/admin/users", in.sessionCookie()).statusCode()).isEqualTo(403);
        // No password: Basic with any password is refused, as for an unknown user.
        assertThat(get("/api/tokens", null, basic("anna", "any-password-123")).statusCode()).isEqualTo(401);

        List<AuditLog.Entry> latest = audit.latest(5);
        assertThat(latest).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo(AuditAction.LOGIN_SUCCEEDED);
            assertThat(e.target()).isEqualTo("anna");
            assertThat(e.detail()).contains("single sign-on via mock");
        });
        assertThat(latest).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo(AuditAction.USER_CREATED);
            assertThat(e.actor()).isEqualTo("(single sign-on)");
            assertThat(e.target()).isEqualTo("anna");
        });

        SignIn again = idp.signIn(port, "sub-anna", claims("anna", "Anna Svensson", "staff"));
        assertThat(again.succeeded()).isTrue();
        assertThat(accounts.list().stream().filter(u -> u.username().equals("anna"))).hasSize(1);
    }

    @Test
    void theAdminGroupGivesAdminAndLeavingItDemotesAtTheNextSignIn() throws Exception {
        SignIn asAdmin = idp.signIn(port, "sub-bert", claims("bert", "Bert", ADMINS, "staff"));
        assertThat(asAdmin.succeeded()).isTrue();
        assertThat(accounts.findByUsername("bert").orElseThrow().role()).isEqualTo(Role.ADMIN);
        assertThat(get("/api/admin/users", asAdmin.sessionCookie()).statusCode()).isEqualTo(200);

        SignIn demoted = idp.signIn(port, "sub-bert", claims("bert", "Bert", "staff"));
        assertThat(demoted.succeeded()).isTrue();
        assertThat(accounts.findByUsername("bert").orElseThrow().role()).isEqualTo(Role.USER);
        assertThat(get("/api/admin/users", demoted.sessionCookie()).statusCode()).isEqualTo(403);
        assertThat(audit.latest(5)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo(AuditAction.ROLE_CHANGED);
            assertThat(e.target()).isEqualTo("bert");
            assertThat(e.detail()).startsWith("ADMIN → USER");
        });

        assertThat(idp.signIn(port, "sub-bert", claims("bert", "Bert", ADMINS)).succeeded()).isTrue();
        assertThat(accounts.findByUsername("bert").orElseThrow().role()).as("back in the group").isEqualTo(Role.ADMIN);
    }

    @Test
    void aUserDisabledInSwitchboardIsRefusedDespiteAValidSignInAndTheLoginPageSaysWhy() throws Exception {
        assertThat(idp.signIn(port, "sub-cleo", claims("cleo", "Cleo", "staff")).succeeded()).isTrue();
        accounts.setEnabled("cleo", false);

        SignIn refused = idp.signIn(port, "sub-cleo", claims("cleo", "Cleo", "staff"));

        assertThat(refused.location()).endsWith("/login?sso=disabled");
        assertThat(get("/api/tokens", refused.sessionCookie()).statusCode()).isEqualTo(401);
        assertThat(audit.latest(5)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo(AuditAction.LOGIN_FAILED);
            assertThat(e.target()).isEqualTo("cleo");
            assertThat(e.detail()).contains("account_disabled");
        });
    }

    @Test
    void aPasswordAccountOfTheSameNameIsNotTakenOver() {
        accounts.create("dora", "Dora-password-123", Role.USER);

        SignIn refused = idp.signIn(port, "sub-someone-else", claims("dora", "Not Dora", ADMINS));

        assertThat(refused.location()).endsWith("/login?sso=taken");
        UserAccount dora = accounts.findByUsername("dora").orElseThrow();
        assertThat(dora.role()).isEqualTo(Role.USER);
        assertThat(accounts.findBySsoIdentity(idp.issuer(), "sub-someone-else")).isEmpty();
        assertThat(accounts.passwordMatches("dora", "Dora-password-123")).isTrue();
    }

    @Test
    void anIdTokenAlteredOnTheWayIsRefused() {
        // The same sign-in, unaltered, succeeds: what fails below fails for the alteration.
        assertThat(idp.signIn(port, "sub-emil", claims("emil", "Emil", "staff")).succeeded()).isTrue();
        assertThat(accounts.findByUsername("emil").orElseThrow().role()).isEqualTo(Role.USER);

        idp.tamperWithNextIdToken(payload -> payload.set("groups", payload.arrayNode().add(ADMINS)));
        SignIn refused = idp.signIn(port, "sub-emil", claims("emil", "Emil", "staff"));

        assertThat(refused.location()).endsWith("/login?sso=failed");
        assertThat(accounts.findByUsername("emil").orElseThrow().role()).as("no admin from a forged group").isEqualTo(Role.USER);
        assertThat(audit.latest(5)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo(AuditAction.LOGIN_FAILED);
            assertThat(e.detail()).contains("invalid_id_token").containsIgnoringCase("signature");
        });
    }

    @Test
    void anExpiredIdTokenIsRefused() {
        // Issued two hours ago for one hour: signed by the provider, but expired an hour ago.
        idp.issueTokensAsOf(Instant.now().minus(Duration.ofHours(2)));
        SignIn refused;
        try {
            refused = idp.signIn(port, "sub-fred", claims("fred", "Fred", "staff"));
        } finally {
            idp.issueTokensAsOf(null);
        }

        assertThat(refused.location()).endsWith("/login?sso=failed");
        assertThat(accounts.findByUsername("fred")).as("no account from an expired token").isEmpty();
        assertThat(audit.latest(5)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo(AuditAction.LOGIN_FAILED);
            assertThat(e.detail()).contains("invalid_id_token").contains("Jwt expired at");
        });
        assertThat(idp.signIn(port, "sub-fred", claims("fred", "Fred", "staff")).succeeded()).as("the same, fresh").isTrue();
    }

    @Test
    void aSignInWithoutTheUsernameClaimIsRefused() {
        SignIn refused = idp.signIn(port, "sub-nameless", "{\"name\": \"No Name\"}");

        assertThat(refused.location()).endsWith("/login?sso=username");
        assertThat(accounts.findBySsoIdentity(idp.issuer(), "sub-nameless")).isEmpty();
    }

    @Test
    void theLoginPageStillSignsInWithAPassword() throws Exception {
        HttpResponse<String> login = dev.switchboard.testsupport.LoginForm.post(http, port, "admin", ADMIN_PASSWORD);
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElseThrow()).doesNotContain("login");
    }

    private static String claims(String username, String name, String... groups) {
        StringBuilder json = new StringBuilder("{\"preferred_username\": \"" + username + "\", \"name\": \"" + name + "\", \"groups\": [");
        for (int i = 0; i < groups.length; i++) json.append(i == 0 ? "" : ", ").append('"').append(groups[i]).append('"');
        return json.append("]}").toString();
    }

    private HttpResponse<String> get(String path, String cookie, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (cookie != null) b.header("Cookie", cookie);
        if (headers.length > 0) b.headers(headers);
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String[] basic(String user, String password) {
        return new String[] {"Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8))};
    }
}
