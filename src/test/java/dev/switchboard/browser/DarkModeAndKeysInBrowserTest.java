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
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In Debian's Chromium: dark mode follows the device until the user picks it in the user menu, and the pick
 * survives a reload; Esc closes an open model picker (and only that). Screenshots: {@code <build dir>/screenshots}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:dark-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + DarkModeAndKeysInBrowserTest.PASSWORD})
@DirtiesContext
class DarkModeAndKeysInBrowserTest {
    static final String PASSWORD = "Dark-admin-pw-1";
    private static final OfflineModelServer upstream = OfflineModelServer.start(0,
            Behavior.fast().withTokensPerSecond(200).withReplyText(ReadingRepliesInBrowserTest.REPLY));

    @RegisterExtension
    static final ChromiumExtension chromium = new ChromiumExtension().closing(upstream);

    @LocalServerPort
    int port;
    @Autowired
    UserAccounts accounts;
    private BrowserContext context;
    private Page page;
    private final List<String> console = new CopyOnWriteArrayList<>();

    @DynamicPropertySource
    static void mockUpstream(DynamicPropertyRegistry r) {
        MockUpstream.register(r, 0, "mock", upstream);
    }

    @AfterEach
    void close(TestInfo test) throws Exception {
        if (page != null) ReadingRepliesInBrowserTest.screenshot(page, "dark-" + test.getTestMethod().orElseThrow().getName());
        System.err.println("Browser console:\n" + String.join("\n", console));
        if (context != null) context.close();
    }

    @Test
    void theDarkModeToggleSwitchesTheThemeAndIsStillOnAfterAReload() throws Exception {
        open(ColorScheme.LIGHT, "admin", PASSWORD);
        assertThat(dark()).isFalse();

        send("Show me some code");
        page.waitForCondition(() -> page.locator(".sb-reply pre code span.hljs-keyword").count() > 0);
        ReadingRepliesInBrowserTest.screenshot(page, "chat-light");

        chooseDarkMode();
        page.waitForCondition(this::dark);
        assertThat(page.evaluate("() => getComputedStyle(document.body).colorScheme")).isEqualTo("dark");
        page.waitForTimeout(800); // the side nav's colours fade over
        ReadingRepliesInBrowserTest.screenshot(page, "chat-dark");

        page.reload();
        page.waitForSelector("vaadin-message-input textarea");
        page.waitForCondition(this::dark);
        assertThat(page.evaluate("() => document.documentElement.getAttribute('theme')")).isEqualTo("dark");
        page.locator(".sb-reply pre code span.hljs-keyword").first().waitFor();

        chooseDarkMode(); // off again
        page.waitForCondition(() -> !dark());
        page.reload();
        page.waitForSelector("vaadin-message-input textarea");
        page.waitForTimeout(500);
        assertThat(dark()).as("light is remembered too").isFalse();
    }

    @Test
    void withNothingChosenTheDeviceDecides() {
        accounts.create("olga", null, "olga-password-123", Role.USER);
        open(ColorScheme.DARK, "olga", "olga-password-123");
        page.waitForCondition(this::dark);
        assertThat(accounts.colorScheme("olga")).isEmpty();
    }

    @Test
    void escClosesAnOpenModelPickerAndOnlyThenStopsTheReply() {
        open(ColorScheme.LIGHT, "admin", PASSWORD);
        Locator picker = page.locator("vaadin-select.sb-model");
        picker.click();
        page.waitForCondition(() -> Boolean.TRUE.equals(picker.evaluate("s => s.opened")));
        page.keyboard().press("Escape");
        page.waitForCondition(() -> Boolean.FALSE.equals(picker.evaluate("s => s.opened")),
                new Page.WaitForConditionOptions().setTimeout(3_000));

        // While a reply streams: the first Esc closes the picker and leaves the reply running, the next one stops it.
        upstream.enqueue(Behavior.offline().withReplyTokens(400).withTokensPerSecond(20));
        Locator input = page.locator("vaadin-message-input textarea");
        input.fill("A long one, please");
        input.press("Enter");
        Locator reply = page.locator(".sb-reply").last();
        page.waitForCondition(() -> "running".equals(reply.getAttribute("status"))
                && reply.locator("vaadin-message").count() > 0 && reply.locator("vaadin-message").isVisible());
        picker.click();
        page.waitForCondition(() -> Boolean.TRUE.equals(picker.evaluate("s => s.opened")));
        page.keyboard().press("Escape");
        page.waitForCondition(() -> Boolean.FALSE.equals(picker.evaluate("s => s.opened")),
                new Page.WaitForConditionOptions().setTimeout(3_000));
        page.waitForTimeout(500);
        assertThat(reply.getAttribute("status")).as("closing the picker does not stop the reply").isEqualTo("running");
        // The closed picker keeps the focus and keeps Esc to itself (the web component's own way); elsewhere it stops.
        page.locator(".sb-pane-header").click();
        page.keyboard().press("Escape");
        page.waitForCondition(() -> "stopped".equals(reply.getAttribute("status")));
    }

    private void open(ColorScheme device, String user, String password) {
        context = chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1100, 900)
                .setColorScheme(device));
        page = context.newPage();
        page.setDefaultTimeout(20_000);
        page.onConsoleMessage(m -> console.add(m.type() + ": " + m.text()));
        page.navigate("http://localhost:" + port + "/");
        Chromium.logIn(page, user, password);
        page.waitForSelector("vaadin-message-input textarea");
    }

    private boolean dark() {
        return Boolean.TRUE.equals(page.evaluate("() => (document.body.getAttribute('theme') || '').split(' ').includes('dark')"));
    }

    private void chooseDarkMode() {
        page.locator("vaadin-menu-bar.sb-user-menu vaadin-menu-bar-button").first().click();
        page.locator("vaadin-menu-bar-item:has-text('Dark mode')").click();
    }

    private void send(String text) {
        Locator input = page.locator("vaadin-message-input textarea");
        page.waitForCondition(input::isEnabled);
        input.fill(text);
        input.press("Enter");
        Locator reply = page.locator(".sb-reply").last();
        reply.waitFor();
        page.waitForCondition(() -> reply.locator(".sb-meta").innerText().contains("tokens"));
    }
}
