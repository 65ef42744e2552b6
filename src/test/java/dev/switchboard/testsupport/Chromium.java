package dev.switchboard.testsupport;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's Chromium driven by Playwright, launched the one way that works on these machines (NOTES.md): the system
 * browser, no download, no background networking.
 */
public final class Chromium implements AutoCloseable {
    public static final Path PATH = Path.of("/usr/bin/chromium");
    /** JS: the text of an element including what its shadow roots render (vaadin-message draws into its shadow DOM). */
    public static final String DEEP_TEXT = "el => { const walk = n => { let t = ''; if (n.shadowRoot) t += walk(n.shadowRoot);"
            + " for (const c of n.childNodes) t += c.nodeType === 3 ? c.textContent : walk(c); return t; }; return walk(el); }";

    private final Playwright playwright;
    private final Browser browser;

    private Chromium() {
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(PATH)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
    }

    public static boolean installed() {
        return Files.isExecutable(PATH);
    }

    public static Chromium launch() {
        return new Chromium();
    }

    /** For tests: skipped, with the reason, only where Chromium is not installed (CI installs it). */
    public static Chromium launchOrSkip() {
        assumeTrue(installed(), "Skipped: " + PATH + " is missing (apt-get install -y chromium)");
        return launch();
    }

    public Browser browser() {
        return browser;
    }

    /** Fills Vaadin's login form on the current page and submits it. */
    public static void logIn(Page page, String username, String password) {
        page.fill("vaadin-login-form input[name=username]", username);
        page.fill("vaadin-login-form input[name=password]", password);
        page.press("vaadin-login-form input[name=password]", "Enter");
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
