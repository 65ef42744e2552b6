package dev.switchboard.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasElement;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.menubar.MenuBar;
import com.vaadin.flow.component.menubar.MenuBarVariant;
import com.vaadin.flow.component.contextmenu.MenuItem;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.PermitAll;

/**
 * The frame around every route (Vaadin's automatic layout): app name, the drawer with the app's links, the
 * user menu with Logout. Routes that must not be framed (the login view) opt out with {@code autoLayout = false}.
 */
@Layout
@PermitAll
public class MainLayout extends AppLayout {
    private final Div viewDrawer = new Div();

    public MainLayout(AuthenticationContext auth) {
        setPrimarySection(Section.DRAWER);

        Span brand = new Span("Switchboard");
        brand.addClassName("sb-brand");
        Div links = new Div(nav(auth.hasRole("ADMIN")));
        links.addClassName("sb-nav");
        viewDrawer.addClassName("sb-view-drawer");
        addToDrawer(brand, links, viewDrawer);

        Span spacer = new Span();
        spacer.addClassName("sb-navbar-spacer");
        addToNavbar(new DrawerToggle(), spacer, userMenu(auth));
    }

    private static Component[] nav(boolean admin) {
        SideNav main = new SideNav();
        main.addItem(new SideNavItem("Chat", "", VaadinIcon.CHAT.create()));
        main.addItem(new SideNavItem("My usage", "usage", VaadinIcon.PIE_CHART.create()));
        main.addItem(new SideNavItem("Account & API tokens", "account", VaadinIcon.KEY.create()));
        if (!admin) return new Component[] {main};
        SideNav adminNav = new SideNav("Admin");
        adminNav.addItem(new SideNavItem("Usage", "admin/usage", VaadinIcon.BAR_CHART.create()));
        adminNav.addItem(new SideNavItem("Upstreams", "admin/upstreams", VaadinIcon.CONNECT.create()));
        adminNav.addItem(new SideNavItem("Users", "admin/users", VaadinIcon.USERS.create()));
        adminNav.addItem(new SideNavItem("Audit log", "admin/audit", VaadinIcon.LIST.create()));
        return new Component[] {main, adminNav};
    }

    private static Component userMenu(AuthenticationContext auth) {
        MenuBar menu = new MenuBar();
        menu.addThemeVariants(MenuBarVariant.LUMO_TERTIARY_INLINE);
        menu.addClassName("sb-user-menu");
        String name = auth.getPrincipalName().orElse("?");
        MenuItem user = menu.addItem(VaadinIcon.USER.create());
        user.add(new Span(name));
        user.getSubMenu().addItem("Account", e -> user.getUI().ifPresent(ui -> ui.navigate("account")));
        user.getSubMenu().addItem("Logout", e -> auth.logout());
        return menu;
    }

    @Override
    public void showRouterLayoutContent(HasElement content) {
        super.showRouterLayoutContent(content);
        viewDrawer.removeAll();
        if (content instanceof DrawerContent d) viewDrawer.add(d.drawerContent());
    }
}
