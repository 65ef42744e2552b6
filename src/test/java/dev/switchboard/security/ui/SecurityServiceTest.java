package dev.switchboard.security.ui;

import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.github.mvysny.kaributesting.v10.Routes;
import com.github.mvysny.kaributesting.v10.spring.MockSpringServlet;
import com.vaadin.flow.component.UI;
import dev.switchboard.security.SecurityService;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The helper the app's menu uses: current user, admin or not, logout. */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:sec-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1"})
@DirtiesContext
class SecurityServiceTest {

    @Autowired
    ApplicationContext ctx;
    @Autowired
    SecurityService security;
    @Autowired
    UserAccounts accounts;

    @BeforeEach
    void setUp() {
        SecurityContextHolder.clearContext();
        Routes routes = new Routes();
        routes.getRoutes().add(LoginView.class);
        MockVaadin.setup(UI::new, new MockSpringServlet(routes, ctx, UI::new));
    }

    @AfterEach
    void tearDown() {
        MockVaadin.tearDown();
        SecurityContextHolder.clearContext();
    }

    @Test
    void anonymousHasNoUser() {
        assertThat(security.isAuthenticated()).isFalse();
        assertThat(security.currentUsername()).isEmpty();
        assertThat(security.isAdmin()).isFalse();
    }

    @Test
    void knowsTheUserAndWhetherAdmin() {
        login("admin", Role.ADMIN);
        assertThat(security.currentUsername()).contains("admin");
        assertThat(security.currentAccount()).hasValueSatisfying(a -> assertThat(a.role()).isEqualTo(Role.ADMIN));
        assertThat(security.isAdmin()).isTrue();

        accounts.create("paula", "paula-password-1", Role.USER);
        login("paula", Role.USER);
        assertThat(security.currentUsername()).contains("paula");
        assertThat(security.isAdmin()).isFalse();
    }

    @Test
    void logoutClearsTheLogin() {
        login("admin", Role.ADMIN);
        security.logout();
        assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
    }

    private static void login(String username, Role role) {
        var auth = UsernamePasswordAuthenticationToken.authenticated(username, null,
                AuthorityUtils.createAuthorityList(role.authority()));
        SecurityContextHolder.getContext().setAuthentication(auth);
    }
}
