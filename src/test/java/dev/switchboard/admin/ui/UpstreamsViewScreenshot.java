package dev.switchboard.admin.ui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.switchboard.llm.ChatMessage;
import dev.switchboard.llm.CompletionRequest;
import dev.switchboard.llm.RecordingListener;
import dev.switchboard.llm.UpstreamRouter;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.testsupport.MockUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/** A screenshot of the admin's upstream view in headless Chromium: run with -Dsb.screenshots=true. */
@EnabledIfSystemProperty(named = "sb.screenshots", matches = "true")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:shot-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Screenshot-password-1"})
@DirtiesContext
class UpstreamsViewScreenshot {
    static final OfflineModelServer primary = OfflineModelServer.start(0, Behavior.failing(503));
    static final OfflineModelServer backup = OfflineModelServer.start(0, Behavior.fast());

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry r) {
        MockUpstream.register(r, 0, "primary", primary);
        MockUpstream.register(r, 1, "backup", backup);
        r.add("switchboard.upstreams[2].name", () -> "old-key");
        r.add("switchboard.upstreams[2].base-url", backup::baseUrl);
        r.add("switchboard.upstreams[2].api-key", () -> "sk-rotated");
    }

    @AfterAll
    static void stop() {
        primary.close();
        backup.close();
    }

    @LocalServerPort int port;
    @Autowired UpstreamRouter router;

    @Test
    void screenshot() throws Exception {
        for (int i = 0; i < 4; i++) {
            RecordingListener l = new RecordingListener();
            router.route(new CompletionRequest("gpt-5.5", List.of(ChatMessage.user("hi"))), l);
            l.await();
        }
        backup.setBehavior(Behavior.failing(502));
        RecordingListener l = new RecordingListener();
        router.route(new CompletionRequest("gpt-5.5", List.of(ChatMessage.user("hi"))), l); // backup 502 → old-key 401
        l.await();
        try (Playwright pw = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = pw.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(Paths.get("/usr/bin/chromium"))
                     .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                             "--disable-background-networking", "--disable-component-update", "--disable-sync")))) {
            Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1400, 900));
            page.navigate("http://localhost:" + port + "/login"); // Vaadin's login form or Spring's: same field names
            page.fill("input[name=username]", "admin");
            page.fill("input[name=password]", "Screenshot-password-1");
            page.keyboard().press("Enter");
            page.waitForURL(u -> !u.contains("/login"));
            page.navigate("http://localhost:" + port + "/admin/upstreams");
            page.waitForSelector("vaadin-grid");
            page.waitForTimeout(1500);
            page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target-failover/upstreams-view.png")).setFullPage(true));
        }
    }
}
