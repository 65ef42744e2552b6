package dev.switchboard.ui;

import com.github.mvysny.kaributesting.v10.Routes;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.H2;
import dev.switchboard.security.ui.LoginViews;
import dev.switchboard.testsupport.Karibu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

/** Karibu: a user who opens an admin page gets a "No access" page in the app's layout, not a bare error. */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:access-denied-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1"})
@DirtiesContext
class AccessDeniedViewTest {
    @Autowired ApplicationContext ctx;

    @AfterEach
    void tearDown() {
        Karibu.tearDown();
    }

    @Test
    void aUserOpeningTheAdminUsersPageGetsNoAccessInTheLayout() throws Exception {
        open("USER");
        UI.getCurrent().navigate("admin/users");
        AccessDeniedView denied = _get(AccessDeniedView.class);
        assertThat(_get(denied, H2.class).getText()).isEqualTo("No access");
        assertThat(denied.getParent()).as("inside the app's layout").containsInstanceOf(MainLayout.class);
        assertThat(UI.getCurrent().getInternals().getActiveRouterTargetsChain()).hasSize(2);
    }

    @Test
    void anAdminStillGetsThePage() throws Exception {
        open("ADMIN");
        UI.getCurrent().navigate("admin/users");
        assertThat(UI.getCurrent().getInternals().getActiveRouterTargetsChain().get(0).getClass().getSimpleName())
                .isEqualTo("UsersView");
    }

    @SuppressWarnings("unchecked")
    private void open(String role) throws Exception {
        // Package-private views: Karibu's scan sees public classes only.
        Routes routes = Karibu.routes(LoginViews.loginView(),
                (Class<? extends Component>) Class.forName("dev.switchboard.admin.ui.UsersView"),
                (Class<? extends Component>) Class.forName("dev.switchboard.admin.ui.AuditView"),
                (Class<? extends Component>) Class.forName("dev.switchboard.chat.ui.ChatView"));
        // The app's own view instead of Karibu's stand-in for Vaadin's default one.
        routes.getErrorRoutes().removeIf(c -> c.getSimpleName().equals("MockRouteAccessDeniedError"));
        routes.getErrorRoutes().add(AccessDeniedView.class);
        Karibu.setUpLoggedIn(ctx, routes, "ada", role);
    }
}
