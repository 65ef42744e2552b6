package dev.switchboard.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.switchboard.SwitchboardApplication;
import dev.switchboard.chat.ConversationFixtures;
import dev.switchboard.chat.ConversationHistory;
import dev.switchboard.chat.ConversationStore;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.testsupport.Chromium;
import dev.switchboard.testsupport.ChromiumExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conversations that last, in Debian's Chromium: two turns, the app restarted on the same H2 file, a new login finds
 * the conversation in the sidebar with both turns; then rename, search, regenerate (both versions reachable), edit &
 * resend and delete. Screenshots go to {@code <build dir>/screenshots} and, when it exists, /work/shots.
 */
class ConversationsInBrowserTest {
    private static final String PASSWORD = "Browser-admin-pw-2";
    private static final OfflineModelServer upstream = OfflineModelServer.start(0, Behavior.fast().withTokensPerSecond(200));

    @RegisterExtension
    static final ChromiumExtension chromium = new ChromiumExtension().closing(upstream);

    @TempDir
    Path data;

    @Test
    void conversationSurvivesARestartAndCanBeRenamedSearchedRegeneratedEditedAndDeleted() throws Exception {
        String id;
        try (ConfigurableApplicationContext app = start()) {
            Page page = newPage(port(app));
            try {
                send(page, "Tell me about **Rome**");
                awaitReplies(page, 1);
                send(page, "And what about Paris?");
                awaitReplies(page, 2);
                assertThat(page.url()).contains("/c/");
                id = page.url().substring(page.url().indexOf("/c/") + 3);
                screenshot(page, "conv-1-two-turns");
            } finally {
                page.context().close();
            }
        }

        try (ConfigurableApplicationContext app = start()) { // the restart: same database file, a new login
            olderConversations(app);
            Page page = newPage(port(app));
            try {
                afterRestart(page, id);
            } catch (Throwable t) {
                screenshot(page, "conv-failure");
                throw t;
            } finally {
                page.context().close();
            }
        }
    }

    private void afterRestart(Page page, String id) throws Exception {
        Locator item = page.locator(".sb-conversation:has-text('Tell me about Rome')");
        item.waitFor();
        assertThat(page.locator(".sb-list-heading").allTextContents())
                .containsExactly("Pinned", "Today", "Yesterday", "Previous 7 days", "Older");
        screenshot(page, "conv-0-sidebar-groups");
        item.click();
        awaitReplies(page, 2);
        assertThat(userTexts(page)).containsExactly("Tell me about Rome", "And what about Paris?");
        assertThat(page.url()).endsWith("/c/" + id);
        screenshot(page, "conv-2-after-restart");

        // Rename in place
        page.locator("vaadin-button.sb-rename-button").click();
        Locator title = page.locator("vaadin-text-field.sb-rename input");
        title.fill("Roman holiday");
        title.press("Enter");
        page.locator(".sb-conversation:has-text('Roman holiday')").waitFor();
        assertThat(page.locator(".sb-title").innerText()).isEqualTo("Roman holiday");

        // A second conversation, then search by message text
        page.locator("vaadin-button.sb-new-chat").click();
        page.waitForCondition(() -> page.locator(".sb-reply").count() == 0);
        send(page, "Something about bread");
        awaitReplies(page, 1);
        page.locator(".sb-conversation:has-text('Something about bread')").waitFor();
        page.locator("vaadin-text-field.sb-search input").fill("paris");
        page.waitForCondition(() -> page.locator(".sb-conversation").count() == 1);
        assertThat(page.locator(".sb-conversation").innerText()).isEqualTo("Roman holiday");
        screenshot(page, "conv-3-search");
        page.locator("vaadin-text-field.sb-search input").fill("");
        page.waitForCondition(() -> page.locator(".sb-conversation").count() == 6);

        // Regenerate the last reply: both versions reachable
        page.locator(".sb-conversation:has-text('Roman holiday')").click();
        awaitReplies(page, 2);
        page.locator(".sb-reply").last().locator("vaadin-button.sb-regenerate").click();
        Locator version = page.locator(".sb-reply").last().locator(".sb-version");
        version.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE));
        page.waitForCondition(() -> "2/2".equals(version.innerText()) && completed(page.locator(".sb-reply").last()));
        screenshot(page, "conv-4-regenerated");
        page.locator(".sb-reply").last().locator("vaadin-button.sb-version-previous").click();
        page.waitForCondition(() -> "1/2".equals(page.locator(".sb-reply").last().locator(".sb-version").innerText()));
        assertThat(page.locator(".sb-reply").count()).isEqualTo(2);

        // Edit & resend the first question: a new version of the turn; the original stays reachable
        page.locator(".sb-user-message").first().locator("vaadin-button.sb-edit").click();
        Locator editor = page.locator(".sb-editor textarea");
        editor.fill("Tell me about Naples");
        page.locator("vaadin-button.sb-edit-send").click();
        page.waitForCondition(() -> userTexts(page).equals(List.of("Tell me about Naples")));
        awaitReplies(page, 1);
        assertThat(text(page.locator(".sb-reply").last())).contains("Naples");
        Locator questionVersion = page.locator(".sb-user-message").first().locator(".sb-version");
        assertThat(questionVersion.innerText()).isEqualTo("2/2");
        screenshot(page, "conv-5-edited");
        page.locator(".sb-user-message").first().locator("vaadin-button.sb-version-previous").click();
        page.waitForCondition(() -> userTexts(page).equals(List.of("Tell me about Rome", "And what about Paris?")));

        // Delete after confirming; the old link then says not found
        page.locator("vaadin-button.sb-delete").click();
        Locator confirm = page.locator("vaadin-button[slot='confirm-button']");
        confirm.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE));
        screenshot(page, "conv-6-delete-confirmation");
        confirm.click();
        page.waitForCondition(() -> page.locator(".sb-conversation:has-text('Roman holiday')").count() == 0);
        assertThat(page.locator(".sb-conversation:has-text('Something about bread')").count()).isEqualTo(1);
        page.navigate(page.url().replaceAll("/(c/.*)?$", "") + "/c/" + id);
        page.locator(".sb-not-found").waitFor();
        assertThat(userTexts(page)).isEmpty();
    }

    /** Older conversations of the admin, for the sidebar's groups (written to the store as the chat would). */
    private static void olderConversations(ConfigurableApplicationContext app) {
        ConversationFixtures f = new ConversationFixtures(app.getBean(ConversationStore.class));
        Instant now = Instant.now();
        String pinned = f.conversation("admin", "Packing list for the Alps", now.minus(Duration.ofDays(60)), "What to pack?");
        app.getBean(ConversationHistory.class).pin("admin", pinned, true);
        f.conversation("admin", "Sourdough starter", now.minus(Duration.ofDays(1)), "How do I feed it?");
        f.conversation("admin", "SQL window functions", now.minus(Duration.ofDays(4)), "Explain ROW_NUMBER()");
        f.conversation("admin", "Birthday poem", now.minus(Duration.ofDays(30)), "A poem for Ada");
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(SwitchboardApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=jdbc:h2:file:" + data.resolve("switchboard").toAbsolutePath() + ";AUTO_SERVER=FALSE",
                "--switchboard.admin-password=" + PASSWORD,
                "--switchboard.upstreams[0].name=mock",
                "--switchboard.upstreams[0].base-url=" + upstream.baseUrl(),
                "--switchboard.upstreams[0].api-key=" + upstream.apiKey());
    }

    private static int port(ConfigurableApplicationContext app) {
        return ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    /** A fresh browser context (no cookies: a new login), logged in, at the chat. */
    private static Page newPage(int port) {
        BrowserContext context = chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        Page page = context.newPage();
        page.setDefaultTimeout(30_000);
        page.navigate("http://localhost:" + port + "/");
        page.waitForSelector("vaadin-login-form input[name=username]");
        Chromium.logIn(page, "admin", PASSWORD);
        page.waitForSelector("vaadin-message-input textarea");
        return page;
    }

    private static void send(Page page, String text) {
        Locator input = page.locator("vaadin-message-input textarea");
        input.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE));
        page.waitForCondition(input::isEnabled);
        input.fill(text);
        input.press("Enter");
    }

    private static void awaitReplies(Page page, int n) {
        page.waitForCondition(() -> {
            Locator replies = page.locator(".sb-reply");
            if (replies.count() != n) return false;
            for (int i = 0; i < n; i++) if (!completed(replies.nth(i))) return false;
            return true;
        });
    }

    /** The meta line shows token counts only once the reply has ended. */
    private static boolean completed(Locator reply) {
        if (reply.count() == 0) return false;
        Locator meta = reply.locator(".sb-meta");
        return meta.count() > 0 && meta.isVisible() && meta.innerText().contains("tokens");
    }

    private static List<String> userTexts(Page page) {
        List<String> out = new ArrayList<>();
        Locator messages = page.locator(".sb-user-message vaadin-message");
        try {
            for (int i = 0; i < messages.count(); i++) {
                out.add(((String) messages.nth(i).locator("vaadin-markdown, [part=content]").first()
                        .evaluate("e => e.innerText", null, new Locator.EvaluateOptions().setTimeout(2_000))).strip());
            }
        } catch (com.microsoft.playwright.TimeoutError rerendered) {
            out.add("(re-rendered while read)"); // the caller asks again
        }
        return out;
    }

    private static String text(Locator reply) {
        Locator message = reply.locator("vaadin-message");
        return message.count() == 0 ? "" : (String) message.first().evaluate(Chromium.DEEP_TEXT);
    }

    private static void screenshot(Page page, String name) throws Exception {
        Path classes = Paths.get(ConversationsInBrowserTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = classes.getParent().resolve("screenshots");
        Files.createDirectories(dir);
        page.screenshot(new Page.ScreenshotOptions().setPath(dir.resolve(name + ".png")));
        Path shots = Path.of("/work/shots");
        if (Files.isDirectory(shots)) Files.copy(dir.resolve(name + ".png"), shots.resolve(name + ".png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
