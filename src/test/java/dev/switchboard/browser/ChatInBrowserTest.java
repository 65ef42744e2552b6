package dev.switchboard.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.testsupport.Chromium;
import dev.switchboard.testsupport.ChromiumExtension;
import dev.switchboard.testsupport.MockUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real thing in Debian's Chromium: log in, send, watch the reply grow by server push until it completes,
 * then a second turn. Screenshots go to {@code <build dir>/screenshots}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:browser-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + ChatInBrowserTest.PASSWORD})
@DirtiesContext
class ChatInBrowserTest {
    static final String PASSWORD = "Browser-admin-pw-1";
    // The offline reply text at a pace a person can watch: ~100 tokens at 30/s.
    private static final OfflineModelServer upstream = OfflineModelServer.start(0, Behavior.offline().withTokensPerSecond(30));

    @RegisterExtension
    static final ChromiumExtension chromium = new ChromiumExtension().closing(upstream);

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void mockUpstream(DynamicPropertyRegistry r) {
        MockUpstream.register(r, 0, "mock", upstream);
    }

    @Test
    void loggedInUserSeesTheReplyGrowByPushThenASecondTurn() throws Exception {
        Page page = chromium.browser().newPage(new Browser.NewPageOptions().setViewportSize(1280, 800));
        page.setDefaultTimeout(20_000);
        List<String> console = new ArrayList<>();
        page.onConsoleMessage(m -> console.add(m.type() + ": " + m.text()));
        try {
            chat(page);
        } catch (Throwable t) {
            screenshot(page, "failure");
            System.err.println("Browser console:\n" + String.join("\n", console) + "\nPage at " + page.url() + ":\n" + page.content());
            throw t;
        }
    }

    private void chat(Page page) throws Exception {
        page.navigate("http://localhost:" + port + "/");
        page.waitForSelector("vaadin-login-form input[name=username]");
        assertThat(page.url()).endsWith("/login");
        screenshot(page, "1-login");

        Chromium.logIn(page, "admin", PASSWORD);
        page.waitForSelector("vaadin-message-input textarea");

        send(page, "Hello from a real browser");
        Locator reply = page.locator(".sb-reply").last();
        List<Integer> lengths = new ArrayList<>();
        // Sample while streaming: the text must be seen growing, pushed by the server, before it completes.
        long end = System.currentTimeMillis() + 15_000;
        boolean shot = false;
        while (System.currentTimeMillis() < end && !completed(reply)) {
            int length = text(reply).length();
            lengths.add(length);
            // Only once the growth is seen: on a loaded machine the screenshot took most of the stream's time.
            if (!shot && lengths.stream().filter(l -> l > 0).distinct().count() >= 3) {
                screenshot(page, "2-chat-mid-stream");
                shot = true;
            }
            Thread.sleep(250);
        }
        assertThat(completed(reply)).as("the reply completes").isTrue();
        List<Integer> growing = lengths.stream().filter(l -> l > 0).distinct().toList();
        assertThat(growing).as("lengths sampled while streaming: %s", lengths).hasSizeGreaterThanOrEqualTo(3);
        assertThat(growing).isSorted();
        assertThat(text(reply)).contains("This is turn 1").contains("Hello from a real browser");
        assertThat(reply.locator(".sb-meta").innerText()).contains("mock · gpt-5.5");

        send(page, "And a second question");
        Locator second = page.locator(".sb-reply").nth(1);
        second.waitFor();
        page.waitForCondition(() -> completed(second), new Page.WaitForConditionOptions().setTimeout(20_000));
        assertThat(text(second)).contains("This is turn 2").contains("And a second question");
        assertThat(page.locator(".sb-conversation.sb-selected").innerText()).isEqualTo("Hello from a real browser");
        screenshot(page, "3-chat-finished");

        // The list's buttons are light (LightButton): a mouse click and Enter on a focused one work as a Button's.
        page.locator("vaadin-button.sb-new-chat").click();
        page.waitForCondition(() -> page.locator(".sb-reply").count() == 0);
        assertThat(page.locator(".sb-conversation").count()).isEqualTo(2);
        assertThat(page.locator(".sb-conversation.sb-selected").innerText()).isNotEqualTo("Hello from a real browser");
        page.locator(".sb-conversation:has-text('Hello from a real browser')").focus();
        page.keyboard().press("Enter");
        page.waitForCondition(() -> page.locator(".sb-reply").count() == 2);
        assertThat(page.locator(".sb-conversation.sb-selected").innerText()).isEqualTo("Hello from a real browser");
    }

    private static void send(Page page, String text) {
        Locator input = page.locator("vaadin-message-input textarea");
        input.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE));
        page.waitForCondition(input::isEnabled);
        input.fill(text);
        input.press("Enter");
    }

    /** The meta line shows token counts only once the reply has ended. */
    private static boolean completed(Locator reply) {
        if (reply.count() == 0) return false;
        Locator meta = reply.locator(".sb-meta");
        return meta.count() > 0 && meta.isVisible() && meta.innerText().contains("tokens");
    }

    private static String text(Locator reply) {
        Locator message = reply.locator("vaadin-message");
        return message.count() == 0 ? "" : (String) message.first().evaluate(Chromium.DEEP_TEXT);
    }

    private static void screenshot(Page page, String name) throws Exception {
        // <build dir>/test-classes/.. : works whatever -Dsb.buildDir says.
        Path classes = Paths.get(ChatInBrowserTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = classes.getParent().resolve("screenshots");
        Files.createDirectories(dir);
        page.screenshot(new Page.ScreenshotOptions().setPath(dir.resolve(name + ".png")).setFullPage(true));
    }
}
