package dev.switchboard.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasElement;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.dependency.Uses;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.menubar.MenuBar;
import com.vaadin.flow.component.menubar.MenuBarVariant;
import com.vaadin.flow.component.contextmenu.MenuItem;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.PermitAll;

import java.util.Locale;

/**
 * The frame around every route (Vaadin's automatic layout): app name, the drawer with the app's links, the
 * user menu with Logout. Routes that must not be framed (the login view) opt out with {@code autoLayout = false}.
 *
 * <p>Every open tab keeps its layout's server-side state for as long as it is open, so the parts that need none are
 * plain web components here: the app links (the web component marks the current one, the client router follows
 * them) and the drawer toggle (it talks to the app layout in the browser). As SideNav, SideNavItem, Icon and
 * DrawerToggle components they were about a third of an idle chat tab's state nodes (IdleTabStateTest) and roughly
 * 10-15 KB of its heap. {@code @Uses} keeps their frontend modules in the bundle.
 */
@Layout
@PermitAll
@Uses(SideNav.class)
@Uses(SideNavItem.class)
@Uses(Icon.class)
@Uses(DrawerToggle.class)
public class MainLayout extends AppLayout {
    private final Div viewDrawer = new Div();

    public MainLayout(AuthenticationContext auth) {
        setPrimarySection(Section.DRAWER);

        Span brand = new Span("Switchboard");
        brand.addClassName("sb-brand");
        Div links = new Div();
        links.addClassName("sb-nav");
        links.getElement().setProperty("innerHTML", auth.hasRole("ADMIN") ? ADMIN_NAV : NAV);
        viewDrawer.addClassName("sb-view-drawer");
        addToDrawer(brand, links, viewDrawer);

        Span spacer = new Span();
        spacer.addClassName("sb-navbar-spacer");
        addToNavbar(new Toggle(), spacer, userMenu(auth));
    }

    /** The drawer toggle without DrawerToggle's server-side Button (click listeners, disable-on-click) it never uses. */
    @Tag("vaadin-drawer-toggle")
    static final class Toggle extends Component {
    }

    /** One string for all tabs (a tab's state keeps the property value it was given). */
    private static final String NAV = navHtml(false), ADMIN_NAV = navHtml(true);

    /** The app links, as the SideNav and SideNavItem components rendered them. */
    static String navHtml(boolean admin) {
        StringBuilder html = new StringBuilder("<vaadin-side-nav>");
        item(html, "Chat", "", VaadinIcon.CHAT);
        item(html, "My usage", "usage", VaadinIcon.PIE_CHART);
        item(html, "Account & API tokens", "account", VaadinIcon.KEY);
        html.append("</vaadin-side-nav>");
        if (admin) {
            html.append("<vaadin-side-nav aria-labelledby=\"sb-admin-nav-label\">"
                    + "<span slot=\"label\" id=\"sb-admin-nav-label\">Admin</span>");
            item(html, "Usage", "admin/usage", VaadinIcon.BAR_CHART);
            item(html, "Upstreams", "admin/upstreams", VaadinIcon.CONNECT);
            item(html, "Users", "admin/users", VaadinIcon.USERS);
            item(html, "Audit log", "admin/audit", VaadinIcon.LIST);
            html.append("</vaadin-side-nav>");
        }
        return html.toString();
    }

    private static void item(StringBuilder html, String label, String path, VaadinIcon icon) {
        html.append("<vaadin-side-nav-item path=\"").append(path).append("\">").append(escape(label))
                .append("<vaadin-icon icon=\"vaadin:").append(icon.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .append("\" slot=\"prefix\"></vaadin-icon></vaadin-side-nav-item>");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
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
