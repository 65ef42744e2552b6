package dev.switchboard.chat.ui;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In Debian's Chromium, two windows of one session on one conversation: a message sent from the second window
 * while the first one's reply streams (its submit left before the second window heard of that reply) is refused
 * visibly and stays in its input, never silently dropped; sent again after the reply, it goes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:twowindows-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + TwoWindowsSendingInBrowserTest.PASSWORD})
@DirtiesContext
class TwoWindowsSendingInBrowserTest {
    static final String PASSWORD = "Two-windows-pw-1";
    /** About 3 s a reply: long enough to send into. */
    private static final OfflineModelServer upstream = OfflineModelServer.start(0,
            Behavior.fast().withTokensPerSecond(20).withReplyTokens(60));

    @RegisterExtension
    static final ChromiumExtension chromium = new ChromiumExtension().closing(upstream);

    @LocalServerPort int port;

    @DynamicPropertySource
    static void mockUpstream(DynamicPropertyRegistry r) {
        MockUpstream.register(r, 0, "mock", upstream);
    }

    private static Locator input(Page page) {
        return page.locator("vaadin-message-input textarea");
    }

    @Test
    void aMessageSentFromTheOtherWindowWhileAReplyStreamsIsRefusedVisiblyAndKept() {
        try (BrowserContext session = chromium.browser().newContext()) {
            Page first = session.newPage();
            first.setDefaultTimeout(20_000);
            first.navigate("http://localhost:" + port + "/");
            Chromium.logIn(first, "admin", PASSWORD);
            first.waitForCondition(() -> input(first).isEnabled());
            input(first).fill("Start the conversation");
            input(first).press("Enter");
            first.waitForCondition(() -> first.url().contains("/c/"));
            first.waitForCondition(() -> input(first).isEnabled(), new Page.WaitForConditionOptions().setTimeout(20_000));

            Page second = session.newPage();
            second.setDefaultTimeout(20_000);
            second.navigate(first.url());
            second.waitForCondition(() -> input(second).isEnabled());

            input(first).fill("From the first window");
            input(first).press("Enter");
            second.waitForCondition(() -> !input(second).isEnabled()); // it heard of the reply now streaming
            // The second window's submit, as it leaves a browser that had not yet heard of that reply.
            second.evaluate("() => document.querySelector('vaadin-message-input').dispatchEvent("
                    + "new CustomEvent('submit', {detail: {value: 'From the second window'}}))");

            second.locator("vaadin-notification-card:has-text('still streaming')").waitFor();
            second.waitForCondition(() -> "From the second window".equals(input(second).inputValue()));

            second.waitForCondition(() -> input(second).isEnabled(), new Page.WaitForConditionOptions().setTimeout(20_000));
            input(second).press("Enter");
            second.waitForCondition(() -> second.locator(".sb-user-message:has-text('From the second window')").count() == 1);
            assertThat(second.locator(".sb-user-message:has-text('From the first window')").count()).isEqualTo(1);
        }
    }
}
