package dev.switchboard.ui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.menubar.MenuBar;
import elemental.json.JsonType;
import elemental.json.JsonValue;

/**
 * The user menu in the navbar: the user's display name, and under it Account, Dark mode (checked while dark) and
 * Logout. It is the {@code vaadin-menu-bar}
 * web component given its items as data, with one listener for the item chosen. As a {@link MenuBar} with
 * MenuItems, an icon and a span it kept ~14 KB in every open tab (the root item, two items and their menu managers,
 * each item's disable-on-click controller and click listeners, each asking the browser for ten properties of every
 * click); this keeps its items and one listener. The user icon is the Lumo icon font, drawn by the theme's CSS
 * ({@code .sb-user span::before}).
 */
@Tag("vaadin-menu-bar")
final class UserMenu extends Component {
    /** Which item was chosen: the {@code sb} field each item carries, read in the browser. */
    static final String CHOSEN = "event.detail.value.sb";
    static final String ACCOUNT = "account", DARK = "dark", LOGOUT = "logout";

    private final String userName;

    UserMenu(String userName, Runnable account, Runnable toggleDark, Runnable logout) {
        this.userName = userName;
        getElement().getClassList().add("sb-user-menu");
        getElement().getThemeList().add("tertiary-inline");
        setDark(false);
        getElement().addEventListener("item-selected", e -> {
            JsonValue v = e.getEventData().get(CHOSEN);
            String chosen = v != null && v.getType() == JsonType.STRING ? v.asString() : "";
            if (ACCOUNT.equals(chosen)) account.run();
            else if (DARK.equals(chosen)) toggleDark.run();
            else if (LOGOUT.equals(chosen)) logout.run();
        }).addEventData(CHOSEN);
    }

    /** Shows Dark mode checked or not. */
    void setDark(boolean dark) {
        getElement().setPropertyJson("items", items(userName, dark));
    }

    /** The items under the name: the same for every tab, so one copy each (the property keeps the node it is given). */
    private static final ArrayNode LIGHT_CHILDREN = children(false), DARK_CHILDREN = children(true);

    private static ArrayNode children(boolean dark) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        return json.arrayNode()
                .add(json.objectNode().put("text", "Account").put("sb", ACCOUNT))
                .add(json.objectNode().put("text", "Dark mode").put("checked", dark).put("sb", DARK))
                .add(json.objectNode().put("text", "Logout").put("sb", LOGOUT));
    }

    /** [{component: "span", text: name, className: "sb-user", children: [{text: "Account", sb: "account"}, ...]}] */
    static ArrayNode items(String userName, boolean dark) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        // "component": the web component makes an element of that tag for the text, which the theme's CSS gives the icon
        ObjectNode user = json.objectNode().put("component", "span").put("text", userName).put("className", "sb-user");
        user.set("children", dark ? DARK_CHILDREN : LIGHT_CHILDREN);
        return json.arrayNode().add(user);
    }
}
