package dev.switchboard.chat.ui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.testsupport.Chromium;
import dev.switchboard.testsupport.ChromiumExtension;
import dev.switchboard.testsupport.MockUpstream;
import dev.switchboard.ui.PushMemoryConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PushMemoryConfig} keeps the per-tab websocket buffers small; this proves in Debian's Chromium that nothing
 * large depends on them: a reply of about 120 KB reaches the tab whole, in push frames far bigger than any of those
 * buffers, and a 30,000-character message goes the other way (by XHR: the browser sends nothing that
 * large over the websocket).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:large-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + LargeReplyInBrowserTest.PASSWORD})
@DirtiesContext
class LargeReplyInBrowserTest {
    static final String PASSWORD = "Browser-admin-pw-1";
    private static final int WORDS = 3, WORD_LENGTH = 40_000;
    /**
     * BEGIN, then 3 words of 40,000 characters (each one distinct, so a lost or repeated one shows), then END: few
     * tokens, so the mock sends them within a push interval or two and the pushes are big.
     */
    private static final String REPLY = reply();
    private static final OfflineModelServer upstream = OfflineModelServer.start(0, Behavior.fast().withReplyText(REPLY));

    @RegisterExtension
    static final ChromiumExtension chromium = new ChromiumExtension().closing(upstream);

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void mockUpstream(DynamicPropertyRegistry r) {
        MockUpstream.register(r, 0, "mock", upstream);
    }

    @Test
    void aReplyOfOver100KbArrivesWholeThroughThePushWebsocket() {
        assertThat(REPLY.length()).isGreaterThan(100_000);
        Page page = chromium.browser().newPage();
        page.setDefaultTimeout(30_000);
        List<Integer> received = new CopyOnWriteArrayList<>();
        List<Integer> sent = new CopyOnWriteArrayList<>();
        page.onWebSocket(ws -> {
            ws.onFrameReceived(f -> received.add(f.text() != null ? f.text().length() : f.binary().length));
            ws.onFrameSent(f -> sent.add(f.text() != null ? f.text().length() : f.binary().length));
        });
        page.navigate("http://localhost:" + port + "/login");
        Chromium.logIn(page, "admin", PASSWORD);
        page.waitForSelector("vaadin-message-input textarea");

        // A short turn first, so the big reply meets a warm server: on a cold one the first reply's classes load
        // under the UI's lock while the mock streams, and the reply can end before the first push goes out; it then
        // reaches the browser whole in the answer to the client's next request instead (Vaadin sends pending changes
        // with whichever message leaves first), and this test could not see the big pushes it is about.
        upstream.setBehavior(Behavior.fast().withReplyText("warm up"));
        send(page, "warm up");
        page.waitForCondition(() -> text(page.locator(".sb-reply").last()).contains("warm up"));
        upstream.setBehavior(Behavior.fast().withReplyText(REPLY));
        received.clear();
        sent.clear();

        String question = "Q".repeat(30_000);
        send(page, question);
        Locator reply = page.locator(".sb-reply").last();
        reply.waitFor();
        page.waitForCondition(() -> text(reply).contains("END"), new Page.WaitForConditionOptions().setTimeout(30_000));

        String shown = text(reply);
        assertThat(shown).as("the whole reply, in order").contains(REPLY);
        assertThat(page.locator("vaadin-message.sb-user").last().evaluate(Chromium.DEEP_TEXT).toString())
                .as("the 30,000-character question arrived and is shown").contains(question);
        assertThat(received).as("push frames received").isNotEmpty();
        // Where the first token's push ends and the next 50 ms window begins depends on timing: one frame may carry
        // the whole reply, or each word its own. Either way a frame with a word (40,000 characters) is over 32 times
        // the 1 KB incoming limit and 64 times Atmosphere's 512-byte buffer.
        System.out.println("push frames received (characters): " + received);
        assertThat(received.stream().mapToInt(Integer::intValue).sum()).as("frames: %s", received).isGreaterThan(REPLY.length());
        assertThat(received.stream().mapToInt(Integer::intValue).max().orElse(0))
                .as("big pushes: frames of %s characters", received)
                .isGreaterThan(32 * 1024);
        assertThat(sent.stream().mapToInt(Integer::intValue).max().orElse(0))
                .as("what the browser sent over the websocket (%s) stays below the incoming limit", sent)
                .isLessThan(256);

        // The push connection is still the same, open one: a second turn streams in too.
        upstream.setBehavior(Behavior.fast().withReplyText("short second answer"));
        send(page, "and now a short one");
        Locator second = page.locator(".sb-reply").nth(2);
        second.waitFor();
        page.waitForCondition(() -> text(second).contains("short second answer"));
    }

    private static String reply() {
        StringBuilder b = new StringBuilder("BEGIN");
        for (int i = 0; i < WORDS; i++) {
            String tag = "w" + i + "-";
            b.append(' ').append(tag).append(Character.toString('a' + i % 26).repeat(WORD_LENGTH - tag.length()));
        }
        return b.append(" END").toString();
    }

    private static void send(Page page, String text) {
        Locator input = page.locator("vaadin-message-input textarea");
        input.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE));
        page.waitForCondition(input::isEnabled);
        input.fill(text);
        input.press("Enter");
    }

    private static String text(Locator reply) {
        Locator message = reply.locator("vaadin-message");
        return message.count() == 0 ? "" : (String) message.first().evaluate(Chromium.DEEP_TEXT);
    }
}
