package dev.switchboard.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.testsupport.Chromium;
import dev.switchboard.testsupport.ChromiumExtension;
import dev.switchboard.testsupport.MockIdentityProvider;
import dev.switchboard.testsupport.MockUpstream;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single sign-on in Debian's Chromium against a real OIDC provider on a socket: "Sign in with Mock IdP" on the
 * login page, the provider's own login form, back in the chat as an admin (the admin group), a reply streamed in and
 * its push delay counted; and a user disabled in Switchboard sees why on the login page. Screenshots go to
 * {@code <build dir>/screenshots/sso-*.png}.
 */
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:sso-browser-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + SignInWithProviderInBrowserTest.PASSWORD,
        "switchboard.oidc.admin-group=switchboard-admins"})
@DirtiesContext
class SignInWithProviderInBrowserTest {
    static final String PASSWORD = "Sso-browser-admin-1";
    private static final OfflineModelServer upstream = OfflineModelServer.start(0, Behavior.offline().withTokensPerSecond(40));
    private static final MockIdentityProvider idp = MockIdentityProvider.start();

    @RegisterExtension
    static final ChromiumExtension chromium = new ChromiumExtension().closing(upstream).closing(idp);

    @DynamicPropertySource
    static void upstreamAndProvider(DynamicPropertyRegistry r) {
        MockUpstream.register(r, 0, "mock", upstream);
        idp.register(r);
    }

    @LocalServerPort int port;
    @Autowired UserAccounts accounts;

    @Test
    void signsInThroughTheProviderLandsInTheChatAsAnAdminAndChats() throws Exception {
        try (BrowserContext browser = chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1280, 800))) {
            Page page = browser.newPage();
            page.setDefaultTimeout(20_000);
            try {
                page.navigate("http://localhost:" + port + "/");
                page.waitForSelector("vaadin-login-form input[name=username]");
                Locator sso = page.locator("a.sb-sso");
                sso.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE));
                assertThat(sso.innerText()).contains("Sign in with Mock IdP");
                assertThat(page.locator("vaadin-login-form").isVisible()).as("the form beside it").isTrue();
                screenshot(page, "sso-1-login-page");

                sso.click();
                page.waitForSelector("form input[name=username]"); // the provider's own page
                assertThat(page.url()).startsWith(idp.issuer());
                page.fill("input[name=username]", "sub-grace");
                page.fill("textarea[name=claims]", "{\"preferred_username\": \"grace\", \"name\": \"Grace Hopper\","
                        + " \"groups\": [\"staff\", \"switchboard-admins\"]}");
                screenshot(page, "sso-2-provider-login");
                page.click("input[type=submit]");

                page.waitForSelector("vaadin-message-input textarea");
                assertThat(page.url()).isEqualTo("http://localhost:" + port + "/");
                page.locator("vaadin-side-nav-item[path='admin/users']").waitFor();
                assertThat(accounts.findByUsername("grace").orElseThrow().role()).isEqualTo(Role.ADMIN);

                Locator input = page.locator("vaadin-message-input textarea");
                page.waitForCondition(input::isEnabled);
                input.fill("Hello after single sign-on");
                input.press("Enter");
                Locator reply = page.locator(".sb-reply").last();
                page.waitForCondition(() -> reply.locator(".sb-meta").count() > 0
                        && reply.locator(".sb-meta").innerText().contains("tokens"), new Page.WaitForConditionOptions().setTimeout(20_000));
                assertThat((String) reply.locator("vaadin-message").first().evaluate(Chromium.DEEP_TEXT))
                        .contains("Hello after single sign-on");
                screenshot(page, "sso-3-chat");
            } catch (Throwable t) {
                screenshot(page, "sso-failure");
                System.err.println("Page at " + page.url() + ":\n" + page.content());
                throw t;
            }
        }
        String scrape = adminGet("/actuator/prometheus");
        assertThat(scrape).containsPattern("switchboard_push_delay_seconds_count\\{[^}]*} [1-9]");
    }

    @Test
    void aUserDisabledInSwitchboardIsSentBackToTheLoginPageWithTheReason() throws Exception {
        assertThat(idp.signIn(port, "sub-henry", "{\"preferred_username\": \"henry\"}").succeeded()).isTrue();
        accounts.setEnabled("henry", false);

        try (BrowserContext browser = chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1280, 800))) {
            Page page = browser.newPage();
            page.setDefaultTimeout(20_000);
            page.navigate("http://localhost:" + port + "/login");
            page.locator("a.sb-sso").click();
            page.waitForSelector("form input[name=username]");
            page.fill("input[name=username]", "sub-henry");
            page.fill("textarea[name=claims]", "{\"preferred_username\": \"henry\"}");
            page.click("input[type=submit]");

            Locator error = page.locator(".sb-sso-error");
            error.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE));
            assertThat(error.innerText()).isEqualTo("Your Switchboard account is disabled. Ask an administrator to enable it.");
            assertThat(page.url()).endsWith("/login?sso=disabled");
            assertThat(page.content()).doesNotContain("Exception").doesNotContain("at dev.switchboard");
            screenshot(page, "sso-4-disabled");
        }
    }

    private String adminGet(String path) throws Exception {
        String basic = Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static void screenshot(Page page, String name) throws Exception {
        Path classes = Paths.get(SignInWithProviderInBrowserTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = classes.getParent().resolve("screenshots");
        Files.createDirectories(dir);
        page.screenshot(new Page.ScreenshotOptions().setPath(dir.resolve(name + ".png")).setFullPage(true));
    }
}
