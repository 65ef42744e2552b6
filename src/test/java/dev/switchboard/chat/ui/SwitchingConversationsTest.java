package dev.switchboard.chat.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.router.QueryParameters;
import dev.switchboard.chat.ConversationHistory;
import dev.switchboard.chat.GenerationStatus;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.testsupport.Karibu;
import dev.switchboard.ui.LightButton;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

/** "New chat" and the side list: each conversation shows its own messages; leaving one does not stop its reply. */
class SwitchingConversationsTest extends ChatUiTestBase {

    @Test
    void eachConversationShowsItsOwnMessages() {
        send("About cats");
        awaitEnd(lastReply());
        click(lightButton(UI.getCurrent(), "New chat"));
        assertThat(replies(UI.getCurrent())).isEmpty();
        send("About dogs");
        awaitEnd(lastReply());

        assertThat(titles()).containsExactly("About dogs", "About cats");
        click(item("About cats"));
        assertThat(userMessages(UI.getCurrent())).containsExactly("About cats");
        assertThat(lastReply().text()).contains("About cats").doesNotContain("About dogs");
        assertThat(item("About cats").hasClassName("sb-selected")).isTrue();
        assertThat(item("About dogs").hasClassName("sb-selected")).isFalse();

        click(item("About dogs"));
        assertThat(userMessages(UI.getCurrent())).containsExactly("About dogs");
        assertThat(replies(UI.getCurrent())).hasSize(1);
    }

    @Test
    void conversationIdInTheUrlOpensThatConversation() {
        send("Deep link me");
        awaitEnd(lastReply());
        click(lightButton(UI.getCurrent(), "New chat"));
        String id = ctx.getBean(ConversationHistory.class).page(USER, "", 0, 10).stream()
                .filter(c -> c.title().equals("Deep link me")).findFirst().orElseThrow().id();

        UI.getCurrent().navigate("c/" + id);
        assertThat(userMessages(UI.getCurrent())).containsExactly("Deep link me");

        click(_get(LightButton.class, spec -> spec.withClasses("sb-new-chat")));
        assertThat(userMessages(UI.getCurrent())).isEmpty();
        UI.getCurrent().navigate("", QueryParameters.of(ChatView.PARAM, id));
        assertThat(userMessages(UI.getCurrent())).as("an old /?c= link").containsExactly("Deep link me");
    }

    @Test
    void leavingAConversationWhileItStreamsDoesNotStopItsReply() {
        upstream.setBehavior(Behavior.fast().withTokensPerSecond(100).withReplyTokens(50));
        send("Keep going without me");
        Karibu.await("partial text", () -> !lastReply().text().isEmpty());
        click(lightButton(UI.getCurrent(), "New chat"));
        assertThat(input().isEnabled()).as("the new conversation can send").isTrue();

        Karibu.sleep(800);
        click(item("Keep going without me"));
        ReplyView reply = awaitEnd(lastReply());
        assertThat(reply.state().status()).isEqualTo(GenerationStatus.COMPLETED);
        assertThat(reply.text()).endsWith("tok49");
    }

    private static List<String> titles() {
        return _find(LightButton.class, spec -> spec.withClasses("sb-conversation")).stream().map(LightButton::getText).toList();
    }

    private static LightButton item(String title) {
        return _get(LightButton.class, spec -> spec.withClasses("sb-conversation").withText(title));
    }
}
