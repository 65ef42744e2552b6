package dev.switchboard.testsupport;

import com.microsoft.playwright.Browser;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * One headless Chromium per test class ({@code @RegisterExtension static}), skipped where it is not installed, closed
 * after the class together with what the class hands to {@link #closing} (its mock upstream).
 */
public final class ChromiumExtension implements BeforeAllCallback, AfterAllCallback {
    private final List<AutoCloseable> alsoClose = new ArrayList<>();
    private Chromium chromium;

    public ChromiumExtension closing(AutoCloseable resource) {
        alsoClose.add(resource);
        return this;
    }

    public Browser browser() {
        return chromium.browser();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        chromium = Chromium.launchOrSkip();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (chromium != null) chromium.close();
        for (AutoCloseable c : alsoClose) c.close();
    }
}
