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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * XSS payloads in the user's message and in the model's reply (both rendered as markdown by Vaadin's MessageList)
 * stay inert in a real Chromium: nothing runs, no dialog opens, and no script, event handler or javascript: URL
 * survives in the DOM. The page's CSP allows inline script (Vaadin needs it), so sanitizing is the defence tested.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:xss-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + XssInBrowserTest.PASSWORD})
@DirtiesContext
class XssInBrowserTest {
    static final String PASSWORD = "Xss-admin-password-1";
    static final List<String> PAYLOADS = List.of(
            "<img src=x onerror=\"window.__xss=1\">",
            "<script>window.__xss=2</script>",
            "[click](javascript:window.__xss=3)",
            "<a href=\"javascript:window.__xss=4\">x</a>",
            "<iframe src=\"javascript:window.__xss=6\"></iframe>",
            "<details open ontoggle=\"window.__xss=7\"><summary>s</summary></details>",
            "[case](JaVaScRiPt:window.__xss=9)",
            "<a href=\"jav&#x09;ascript:window.__xss=10\">tab</a>",
            "<form action=\"javascript:window.__xss=11\"><button>go</button></form>",
            "<img src=\"x\" onerror=\"alert(12)\">",
            "<object data=\"javascript:window.__xss=13\"></object>",
            "![img](javascript:window.__xss=14)",
            "end-of-payloads",
            // Unclosed: these swallow whatever follows them in the same message, so they come last.
            "<svg onload=\"window.__xss=5\">",
            "<math><mtext><table><mglyph><style><img src=x onerror=\"window.__xss=8\">");
    /** Markdown that must render, so the test proves the markdown path is on and not just escaped text. */
    private static final String MARKER = "**bold-marker**";
    private static final String REPLY = MARKER + "\n\n" + String.join("\n\n", PAYLOADS);
    private static final OfflineModelServer upstream = OfflineModelServer.start(0,
            Behavior.fast().withTokensPerSecond(80).withReplyText(REPLY));

    /** Deep walk, shadow roots included: every script, event handler attribute and javascript:/data: URL left. */
    private static final String FIND_ACTIVE = """
            root => { const found = [];
              const bad = v => /^\\s*(javascript|vbscript|data:text\\/html)/i.test((v || '').replace(/[\\u0000-\\u001f]/g, ''));
              const walk = n => {
                if (n.nodeType === 1) {
                  const tag = n.tagName.toLowerCase();
                  if (tag === 'script' && (n.textContent || '').includes('__xss')) found.push('script: ' + n.textContent);
                  if (['iframe', 'object', 'embed'].includes(tag)) found.push('element: ' + tag);
                  for (const a of n.attributes) {
                    if (a.name.startsWith('on') && /__xss|alert/.test(a.value)) found.push('handler ' + tag + '[' + a.name + ']');
                    if (['href', 'src', 'action', 'formaction', 'data', 'xlink:href'].includes(a.name) && bad(a.value))
                      found.push('url ' + tag + '[' + a.name + ']=' + a.value);
                  }
                  if (n.shadowRoot) walk(n.shadowRoot);
                }
                for (const c of n.childNodes) walk(c);
              };
              walk(root); return found; }""";

    @RegisterExtension
    static final ChromiumExtension chromium = new ChromiumExtension().closing(upstream);

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void mockUpstream(DynamicPropertyRegistry r) {
        MockUpstream.register(r, 0, "mock", upstream);
    }

    @Test
    void payloadsInUserAndModelTextDoNotExecute() throws Exception {
        Page page = chromium.browser().newPage(new Browser.NewPageOptions().setViewportSize(1280, 1400));
        page.setDefaultTimeout(20_000);
        List<String> dialogs = new CopyOnWriteArrayList<>();
        page.onDialog(d -> {
            dialogs.add(d.type() + ": " + d.message());
            d.dismiss();
        });
        try {
            run(page, dialogs);
        } catch (Throwable t) {
            screenshot(page, "xss-failure");
            throw t;
        }
    }

    private void run(Page page, List<String> dialogs) throws Exception {
        page.navigate("http://localhost:" + port + "/");
        Chromium.logIn(page, "admin", PASSWORD);
        Locator input = page.locator("vaadin-message-input textarea");
        input.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE));
        page.waitForCondition(input::isEnabled);

        input.fill(MARKER + "\n\n" + String.join("\n\n", PAYLOADS));
        input.press("Enter");
        Locator reply = page.locator(".sb-reply").last();
        reply.waitFor();
        page.waitForCondition(() -> completed(reply), new Page.WaitForConditionOptions().setTimeout(30_000));

        Locator messages = page.locator("vaadin-message-list vaadin-message");
        assertThat(messages.count()).isGreaterThanOrEqualTo(2);
        for (int i = 0; i < 2; i++) {
            assertThat((String) messages.nth(i).evaluate(Chromium.DEEP_TEXT)).as("message %d got all payloads", i)
                    .contains("end-of-payloads").contains("tab").contains("case");
        }
        assertThat(page.locator("vaadin-message-list vaadin-message strong").filter(
                new Locator.FilterOptions().setHasText("bold-marker")).count())
                .as("markdown is rendered in both messages").isEqualTo(2);
        screenshot(page, "xss-rendered");

        // Click whatever links the sanitizer left, as a curious user would.
        Locator links = page.locator("vaadin-message-list vaadin-message a");
        String url = page.url();
        for (int i = 0; i < links.count(); i++) {
            Locator link = links.nth(i);
            if (link.isVisible()) link.click(new Locator.ClickOptions().setTimeout(2_000).setNoWaitAfter(true));
        }
        page.waitForTimeout(500);
        assertThat(page.url()).as("no link navigated away").isEqualTo(url);

        @SuppressWarnings("unchecked") // the detector itself must see unsanitized markup, else this test proves nothing
        List<String> raw = (List<String>) page.evaluate("() => (" + FIND_ACTIVE + ")(new DOMParser().parseFromString("
                + "'<img src=x onerror=\"window.__xss=1\"><a href=\"javascript:x\">a</a>', 'text/html'))");
        assertThat(raw).hasSize(2);
        assertThat(page.evaluate("() => typeof window.__xss")).as("window.__xss").isEqualTo("undefined");
        assertThat(dialogs).as("dialogs opened").isEmpty();
        @SuppressWarnings("unchecked")
        List<String> active = (List<String>) page.locator("vaadin-message-list").first().evaluate(
                "(el) => { const f = " + FIND_ACTIVE + "; return [...document.querySelectorAll('vaadin-message-list')].flatMap(f); }");
        assertThat(active).as("active content left in the message lists").isEmpty();
        @SuppressWarnings("unchecked")
        List<String> anywhere = (List<String>) page.evaluate("() => (" + FIND_ACTIVE + ")(document)");
        assertThat(anywhere).as("active content anywhere on the page").isEmpty();
        assertThat((String) page.evaluate("() => document.documentElement.outerHTML")).doesNotContain("onerror=\"window.__xss");
    }

    private static boolean completed(Locator reply) {
        Locator meta = reply.locator(".sb-meta");
        return meta.count() > 0 && meta.isVisible() && meta.innerText().contains("tokens");
    }

    private static void screenshot(Page page, String name) throws Exception {
        Path classes = Paths.get(XssInBrowserTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = classes.getParent().resolve("screenshots");
        Files.createDirectories(dir);
        page.screenshot(new Page.ScreenshotOptions().setPath(dir.resolve(name + ".png")).setFullPage(true));
    }
}
