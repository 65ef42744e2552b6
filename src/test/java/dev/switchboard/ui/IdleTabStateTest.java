package dev.switchboard.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Div;
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
 * An idle chat tab keeps none for what is static in the browser (app links, drawer toggle) or not shown yet (Stop).
 */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:idle-tab-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1"})
@DirtiesContext
class IdleTabStateTest {
    /** State nodes of an idle admin chat tab: 42 when written; 70 while links, toggle and Stop were components. */
    private static final int NODE_BUDGET = 46;

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
        assertThat(all(ui, Button.class)).as("Stop is created when a reply first streams")
                .noneMatch(b -> b.hasClassName("sb-stop"));
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
