package dev.switchboard.admin.ui;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.github.mvysny.kaributesting.v10.NotificationsKt;
import com.github.mvysny.kaributesting.v10.Routes;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import dev.switchboard.admin.users.AuditAction;
import dev.switchboard.admin.users.AuditLog;
import dev.switchboard.testsupport.Karibu;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccount;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static com.github.mvysny.kaributesting.v10.LocatorJ._assertNone;
import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;

/** Karibu: an admin creates and manages users in the view, sees refusals as error notices, and the audit log. */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:usersview-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1"})
@DirtiesContext
class UsersViewTest {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static Routes routes;

    @Autowired ApplicationContext ctx;
    @Autowired UserAccounts accounts;
    @Autowired AuditLog audit;

    @BeforeAll
    static void routes() {
        routes = Karibu.routes(UsersView.class, AuditView.class);
    }

    @AfterEach
    void tearDown() {
        Karibu.tearDown();
    }

    @Test
    void adminCreatesAUserInTheDialog() {
        UsersView view = open();
        String name = "erin-" + SEQ.incrementAndGet();
        _click(_get(Button.class, s -> s.withText("New user")));
        _setValue(_get(TextField.class, s -> s.withLabel("Username")), name);
        _setValue(_get(TextField.class, s -> s.withLabel("Display name")), "Erin E");
        _setValue(_get(PasswordField.class, s -> s.withLabel("Initial password")), "erin-password-12");
        _setValue(_get(TextField.class, s -> s.withLabel("Daily token quota")), "250000");
        _click(_get(Button.class, s -> s.withText("Create")));

        _assertNone(Dialog.class);
        assertThat(notices()).contains("Created " + name + ".");
        int row = row(view, name);
        assertThat(GridKt._getFormattedRow(view.grid, row)).startsWith(name, "Erin E", "USER", "enabled", "250,000");
        assertThat(accounts.passwordMatches(name, "erin-password-12")).isTrue();
        assertThat(audit.latest(10).get(0)).satisfies(e -> {
            assertThat(e.action()).isEqualTo(AuditAction.USER_CREATED);
            assertThat(e.actor()).isEqualTo("admin");
        });
    }

    @Test
    void aTooShortPasswordIsRefusedWithAClearMessageAndTheDialogStaysOpen() {
        open();
        String name = "frank-" + SEQ.incrementAndGet();
        _click(_get(Button.class, s -> s.withText("New user")));
        _setValue(_get(TextField.class, s -> s.withLabel("Username")), name);
        _setValue(_get(PasswordField.class, s -> s.withLabel("Initial password")), "short");
        _click(_get(Button.class, s -> s.withText("Create")));

        assertThat(notices()).contains("The password must be at least 12 characters long.");
        _get(Dialog.class); // still open, nothing lost
        assertThat(accounts.findByUsername(name)).isEmpty();
    }

    @Test
    void rowActionsDisableResetPasswordChangeRoleAndSetQuota() {
        String name = existing();
        UsersView view = open();

        _click(_get(cell(view, name), Button.class, s -> s.withText("Disable")));
        assertThat(GridKt._getFormattedRow(view.grid, row(view, name)).get(3)).isEqualTo("disabled");
        _click(_get(cell(view, name), Button.class, s -> s.withText("Enable")));
        assertThat(accounts.findByUsername(name).orElseThrow().enabled()).isTrue();

        _click(_get(cell(view, name), Button.class, s -> s.withText("Reset password")));
        _setValue(_get(PasswordField.class, s -> s.withLabel("New password")), "too-short");
        _click(_get(Button.class, s -> s.withText("Set password")));
        assertThat(notices()).contains("The password must be at least 12 characters long.");
        _setValue(_get(PasswordField.class, s -> s.withLabel("New password")), "a-new-long-password");
        _click(_get(Button.class, s -> s.withText("Set password")));
        _assertNone(Dialog.class);
        assertThat(accounts.passwordMatches(name, "a-new-long-password")).isTrue();

        @SuppressWarnings("unchecked")
        Select<Role> role = _get(cell(view, name), Select.class);
        _setValue(role, Role.ADMIN);
        assertThat(accounts.findByUsername(name).orElseThrow().role()).isEqualTo(Role.ADMIN);

        _click(_get(cell(view, name), Button.class, s -> s.withText("Quota")));
        _setValue(_get(TextField.class, s -> s.withLabel("Daily token quota")), "1000");
        _click(_get(Button.class, s -> s.withText("Save")));
        assertThat(GridKt._getFormattedRow(view.grid, row(view, name)).get(4)).isEqualTo("1,000");

        assertThat(audit.latest(20).stream().filter(e -> name.equals(e.target())).map(AuditLog.Entry::action))
                .containsExactly(AuditAction.QUOTA_CHANGED, AuditAction.ROLE_CHANGED, AuditAction.PASSWORD_RESET,
                        AuditAction.USER_ENABLED, AuditAction.USER_DISABLED);
    }

    @Test
    void theLastAdminCannotBeDemotedAndTheSelectShowsTheStoredRole() {
        accounts.list().stream().filter(u -> u.isAdmin() && !u.username().equals("admin"))
                .forEach(u -> accounts.setRole(u.username(), Role.USER));
        UsersView view = open();
        @SuppressWarnings("unchecked")
        Select<Role> role = _get(cell(view, "admin"), Select.class);
        _setValue(role, Role.USER);
        assertThat(notices()).anyMatch(n -> n.contains("last enabled admin"));
        assertThat(role.getValue()).isEqualTo(Role.ADMIN);
        assertThat(accounts.findByUsername("admin").orElseThrow().role()).isEqualTo(Role.ADMIN);

        NotificationsKt.clearNotifications();
        _click(_get(cell(view, "admin"), Button.class, s -> s.withText("Disable")));
        assertThat(notices()).anyMatch(n -> n.contains("last enabled admin"));
        assertThat(accounts.findByUsername("admin").orElseThrow().enabled()).isTrue();
    }

    @Test
    void theAuditViewListsAdminActions() {
        String name = existing();
        Karibu.setUpLoggedIn(ctx, routes, "admin", "ADMIN");
        UsersView view = navigate();
        _click(_get(cell(view, name), Button.class, s -> s.withText("Disable")));
        UI.getCurrent().navigate("admin/audit");
        AuditView audits = _get(AuditView.class);
        List<String> first = GridKt._getFormattedRow(audits.grid, 0);
        assertThat(first.subList(1, 4)).containsExactly("admin", "USER_DISABLED", name);
    }

    @Test
    void aUserWhoIsNotAdminCannotOpenTheUsersOrAuditView() {
        Karibu.setUpLoggedIn(ctx, routes, "ursula", "USER");
        for (String route : new String[] {"admin/users", "admin/audit"}) {
            UI.getCurrent().navigate(route);
            Object shown = UI.getCurrent().getInternals().getActiveRouterTargetsChain().get(0);
            assertThat(shown).as(route).isNotInstanceOf(UsersView.class).isNotInstanceOf(AuditView.class);
            assertThat(((Component) shown).getElement().getTextRecursively()).contains("AccessDenied");
        }
    }

    @Test
    void onAPhoneTheGridShowsTheUsernameAndTheActionsOnly() {
        UsersView view = open();
        assertThat(visibleColumns(view)).as("width not known yet: everything")
                .containsExactly("username", "displayName", "role", "enabled", "quota", "created", "actions");
        view.fit(390);
        assertThat(visibleColumns(view)).containsExactly("username", "actions");
        assertThat(view.grid.getColumnByKey("actions").getWidth()).isEqualTo("13.5rem");
        view.fit(1280);
        assertThat(visibleColumns(view)).hasSize(7);
        assertThat(view.grid.getColumnByKey("actions").isAutoWidth()).isTrue();
    }

    private static List<String> visibleColumns(UsersView view) {
        return view.grid.getColumns().stream().filter(c -> c.isVisible()).map(c -> c.getKey()).toList();
    }

    private UsersView open() {
        Karibu.setUpLoggedIn(ctx, routes, "admin", "ADMIN");
        return navigate();
    }

    private static UsersView navigate() {
        UI.getCurrent().navigate("admin/users");
        return _get(UsersView.class);
    }

    private String existing() {
        String name = "gina-" + SEQ.incrementAndGet();
        accounts.create(name, "gina-password-123", Role.USER);
        return name;
    }

    private static int row(UsersView view, String name) {
        List<UserAccount> items = GridKt._findAll(view.grid);
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).username().equals(name)) return i;
        }
        throw new AssertionError("no row for " + name);
    }

    private static Component cell(UsersView view, String name) {
        return GridKt._getCellComponent(view.grid, row(view, name), "actions");
    }

    static List<String> notices() {
        return NotificationsKt.getNotifications().stream().map(UsersViewTest::text).toList();
    }

    private static String text(Notification n) {
        String text = n.getElement().getProperty("text");
        return text != null ? text : n.getElement().getTextRecursively();
    }
}
