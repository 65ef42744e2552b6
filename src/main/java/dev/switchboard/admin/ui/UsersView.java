package dev.switchboard.admin.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.page.Page;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.shared.Registration;
import dev.switchboard.admin.users.UserAdminException;
import dev.switchboard.admin.users.UserAdministration;
import dev.switchboard.security.SecurityService;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccount;
import jakarta.annotation.security.RolesAllowed;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Supplier;

/**
 * User administration: the users with per-row actions (enable/disable, reset password, role, daily token quota)
 * and a dialog to create one. Every action goes through {@link UserAdministration}, which checks and audits it;
 * a refusal (short password, last admin, …) is shown as an error notification and changes nothing.
 */
@Route("admin/users")
@PageTitle("Users · Switchboard")
@RolesAllowed("ADMIN")
class UsersView extends VerticalLayout {
    static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    /** Narrower windows (px) get the phone layout of the grid. */
    static final int NARROW = 640;

    final Grid<UserAccount> grid = new Grid<>();
    private final Grid.Column<UserAccount> actionsColumn;
    private final List<Grid.Column<UserAccount>> secondary;
    private Registration resize;
    private boolean narrow;
    private final UserAdministration users;
    private final String actor;

    UsersView(UserAdministration users, SecurityService security) {
        this.users = users;
        this.actor = security.currentUsername().orElseThrow(); // @RolesAllowed: there is always someone
        setMaxWidth("90rem");

        grid.addColumn(UserAccount::username).setHeader("Username").setAutoWidth(true).setKey("username");
        Grid.Column<UserAccount> displayName = grid.addColumn(u -> u.displayName() == null ? "" : u.displayName())
                .setHeader("Display name").setKey("displayName");
        Grid.Column<UserAccount> role = grid.addColumn(u -> u.role().name()).setHeader("Role").setAutoWidth(true).setKey("role");
        Grid.Column<UserAccount> status = grid.addColumn(u -> u.enabled() ? "enabled" : "disabled").setHeader("Status")
                .setAutoWidth(true).setKey("enabled");
        Grid.Column<UserAccount> quota = grid.addColumn(u -> UsersDialogs.formatQuota(u.dailyTokenQuota()))
                .setHeader("Daily tokens").setAutoWidth(true).setKey("quota");
        Grid.Column<UserAccount> created = grid.addColumn(u -> CREATED.format(u.createdAt())).setHeader("Created (UTC)")
                .setAutoWidth(true).setKey("created");
        actionsColumn = grid.addComponentColumn(this::actions).setHeader("Actions").setAutoWidth(true).setFlexGrow(0)
                .setKey("actions");
        secondary = List.of(displayName, role, status, quota, created);
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.setAllRowsVisible(true);

        Button create = new Button("New user", VaadinIcon.PLUS.create(), e -> UsersDialogs.create(users, actor, this::refresh).open());
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout header = new HorizontalLayout(new H2("Users"), create, new RouterLink("Audit log", AuditView.class));
        header.setAlignItems(FlexComponent.Alignment.BASELINE);
        header.setWrap(true);
        add(header, grid);
        refresh();
    }

    void refresh() {
        grid.setItems(users.list());
    }

    @Override
    protected void onAttach(AttachEvent e) {
        Page page = e.getUI().getPage();
        page.retrieveExtendedClientDetails(d -> fit(d.getWindowInnerWidth()));
        resize = page.addBrowserWindowResizeListener(r -> fit(r.getWidth()));
    }

    @Override
    protected void onDetach(DetachEvent e) {
        if (resize != null) resize.remove();
    }

    /**
     * On a phone the grid shows the username and the actions only, the actions wrapped into a narrow column
     * (styles.css, .sb-user-actions); the other columns come back on a wider window. Width 0: not known, all shown.
     */
    void fit(int windowWidth) {
        boolean narrow = windowWidth > 0 && windowWidth < NARROW;
        if (narrow == this.narrow) return;
        this.narrow = narrow;
        secondary.forEach(c -> c.setVisible(!narrow));
        actionsColumn.setAutoWidth(!narrow).setWidth(narrow ? "13.5rem" : null);
        grid.recalculateColumnWidths();
    }

    private Component actions(UserAccount user) {
        String name = user.username();
        Button toggle = small(user.enabled() ? "Disable" : "Enable",
                () -> run(() -> users.setEnabled(actor, name, !user.enabled()),
                        (user.enabled() ? "Disabled " : "Enabled ") + name + "."));
        if (user.enabled()) toggle.addThemeVariants(ButtonVariant.LUMO_ERROR);

        Button password = small("Reset password", () -> UsersDialogs.password(name, value ->
                run(() -> users.resetPassword(actor, name, value), "New password set for " + name + ".")).open());

        Select<Role> role = new Select<>();
        role.setItems(Role.values());
        role.setValue(user.role());
        role.setAriaLabel("Role of " + name);
        role.setWidth("7.5rem");
        role.addValueChangeListener(e -> {
            if (e.getValue() == null || e.getValue() == user.role()) return;
            if (!run(() -> users.setRole(actor, name, e.getValue()), name + " is now " + e.getValue() + ".")) {
                role.setValue(user.role()); // refused: show what is really stored
            }
        });

        Button quota = small("Quota", () -> UsersDialogs.quota(name, user.dailyTokenQuota(), value ->
                run(() -> users.setDailyTokenQuota(actor, name, value), "Daily token quota of " + name + ": "
                        + UsersDialogs.formatQuota(value) + ".")).open());

        HorizontalLayout row = new HorizontalLayout(toggle, password, role, quota);
        row.addClassName("sb-user-actions");
        row.setSpacing(false);
        row.getStyle().set("gap", "var(--lumo-space-xs)");
        row.setAlignItems(FlexComponent.Alignment.CENTER);
        return row;
    }

    /** Runs an admin action: on success a notice and a fresh grid; on refusal the reason. True if it was done. */
    private boolean run(Supplier<UserAccount> action, String done) {
        try {
            action.get();
            UsersDialogs.success(done);
            refresh();
            return true;
        } catch (UserAdminException e) {
            UsersDialogs.error(e.getMessage());
            return false;
        }
    }

    private static Button small(String label, Runnable onClick) {
        Button b = new Button(label, e -> onClick.run());
        b.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        return b;
    }
}
