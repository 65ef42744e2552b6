package dev.switchboard.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.menubar.MenuBar;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.internal.StateNode;
import dev.switchboard.security.ui.LoginViews;
import dev.switchboard.testsupport.Karibu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every open tab keeps its server-side UI state while it is open, idle or not (the per-tab heap target is 100 KB).
 * An idle chat tab keeps none for what is static in the browser (app links, drawer toggle) or not shown yet (Stop),
 * and its layout, user menu and buttons are the web components without Vaadin's server-side components for them.
 */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:idle-tab-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1"})
@DirtiesContext
class IdleTabStateTest {
    /**
     * State nodes of an idle admin chat tab: 41 now; 42 with the layout, user menu and buttons as Vaadin components
     * (fewer nodes than their listeners and data weighed); 70 while links, toggle and Stop were components too.
     */
    private static final int NODE_BUDGET = 44;

    @Autowired
    ApplicationContext ctx;

    @AfterEach
    void tearDown() {
        Karibu.tearDown();
    }

    @Test
    void anIdleChatTabKeepsNoStateForStaticOrHiddenParts() throws Exception {
        openChat("ADMIN");
        UI ui = UI.getCurrent();
        assertThat(all(ui, Component.class)).as("no server-side nav or toggle components")
                .noneMatch(c -> c instanceof SideNav || c instanceof SideNavItem || c instanceof DrawerToggle);
        assertThat(all(ui, MainLayout.Toggle.class)).hasSize(1);
        assertThat(all(ui, Component.class)).as("no AppLayout, MenuBar, Button or Icon components")
                .noneMatch(c -> c instanceof AppLayout || c instanceof MenuBar || c instanceof Button || c instanceof Icon);
        assertThat(all(ui, UserMenu.class)).hasSize(1);
        assertThat(all(ui, LightButton.class)).as("New chat and the one conversation; Stop is created when a reply first streams")
                .extracting(LightButton::getText).containsExactly("New chat", "New chat");
        AtomicInteger nodes = new AtomicInteger();
        ui.getInternals().getStateTree().getRootNode().visitNodeTree(n -> nodes.incrementAndGet());
        assertThat(nodes.get()).isLessThanOrEqualTo(NODE_BUDGET);
    }

    @Test
    void adminsGetTheAdminLinksAndUsersDoNot() throws Exception {
        openChat("ADMIN");
        assertThat(navHtml()).contains("path=\"\"", "path=\"usage\"", "path=\"account\"", "Account &amp; API tokens",
                "icon=\"vaadin:pie-chart\"", "path=\"admin/usage\"", "path=\"admin/upstreams\"", "path=\"admin/users\"",
                "path=\"admin/audit\"", "icon=\"vaadin:bar-chart\"", ">Admin</span>");
        Karibu.tearDown();
        openChat("USER");
        assertThat(navHtml()).contains("path=\"usage\"", "path=\"account\"").doesNotContain("admin/", "Admin");
    }

    @SuppressWarnings("unchecked")
    private void openChat(String role) throws Exception {
        // The chat view is package-private in dev.switchboard.chat.ui; Karibu's route scan sees public classes only.
        Class<? extends Component> chat = (Class<? extends Component>) Class.forName("dev.switchboard.chat.ui.ChatView");
        Karibu.setUpLoggedIn(ctx, Karibu.routes(chat, LoginViews.loginView()), "alice", role);
        UI.getCurrent().navigate("");
    }

    private static String navHtml() {
        Div nav = all(UI.getCurrent(), Div.class).stream().filter(d -> d.hasClassName("sb-nav")).findFirst().orElseThrow();
        return nav.getElement().getProperty("innerHTML");
    }

    /** All components under {@code root}, hidden ones too (Karibu's lookups skip hidden components). */
    private static <T extends Component> List<T> all(Component root, Class<T> type) {
        List<T> out = new ArrayList<>();
        if (type.isInstance(root)) out.add(type.cast(root));
        root.getChildren().forEach(c -> out.addAll(all(c, type)));
        return out;
    }
}
