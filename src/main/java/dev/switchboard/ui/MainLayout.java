package dev.switchboard.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasElement;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dependency.Uses;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.menubar.MenuBar;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.dom.Element;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.router.RouterLayout;
import com.vaadin.flow.spring.security.AuthenticationContext;
import dev.switchboard.users.ColorScheme;
import dev.switchboard.users.UserAccount;
import dev.switchboard.users.UserAccounts;
import jakarta.annotation.security.PermitAll;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The frame around every route (Vaadin's automatic layout): app name, the drawer with the app's links, the
 * user menu (the display name; Account, Dark mode, Logout). Routes that must not be framed (the login view) opt
 * out with {@code autoLayout = false}.
 *
 * <p>Every open tab keeps its layout's server-side state for as long as it is open, so the parts that need none are
 * plain web components here: the app links (the web component marks the current one, the client router follows
 * them) and the drawer toggle (it talks to the app layout in the browser). As SideNav, SideNavItem, Icon and
 * DrawerToggle components they were about a third of an idle chat tab's state nodes (IdleTabStateTest) and roughly
 * 10-15 KB of its heap. {@code @Uses} keeps their frontend modules in the bundle. The user menu is the same kind of
 * thing ({@link UserMenu}), and so is the layout itself: the {@code vaadin-app-layout} web component with its parts
 * in its slots, not the {@link AppLayout} component, whose three listeners keep the drawer's open and overlay state
 * on the server (~4 KB a tab) for the one thing this app needs of them, closing the overlay drawer after a
 * navigation, which the browser can do alone.
 */
@Layout
@PermitAll
@Uses(SideNav.class)
@Uses(SideNavItem.class)
@Uses(Icon.class)
@Uses(DrawerToggle.class)
@Uses(AppLayout.class)
@Uses(MenuBar.class)
@Uses(Button.class)
@Tag("vaadin-app-layout")
public class MainLayout extends Component implements RouterLayout {
    /**
     * The Flow components whose web components this layout and the views in it use without them ({@link UserMenu},
     * {@link LightButton}, the links and the toggle): the {@code @Uses} above, which keep their code in the bundle.
     * A production bundle may load a component's frontend code only when that component is first attached (Vaadin's
     * chunks), which none of these ever is: the layout asks for them.
     */
    static final List<Class<? extends Component>> WEB_COMPONENTS = Arrays.stream(
            MainLayout.class.getAnnotationsByType(Uses.class)).<Class<? extends Component>>map(Uses::value).toList();

    private final Div viewDrawer = new Div();
    private final UserAccounts accounts;
    private final String username;
    private final UserMenu user;

    public MainLayout(AuthenticationContext auth, UserAccounts accounts) {
        this.accounts = accounts;
        this.username = auth.getPrincipalName().orElse("?");
        getElement().setProperty("primarySection", "drawer");

        Element brand = new Element("span").setText("Switchboard").setAttribute("class", "sb-brand");
        Div links = new Div();
        links.addClassName("sb-nav");
        links.getElement().setProperty("innerHTML", auth.hasRole("ADMIN") ? ADMIN_NAV : NAV);
        viewDrawer.addClassName("sb-view-drawer");
        inSlot("drawer", brand, links.getElement(), viewDrawer.getElement());

        Element spacer = new Element("span").setAttribute("class", "sb-navbar-spacer");
        // The header shows who is logged in as people know them: the display name, else the username.
        String shown = accounts.findByUsername(username).map(UserAccount::displayName).orElse(null);
        user = new UserMenu(shown == null ? username : shown,
                () -> getUI().ifPresent(ui -> ui.navigate("account")), this::toggleDark, auth::logout);
        inSlot("navbar", new Toggle().getElement(), spacer, user.getElement());
    }

    private void inSlot(String slot, Element... parts) {
        for (Element part : parts) getElement().appendChild(part.setAttribute("slot", slot));
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

    @Override
    protected void onAttach(AttachEvent event) {
        if (!event.isInitialAttach()) return;
        UI ui = event.getUI();
        WEB_COMPONENTS.forEach(ui.getInternals()::addComponentDependencies);
        // Dark mode: the user's stored choice, else what the device prefers (asked of the browser).
        Optional<ColorScheme> chosen = accounts.colorScheme(username);
        if (chosen.isPresent()) {
            DarkMode.apply(ui, chosen.get() == ColorScheme.DARK, true);
            user.setDark(chosen.get() == ColorScheme.DARK);
        } else {
            DarkMode.followDevice(ui, user::setDark);
        }
    }

    /** The user menu's Dark mode: the other scheme than shown now, remembered for the user. */
    private void toggleDark() {
        getUI().ifPresent(ui -> {
            boolean dark = !DarkMode.isDark(ui);
            accounts.setColorScheme(username, dark ? ColorScheme.DARK : ColorScheme.LIGHT);
            DarkMode.apply(ui, dark, true);
            user.setDark(dark);
        });
    }

    @Override
    public void showRouterLayoutContent(HasElement view) {
        RouterLayout.super.showRouterLayoutContent(view); // into the default slot; the router removed the last one
        viewDrawer.removeAll();
        if (view instanceof DrawerContent d) viewDrawer.add(d.drawerContent());
        // As AppLayout does after a navigation: a drawer over the content (narrow screens) closes.
        getElement().executeJs("if (this.overlay) this.drawerOpened = false");
    }
}
