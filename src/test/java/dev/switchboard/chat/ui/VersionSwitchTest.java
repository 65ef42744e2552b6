package dev.switchboard.chat.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.textfield.TextArea;
import dev.switchboard.chat.ConversationHistory;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.testsupport.Karibu;
import dev.switchboard.ui.LightButton;
import org.junit.jupiter.api.Test;

import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

/** Regenerate a reply or edit a question: the new version is shown, the earlier ones stay reachable with ‹ 2/2 ›. */
class VersionSwitchTest extends ChatUiTestBase {

    @Test
    void regeneratedReplyKeepsTheFirstVersionReachable() {
        upstream.setBehavior(Behavior.fast().withReplyTokens(3));
        send("Tell me something");
        ReplyView first = awaitStored(lastReply());
        String firstText = first.text();
        assertThat(firstText).isEqualTo("tok0 tok1 tok2");
        assertThat(first.versions().isVisible()).as("one version: no switch").isFalse();

        upstream.setBehavior(Behavior.fast());
        click(regenerate(first));
        ReplyView second = awaitStored(lastReply());
        assertThat(second.text()).isNotEqualTo(firstText).contains("Tell me something");
        assertThat(replies(UI.getCurrent())).hasSize(1);
        assertThat(second.versions().text()).isEqualTo("2/2");

        click(_get(second, LightButton.class, spec -> spec.withClasses("sb-version-previous")));
        assertThat(lastReply().text()).isEqualTo(firstText);
        assertThat(lastReply().versions().text()).isEqualTo("1/2");
        click(_get(lastReply(), LightButton.class, spec -> spec.withClasses("sb-version-next")));
        assertThat(lastReply().text()).isEqualTo(second.text());
        assertThat(userMessages(UI.getCurrent())).as("the question once").containsExactly("Tell me something");
    }

    @Test
    void editedQuestionIsSentAgainAndTheOriginalTurnStaysReachable() {
        send("What is 2 + 2?");
        ReplyView original = awaitEnd(lastReply());
        send("And 3 + 3?");
        awaitEnd(lastReply());

        UserMessageView question = _get(UserMessageView.class, spec -> spec.withPredicate(v -> v.messageId() > 0
                && userMessages(v).equals(java.util.List.of("What is 2 + 2?"))));
        click(_get(question, LightButton.class, spec -> spec.withClasses("sb-edit")));
        TextArea editor = _get(question, TextArea.class);
        assertThat(editor.getValue()).as("the question to edit").isEqualTo("What is 2 + 2?");
        _setValue(editor, "What is 5 + 5?");
        click(_get(question, LightButton.class, spec -> spec.withClasses("sb-edit-send")));

        ReplyView answer = awaitStored(lastReply());
        assertThat(answer.text()).contains("What is 5 + 5?");
        assertThat(userMessages(UI.getCurrent())).as("the later turn belonged to the old version").containsExactly("What is 5 + 5?");
        VersionSwitch versions = _get(UserMessageView.class, spec -> spec.withPredicate(v -> userMessages(v).equals(java.util.List.of("What is 5 + 5?"))))
                .getChildren().flatMap(c -> c.getChildren()).filter(c -> c instanceof VersionSwitch).map(VersionSwitch.class::cast).findFirst().orElseThrow();
        assertThat(versions.text()).isEqualTo("2/2");

        click(_get(versions, LightButton.class, spec -> spec.withClasses("sb-version-previous")));
        assertThat(userMessages(UI.getCurrent())).as("the original question with its later turn")
                .containsExactly("What is 2 + 2?", "And 3 + 3?");
        assertThat(replies(UI.getCurrent()).get(0).text()).isEqualTo(original.text());
        assertThat(ctx.getBean(ConversationHistory.class).page(USER, "", 0, 10)).hasSize(1);
    }

    @Test
    void anEmptyEditIsRefusedAndKeepsTheEditorOpen() {
        send("Keep me");
        awaitEnd(lastReply());
        UserMessageView question = _get(UserMessageView.class);
        click(_get(question, LightButton.class, spec -> spec.withClasses("sb-edit")));
        _setValue(_get(question, TextArea.class), "   ");
        click(_get(question, LightButton.class, spec -> spec.withClasses("sb-edit-send")));
        assertThat(question.editor()).as("still open with what was typed").isNotNull();
        assertThat(question.editor().getValue()).isEqualTo("   ");
        assertThat(userMessages(UI.getCurrent())).containsExactly("Keep me");
    }

    /** Regenerate and the switch work once the reply is stored, right after it ends. */
    private static ReplyView awaitStored(ReplyView reply) {
        awaitEnd(reply);
        Karibu.await("the reply stored", () -> reply.messageId() > 0);
        return reply;
    }

    private static LightButton regenerate(ReplyView reply) {
        return _get(reply, LightButton.class, spec -> spec.withClasses("sb-regenerate"));
    }
}
