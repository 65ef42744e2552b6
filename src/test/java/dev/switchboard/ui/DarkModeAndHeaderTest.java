package dev.switchboard.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.mvysny.kaributesting.v10.Routes;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.dom.DomEvent;
import com.vaadin.flow.internal.nodefeature.ElementListenerMap;
import com.vaadin.flow.theme.lumo.Lumo;
import dev.switchboard.security.ui.LoginViews;
import dev.switchboard.testsupport.Karibu;
import dev.switchboard.users.ColorScheme;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import elemental.json.Json;
import elemental.json.JsonObject;
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
 * Karibu: the user menu's Dark mode is stored per user and applied as Lumo's dark variant, in this tab and the next
 * one; the header shows the display name.
 */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:dark-mode-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1"})
@DirtiesContext
class DarkModeAndHeaderTest {
    private static final AtomicInteger SEQ = new AtomicInteger();

    @Autowired ApplicationContext ctx;
    @Autowired UserAccounts accounts;

    @AfterEach
    void tearDown() {
        Karibu.tearDown();
    }

    @Test
    void darkModeFromTheUserMenuIsSavedAndAppliedAgainInTheNextTab() throws Exception {
        String name = user(null);
        open(name);
        assertThat(accounts.colorScheme(name)).as("nothing chosen: the device decides").isEmpty();
        assertThat(dark()).isFalse();

        choose("dark");
        assertThat(dark()).isTrue();
        assertThat(accounts.colorScheme(name)).contains(ColorScheme.DARK);
        assertThat(darkItemChecked()).isTrue();

        Karibu.tearDown();
        open(name);
        assertThat(dark()).as("remembered for the user").isTrue();
        assertThat(darkItemChecked()).isTrue();

        choose("dark");
        assertThat(dark()).isFalse();
        assertThat(accounts.colorScheme(name)).contains(ColorScheme.LIGHT);
        assertThat(darkItemChecked()).isFalse();
    }

    @Test
    void theHeaderShowsTheDisplayNameElseTheUsername() throws Exception {
        String named = user("Grace Hopper");
        open(named);
        assertThat(shownName()).isEqualTo("Grace Hopper");

        Karibu.tearDown();
        String plain = user(null);
        open(plain);
        assertThat(shownName()).isEqualTo(plain);
    }

    private String user(String displayName) {
        String name = "dm-user-" + SEQ.incrementAndGet();
        accounts.create(name, displayName, "dark-mode-password-1", Role.USER);
        return name;
    }

    @SuppressWarnings("unchecked")
    private void open(String name) throws Exception {
        Class<? extends Component> chat = (Class<? extends Component>) Class.forName("dev.switchboard.chat.ui.ChatView");
        Routes routes = Karibu.routes(chat, LoginViews.loginView());
        Karibu.setUpLoggedIn(ctx, routes, name, "USER");
        UI.getCurrent().navigate("");
    }

    private static boolean dark() {
        return UI.getCurrent().getElement().getThemeList().contains(Lumo.DARK);
    }

    private static UserMenu menu() {
        return all(UI.getCurrent(), UserMenu.class).get(0);
    }

    /** As the browser reports a chosen item: the {@code sb} field of the item. */
    private static void choose(String item) {
        JsonObject data = Json.createObject();
        data.put(UserMenu.CHOSEN, item);
        menu().getElement().getNode().getFeature(ElementListenerMap.class)
                .fireEvent(new DomEvent(menu().getElement(), "item-selected", data));
    }

    private static JsonNode items() {
        return (JsonNode) menu().getElement().getPropertyRaw("items");
    }

    private static String shownName() {
        return items().get(0).get("text").asText();
    }

    private static boolean darkItemChecked() {
        for (JsonNode child : items().get(0).get("children")) {
            if (UserMenu.DARK.equals(child.get("sb").asText())) return child.get("checked").asBoolean();
        }
        throw new AssertionError("no Dark mode item");
    }

    private static <T extends Component> List<T> all(Component root, Class<T> type) {
        List<T> out = new ArrayList<>();
        if (type.isInstance(root)) out.add(type.cast(root));
        root.getChildren().forEach(c -> out.addAll(all(c, type)));
        return out;
    }
}
