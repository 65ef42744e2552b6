package dev.switchboard.account.ui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.switchboard.testsupport.Chromium;
import dev.switchboard.testsupport.ChromiumExtension;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In Debian's Chromium: a user who changes their password in Account stays logged in in that browser, and their
 * session in another browser ends at its next request.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:pwchange-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1"})
@DirtiesContext
class PasswordChangeInBrowserTest {
    private static final String OLD = "old-password-123";
    private static final String NEW = "new-password-456";

    @RegisterExtension
    static final ChromiumExtension chromium = new ChromiumExtension();

    @LocalServerPort int port;
    @Autowired UserAccounts accounts;
    private final List<BrowserContext> contexts = new ArrayList<>();

    @AfterEach
    void close() {
        contexts.forEach(BrowserContext::close);
    }

    private Page loggedIn(String user) {
        BrowserContext context = chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1100, 900));
        contexts.add(context);
        Page page = context.newPage();
        page.setDefaultTimeout(20_000);
        page.navigate("http://localhost:" + port + "/account");
        Chromium.logIn(page, user, OLD);
        page.waitForSelector("text=Change password");
        return page;
    }

    @Test
    void changingTheOwnPasswordKeepsThisSessionAndEndsTheOthers() {
        accounts.create("hank", OLD, Role.USER);
        Page here = loggedIn("hank");
        Page elsewhere = loggedIn("hank");

        here.getByLabel("Current password").fill(OLD);
        here.getByLabel("New password", new Page.GetByLabelOptions().setExact(true)).fill(NEW);
        here.getByLabel("Repeat the new password").fill(NEW);
        here.locator("vaadin-button:has-text('Change password')").click();
        here.waitForSelector("text=Your password was changed.");

        here.reload();
        here.waitForSelector("text=Change password");
        assertThat(here.url()).contains("/account").doesNotContain("login");

        elsewhere.reload();
        elsewhere.waitForSelector("vaadin-login-form input[name=username]");
        assertThat(elsewhere.url()).contains("/login");
        Chromium.logIn(elsewhere, "hank", NEW);
        elsewhere.waitForSelector("text=Change password");
    }
}
