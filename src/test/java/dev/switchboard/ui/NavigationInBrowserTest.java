package dev.switchboard.ui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.switchboard.testsupport.Chromium;
import dev.switchboard.testsupport.ChromiumExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MainLayout} renders the app links and the drawer toggle as plain web components (no server-side state per
 * tab); in Debian's Chromium they look and work as the SideNav/DrawerToggle components did: the same items and
 * icons, the current route marked, a click navigates within the page, the toggle opens and closes the drawer. So do
 * the layout and the user menu, which are the web components without their Flow components too.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:nav-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=" + NavigationInBrowserTest.PASSWORD})
@DirtiesContext
class NavigationInBrowserTest {
    static final String PASSWORD = "Browser-admin-pw-1";

    @RegisterExtension
    static final ChromiumExtension chromium = new ChromiumExtension();

    @LocalServerPort
    int port;

    @Test
    void theAppLinksAndTheDrawerToggleWorkAsBefore() {
        Page page = loggedInChat(chromium.browser().newPage());

        Locator items = page.locator("vaadin-side-nav-item");
        assertThat(items.evaluateAll("l => l.map(i => i.path + '|' + i.textContent + '|' + i.querySelector('vaadin-icon[slot=prefix]').icon)"))
                .isEqualTo(List.of("|Chat|vaadin:chat", "usage|My usage|vaadin:pie-chart",
                        "account|Account & API tokens|vaadin:key", "admin/usage|Usage|vaadin:bar-chart",
                        "admin/upstreams|Upstreams|vaadin:connect", "admin/users|Users|vaadin:users",
                        "admin/audit|Audit log|vaadin:list"));
        assertThat(page.locator("vaadin-side-nav [slot=label]").textContent()).isEqualTo("Admin");
        assertThat(current(page)).isEqualTo(List.of(""));
        assertThat(page.locator("vaadin-side-nav-item[path=usage]").boundingBox().height).as("rendered").isGreaterThan(0);

        page.evaluate("() => window.__sbSamePage = true");
        page.locator("vaadin-side-nav-item[path=usage]").click();
        page.waitForURL("**/usage");
        page.locator("h2:has-text('My usage')").waitFor();
        assertThat(current(page)).isEqualTo(List.of("usage"));
        assertThat(page.evaluate("() => window.__sbSamePage === true")).as("navigated without a page load").isEqualTo(true);

        boolean open = (Boolean) page.evaluate("() => document.querySelector('vaadin-app-layout').drawerOpened");
        page.locator("vaadin-drawer-toggle").click();
        page.waitForFunction("o => document.querySelector('vaadin-app-layout').drawerOpened !== o", open);
        assertThat(page.locator("vaadin-menu-bar.sb-user-menu").textContent()).contains("admin");
    }

    @Test
    void everyIconOfTheChatIsDrawnThoughNoIconComponentIsOnIt() {
        Page page = loggedInChat(chromium.browser().newPage());
        // The iconset's code comes with the Icon component's chunk of the bundle, which the layout asks for; without
        // that the links and New chat showed no icons until a view with an Icon component was opened.
        assertThat(page.locator("vaadin-icon").count()).isGreaterThanOrEqualTo(8);
        // A drawn icon has the iconset's paths; one whose iconset never loaded renders an empty 24x24 box.
        page.waitForFunction("() => [...document.querySelectorAll('vaadin-icon')]"
                + ".every(i => i.shadowRoot && i.shadowRoot.querySelector('svg path'))");
    }

    @Test
    void theUserMenuOpensTheAccountPageAndLogsOut() {
        Page page = loggedInChat(chromium.browser().newPage());

        page.locator("vaadin-menu-bar-button.sb-user").click();
        page.locator("vaadin-menu-bar-item:has-text('Account')").click();
        page.waitForURL("**/account");

        page.locator("vaadin-menu-bar-button.sb-user").click();
        page.locator("vaadin-menu-bar-item:has-text('Logout')").click();
        page.waitForURL("**/login");
        page.navigate("http://localhost:" + port + "/account");
        page.waitForSelector("vaadin-login-form input[name=username]");
        assertThat(page.url()).as("the session ended").endsWith("/login");
    }

    @Test
    void onANarrowScreenTheDrawerCoversTheContentAndClosesAfterANavigation() {
        Page page = loggedInChat(chromium.browser().newPage(new Browser.NewPageOptions().setViewportSize(400, 800)));
        assertThat(page.evaluate("() => document.querySelector('vaadin-app-layout').overlay")).isEqualTo(true);

        page.locator("vaadin-drawer-toggle").click();
        page.waitForFunction("() => document.querySelector('vaadin-app-layout').drawerOpened");
        assertThat(page.evaluate("() => getComputedStyle(document.querySelector('vaadin-app-layout')"
                + ".shadowRoot.querySelector('[part=drawer]')).backgroundColor")).as("opaque").isEqualTo("rgb(255, 255, 255)");
        page.locator("vaadin-side-nav-item[path=usage]").click();
        page.waitForURL("**/usage");
        page.waitForFunction("() => !document.querySelector('vaadin-app-layout').drawerOpened");
    }

    /** The page, logged in as the admin, at the chat. */
    private Page loggedInChat(Page page) {
        page.setDefaultTimeout(20_000);
        page.navigate("http://localhost:" + port + "/login");
        Chromium.logIn(page, "admin", PASSWORD);
        page.waitForSelector("vaadin-message-input textarea");
        return page;
    }

    @SuppressWarnings("unchecked")
    private static List<String> current(Page page) {
        return (List<String>) page.evaluate("() => [...document.querySelectorAll('vaadin-side-nav-item')]"
                + ".filter(i => i.current).map(i => i.path)");
    }
}
