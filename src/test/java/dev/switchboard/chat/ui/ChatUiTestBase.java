package dev.switchboard.chat.ui;

import com.github.mvysny.kaributesting.v10.MessagesKt;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.messages.MessageInput;
import com.vaadin.flow.component.messages.MessageList;
import com.vaadin.flow.component.messages.MessageListItem;
import dev.switchboard.chat.ConversationHistory;
import dev.switchboard.chat.GenerationStatus;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.security.ui.LoginViews;
import dev.switchboard.testsupport.Karibu;
import dev.switchboard.testsupport.MockUpstream;
import dev.switchboard.ui.LightButton;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.List;

import static com.github.mvysny.kaributesting.v10.BasicUtilsKt._fireDomEvent;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Karibu view tests of the chat against a mock upstream on a real socket (the production openai-java path).
 * Each test class gets its own application context and H2 database; the mock server is shared and reset.
 */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:ui-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1"})
@DirtiesContext
abstract class ChatUiTestBase {
    static final String USER = "alice";
    static final OfflineModelServer upstream = OfflineModelServer.start(0, Behavior.fast());

    @DynamicPropertySource
    static void mockUpstream(DynamicPropertyRegistry r) {
        MockUpstream.register(r, 0, "mock", upstream);
    }

    @Autowired
    ApplicationContext ctx;

    @BeforeEach
    void logInAndOpenChat() {
        upstream.setBehavior(Behavior.fast());
        upstream.resetCalls();
        ctx.getBean(ConversationHistory.class).deleteAll(USER); // each test starts with no history
        Karibu.setUpLoggedIn(ctx, Karibu.routes(ChatView.class, LoginViews.loginView()), USER, "USER");
        UI.getCurrent().navigate("");
    }

    @AfterEach
    void tearDown() {
        Karibu.tearDown();
    }

    static void send(String text) {
        MessagesKt._submit(_get(MessageInput.class), text);
    }

    /** The replies shown in {@code root} (a view of one tab), oldest first. */
    static List<ReplyView> replies(Component root) {
        return _find(root, ReplyView.class);
    }

    static ReplyView lastReply(Component root) {
        List<ReplyView> all = replies(root);
        if (all.isEmpty()) throw new AssertionError("no reply shown");
        return all.get(all.size() - 1);
    }

    static ReplyView lastReply() {
        return lastReply(UI.getCurrent());
    }

    static ReplyView awaitEnd(ReplyView reply) {
        Karibu.await("the reply to end", () -> reply.state().status() != GenerationStatus.RUNNING);
        return reply;
    }

    /** The user's messages shown in {@code root}, oldest first. */
    static List<String> userMessages(Component root) {
        return _find(root, MessageList.class).stream()
                .flatMap(l -> l.getItems().stream())
                .filter(i -> USER.equals(i.getUserName()))
                .map(MessageListItem::getText)
                .toList();
    }

    static Button button(Component root, String caption) {
        return _get(root, Button.class, spec -> spec.withText(caption));
    }

    static LightButton lightButton(Component root, String caption) {
        return _get(root, LightButton.class, spec -> spec.withText(caption));
    }

    /** A user's click on a shown button: the browser sends its "click" DOM event (Karibu's _click needs a Button). */
    static void click(LightButton button) {
        assertThat(button.isVisible()).as("a hidden button cannot be clicked").isTrue();
        _fireDomEvent(button, "click");
    }

    /** The Stop button of the current tab, found even while hidden (Karibu's lookups skip hidden components). */
    static LightButton stopButton() {
        return all(UI.getCurrent(), LightButton.class).stream().filter(b -> b.hasClassName("sb-stop")).findFirst().orElseThrow();
    }

    static <T extends Component> List<T> all(Component root, Class<T> type) {
        List<T> out = new java.util.ArrayList<>();
        if (type.isInstance(root)) out.add(type.cast(root));
        root.getChildren().forEach(c -> out.addAll(all(c, type)));
        return out;
    }

    static MessageInput input() {
        return _get(MessageInput.class);
    }
}
