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
import dev.switchboard.testsupport.MockUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading a reply in Debian's Chromium: the copy buttons put the message's text (as written, markdown) and a code
 * block's code on the clipboard, code blocks are highlighted by highlight.js from its WebJar, tables have borders,
 * messages show their time. Screenshots of the chat (light and dark) go to {@code <build dir>/screenshots}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:reading-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + ReadingRepliesInBrowserTest.PASSWORD})
@DirtiesContext
class ReadingRepliesInBrowserTest {
    static final String PASSWORD = "Reading-admin-pw-1";
    static final String CODE = """
            public static int add(int a, int b) {
                return a + b; // the sum
            }""";
    static final String REPLY = "Here is a **small** function:\n\n```java\n" + CODE + "\n```\n\n"
            + "And what it costs:\n\n| Model | Tokens | Cost |\n|---|---:|---:|\n| gpt-5.5 | 1,024 | $0.0031 |\n"
            + "| offline | 64 | — |\n\nThat is all.";
    private static final OfflineModelServer upstream = OfflineModelServer.start(0,
            Behavior.fast().withTokensPerSecond(200).withReplyText(REPLY));

    @RegisterExtension
    static final ChromiumExtension chromium = new ChromiumExtension().closing(upstream);

    @LocalServerPort
    int port;
    private BrowserContext context;
    private Page page;
    private final List<String> console = new CopyOnWriteArrayList<>();

    @DynamicPropertySource
    static void mockUpstream(DynamicPropertyRegistry r) {
        MockUpstream.register(r, 0, "mock", upstream);
    }

    @BeforeEach
    void openChat() {
        context = chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1100, 900)
                .setPermissions(List.of("clipboard-read", "clipboard-write")));
        page = context.newPage();
        page.setDefaultTimeout(20_000);
        page.onConsoleMessage(m -> console.add(m.type() + ": " + m.text()));
        page.navigate("http://localhost:" + port + "/");
        Chromium.logIn(page, "admin", PASSWORD);
        page.waitForSelector("vaadin-message-input textarea");
    }

    @AfterEach
    void close(TestInfo test) throws Exception {
        screenshot(page, "reading-" + test.getTestMethod().orElseThrow().getName());
        System.err.println("Browser console:\n" + String.join("\n", console));
        context.close();
    }

    @Test
    void copyButtonsPutTheMessageAndTheCodeOnTheClipboard() {
        send("Show me some code");
        Locator reply = completedReply();

        reply.locator("vaadin-button.sb-copy").click();
        page.waitForCondition(() -> REPLY.equals(clipboard()));
        assertThat(reply.locator("vaadin-button.sb-copy").getAttribute("copied")).isEqualTo("ok");

        reply.locator("pre .sb-code-copy").click();
        page.waitForCondition(() -> CODE.equals(clipboard().stripTrailing()));

        page.locator(".sb-user-message vaadin-button.sb-copy").first().click();
        page.waitForCondition(() -> "Show me some code".equals(clipboard()));
    }

    @Test
    void codeBlocksAreHighlightedTablesHaveBordersAndMessagesTheirTime() throws Exception {
        send("Show me some code");
        Locator reply = completedReply();

        Locator code = reply.locator("pre code");
        page.waitForCondition(() -> code.locator("span.hljs-keyword").count() > 0);
        assertThat(code.getAttribute("class")).contains("hljs", "language-java");
        assertThat(code.locator("span.hljs-comment").innerText()).isEqualTo("// the sum");
        assertThat(code.innerText().stripTrailing()).as("highlighting keeps the code as it was").isEqualTo(CODE);

        Locator cell = reply.locator("td").first();
        assertThat(cell.evaluate("td => getComputedStyle(td).borderTopStyle")).isEqualTo("solid");
        assertThat(cell.evaluate("td => getComputedStyle(td).borderTopWidth")).isEqualTo("1px");
        assertThat(reply.locator("th").allInnerTexts()).containsExactly("Model", "Tokens", "Cost");

        for (Locator message : page.locator("vaadin-message").all()) {
            assertThat((String) message.evaluate("m => m.time")).as("the time shown with each message").isNotBlank();
        }
        screenshot(page, "chat-light");
    }

    private void send(String text) {
        Locator input = page.locator("vaadin-message-input textarea");
        input.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE));
        page.waitForCondition(input::isEnabled);
        input.fill(text);
        input.press("Enter");
    }

    /** The last reply, once its meta line shows the token counts (it has ended). */
    private Locator completedReply() {
        Locator reply = page.locator(".sb-reply").last();
        reply.waitFor();
        page.waitForCondition(() -> reply.locator(".sb-meta").innerText().contains("tokens"));
        return reply;
    }

    private String clipboard() {
        return (String) page.evaluate("() => navigator.clipboard.readText()");
    }

    static void screenshot(Page page, String name) throws Exception {
        Path classes = Paths.get(ReadingRepliesInBrowserTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = classes.getParent().resolve("screenshots");
        Files.createDirectories(dir);
        page.screenshot(new Page.ScreenshotOptions().setPath(dir.resolve(name + ".png")).setFullPage(true));
    }
}
