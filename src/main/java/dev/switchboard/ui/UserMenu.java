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
 * The user menu in the navbar: the user's name, and under it Account and Logout. It is the {@code vaadin-menu-bar}
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
    static final String ACCOUNT = "account", LOGOUT = "logout";

    UserMenu(String userName, Runnable account, Runnable logout) {
        getElement().getClassList().add("sb-user-menu");
        getElement().getThemeList().add("tertiary-inline");
        getElement().setPropertyJson("items", items(userName));
        getElement().addEventListener("item-selected", e -> {
            JsonValue v = e.getEventData().get(CHOSEN);
            String chosen = v != null && v.getType() == JsonType.STRING ? v.asString() : "";
            if (ACCOUNT.equals(chosen)) account.run();
            else if (LOGOUT.equals(chosen)) logout.run();
        }).addEventData(CHOSEN);
    }

    /** The items under the name: the same for every tab, so one copy (the property keeps the node it is given). */
    private static final ArrayNode CHILDREN = JsonNodeFactory.instance.arrayNode()
            .add(JsonNodeFactory.instance.objectNode().put("text", "Account").put("sb", ACCOUNT))
            .add(JsonNodeFactory.instance.objectNode().put("text", "Logout").put("sb", LOGOUT));

    /** [{component: "span", text: name, className: "sb-user", children: [{text: "Account", sb: "account"}, ...]}] */
    static ArrayNode items(String userName) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        // "component": the web component makes an element of that tag for the text, which the theme's CSS gives the icon
        ObjectNode user = json.objectNode().put("component", "span").put("text", userName).put("className", "sb-user");
        user.set("children", CHILDREN);
        return json.arrayNode().add(user);
    }
}
