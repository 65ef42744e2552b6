package dev.switchboard.admin.ui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import dev.switchboard.testsupport.Chromium;
import dev.switchboard.testsupport.ChromiumExtension;
import dev.switchboard.usage.JdbcUsageRecorder;
import dev.switchboard.usage.UsageRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /admin/usage and /usage in Debian's Chromium with a month of generated usage; screenshots go to
 * {@code <build dir>/screenshots/usage-*.png}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:usage-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + UsageDashboardBrowserTest.PASSWORD,
        "switchboard.prices[gpt-5.5].input-per-million=1.25", "switchboard.prices[gpt-5.5].output-per-million=10",
        "switchboard.prices[gpt-4.1-mini].input-per-million=0.4", "switchboard.prices[gpt-4.1-mini].output-per-million=1.6",
        "switchboard.prices[claude-sonnet-4.5].input-per-million=3", "switchboard.prices[claude-sonnet-4.5].output-per-million=15"})
@DirtiesContext
class UsageDashboardBrowserTest {
    static final String PASSWORD = "Browser-admin-pw-1";
    @RegisterExtension
    static final ChromiumExtension chromium = new ChromiumExtension();

    @LocalServerPort
    int port;
    @Autowired
    JdbcUsageRecorder recorder;

    @Test
    void dashboardRendersWithAMonthOfUsage() throws Exception {
        seed();
        Page page = chromium.browser().newPage(new Browser.NewPageOptions().setViewportSize(1440, 1000));
        page.setDefaultTimeout(30_000);
        page.navigate("http://localhost:" + port + "/admin/usage");
        page.waitForSelector("vaadin-login-form input[name=username]");
        Chromium.logIn(page, "admin", PASSWORD);
        page.waitForSelector(".sb-usage-chart svg");
        page.waitForSelector("vaadin-grid");
        page.waitForTimeout(1500); // grids render their rows after attach
        screenshot(page, "usage-dashboard");
        String text = page.innerText("body");
        assertThat(text).contains("Requests").contains("By user").contains("By model").contains("Median time to first token");

        page.navigate("http://localhost:" + port + "/usage");
        page.waitForSelector(".sb-usage-chart svg");
        page.waitForTimeout(1000);
        screenshot(page, "usage-mine");
    }

    /** About 1,500 generations over 30 days: 12 users, 5 models (two without a price), all four end statuses. */
    private void seed() {
        Random random = new Random(7);
        String[] models = {"gpt-5.5", "gpt-4.1-mini", "claude-sonnet-4.5", "llama-3.3-70b", "offline"};
        Instant now = Instant.now();
        for (int i = 0; i < 1500; i++) {
            int user = (int) Math.floor(Math.exp(random.nextDouble() * Math.log(13)) - 1);
            String model = models[Math.min(models.length - 1, (int) Math.floor(random.nextDouble() * random.nextDouble() * models.length * 1.6))];
            double s = random.nextDouble();
            String status = s < 0.92 ? "completed" : s < 0.96 ? "stopped" : s < 0.985 ? "failed" : "interrupted";
            boolean failed = status.equals("failed");
            Instant start = now.minus(random.nextInt(30 * 24 * 60), ChronoUnit.MINUTES);
            long prompt = 50 + random.nextInt(3000), completion = failed ? 0 : 20 + random.nextInt(1200);
            Long ttft = failed ? null : 200L + (long) Math.abs(random.nextGaussian() * 500);
            recorder.record(new UsageRecord(UUID.randomUUID().toString(), user == 0 ? "admin" : "user" + user, null, model,
                    failed ? null : model, failed ? null : (random.nextDouble() < 0.85 ? "agent-router" : "openrouter"),
                    prompt, completion, random.nextDouble() < 0.1 || !status.equals("completed"), status,
                    random.nextDouble() < 0.03 ? 1 : 0, failed ? "simulated" : null, ttft, 2000, start, start.plusSeconds(2), List.of()));
        }
        recorder.flush();
    }

    private static void screenshot(Page page, String name) throws Exception {
        Path classes = Paths.get(UsageDashboardBrowserTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = classes.getParent().resolve("screenshots");
        Files.createDirectories(dir);
        page.screenshot(new Page.ScreenshotOptions().setPath(dir.resolve(name + ".png")).setFullPage(true));
    }
}
