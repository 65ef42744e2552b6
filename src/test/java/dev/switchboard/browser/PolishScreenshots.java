package dev.switchboard.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.testsupport.Chromium;
import dev.switchboard.testsupport.ChromiumExtension;
import dev.switchboard.testsupport.MockUpstream;
import dev.switchboard.usage.JdbcUsageRecorder;
import dev.switchboard.usage.UsageRecords;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Screenshots for looking at, not a test (run with {@code -Dsb.screenshots=true -Dtest=PolishScreenshots}): the chat
 * with code and a table, light and dark; the Users view at a phone's 390 px; the usage view in Cost mode with
 * sub-cent costs; a user's "No access" page. Into {@code <build dir>/screenshots/polish-*.png}.
 */
@EnabledIfSystemProperty(named = "sb.screenshots", matches = "true")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:polish-shots-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + PolishScreenshots.PASSWORD,
        "switchboard.prices[gpt-5.5].input-per-million=0.5", "switchboard.prices[gpt-5.5].output-per-million=1",
        "switchboard.prices[gpt-4.1-mini].input-per-million=0.1", "switchboard.prices[gpt-4.1-mini].output-per-million=0.4"})
@DirtiesContext
class PolishScreenshots {
    static final String PASSWORD = "Shots-admin-pw-1";
    private static final OfflineModelServer upstream = OfflineModelServer.start(0,
            Behavior.fast().withTokensPerSecond(200).withReplyText(ReadingRepliesInBrowserTest.REPLY));

    @RegisterExtension
    static final ChromiumExtension chromium = new ChromiumExtension().closing(upstream);

    @LocalServerPort int port;
    @Autowired UserAccounts accounts;
    @Autowired JdbcUsageRecorder recorder;

    @DynamicPropertySource
    static void mockUpstream(DynamicPropertyRegistry r) {
        MockUpstream.register(r, 0, "mock", upstream);
    }

    @Test
    void screenshots() throws Exception {
        accounts.create("grace", "Grace Hopper", "grace-password-12", Role.USER);
        accounts.create("linus.t", null, "linus-password-12", Role.USER);
        accounts.create("margaret.hamilton", "Margaret Hamilton", "margaret-password-1", Role.ADMIN);
        seedUsage();

        try (BrowserContext context = context(1100, 900, ColorScheme.LIGHT)) {
            Page page = logIn(context, "/", "admin", PASSWORD);
            Locator input = page.locator("vaadin-message-input textarea");
            input.fill("Show me some code");
            input.press("Enter");
            page.locator(".sb-reply pre code span.hljs-keyword").first().waitFor();
            page.waitForTimeout(500);
            shot(page, "polish-chat-light");
            page.locator("vaadin-menu-bar.sb-user-menu vaadin-menu-bar-button").first().click();
            page.waitForTimeout(300);
            shot(page, "polish-user-menu");
            page.locator("vaadin-menu-bar-item:has-text('Dark mode')").click();
            page.waitForCondition(() -> Boolean.TRUE.equals(page.evaluate("() => document.body.getAttribute('theme') === 'dark'")));
            page.waitForTimeout(800);
            shot(page, "polish-chat-dark");
            System.err.println("side nav item colour (dark): " + page.evaluate(
                    "() => getComputedStyle(document.querySelector('vaadin-side-nav-item:not([current])')).color"));

            page.navigate("http://localhost:" + port + "/admin/usage");
            page.waitForSelector(".sb-usage-chart svg");
            page.locator("vaadin-radio-button:has-text('Cost')").click();
            page.waitForTimeout(1500);
            shot(page, "polish-usage-dark");
            page.locator("vaadin-radio-button:has-text('Tokens')").click();
            page.waitForTimeout(1000);
            shot(page, "polish-usage-tokens-dark");
            page.locator("vaadin-radio-button:has-text('Cost')").click();
            page.locator("vaadin-menu-bar.sb-user-menu vaadin-menu-bar-button").first().click();
            page.locator("vaadin-menu-bar-item:has-text('Dark mode')").click();
            page.waitForTimeout(800);
            shot(page, "polish-usage");
            Locator byUser = page.locator("vaadin-grid").first();
            byUser.scrollIntoViewIfNeeded();
            page.waitForTimeout(800);
            byUser.screenshot(new Locator.ScreenshotOptions()
                    .setPath(java.nio.file.Path.of(System.getProperty("sb.shots", "target/screenshots"), "polish-usage-by-user.png")));
        }
        try (BrowserContext context = context(390, 844, ColorScheme.LIGHT)) {
            Page page = logIn(context, "/admin/users", "admin", PASSWORD);
            page.waitForSelector("vaadin-grid");
            page.waitForTimeout(1500);
            shot(page, "polish-users-390");
        }
        try (BrowserContext context = context(1100, 700, ColorScheme.DARK)) {
            Page page = logIn(context, "/", "grace", "grace-password-12");
            page.navigate("http://localhost:" + port + "/admin/users");
            page.waitForSelector(".sb-error-page");
            page.waitForTimeout(500);
            shot(page, "polish-no-access");
        }
    }

    private BrowserContext context(int width, int height, ColorScheme scheme) {
        return chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(width, height)
                .setColorScheme(scheme).setDeviceScaleFactor(1));
    }

    private Page logIn(BrowserContext context, String path, String user, String password) {
        Page page = context.newPage();
        page.setDefaultTimeout(30_000);
        page.navigate("http://localhost:" + port + path);
        Chromium.logIn(page, user, password);
        page.waitForSelector("vaadin-app-layout");
        page.waitForTimeout(500);
        return page;
    }

    /** A week of small usage: sub-cent costs a day, and some requests of a model without a price. */
    private void seedUsage() {
        Instant now = Instant.now();
        String[] users = {"admin", "grace", "linus.t", "margaret.hamilton"};
        for (int day = 0; day < 7; day++) {
            for (int i = 0; i < 4; i++) {
                Instant at = now.minus(day, ChronoUnit.DAYS).minus(i * 7L, ChronoUnit.MINUTES);
                recorder.record(UsageRecords.of(users[i], "gpt-5.5", "mock", 300 + 40 * i, 120 + day * 10, "completed", 300L, at));
                recorder.record(UsageRecords.of(users[(i + day) % 4], "gpt-4.1-mini", "mock", 900, 400, "completed", 250L, at));
                if (i % 2 == 0) recorder.record(UsageRecords.of(users[i], "local-llama", "mock", 2000, 700, "completed", 150L, at));
            }
        }
        recorder.flush();
    }

    private static void shot(Page page, String name) throws Exception {
        ReadingRepliesInBrowserTest.screenshot(page, name);
    }
}
