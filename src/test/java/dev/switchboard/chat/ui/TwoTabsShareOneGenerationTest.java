package dev.switchboard.chat.ui;

import com.vaadin.flow.component.UI;
import dev.switchboard.chat.GenerationStatus;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.testsupport.Karibu;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reply belongs to the conversation, not the tab: a second tab (or a reload) opened mid-stream shows the
 * partial text and then the rest, from the one upstream call; closing a tab never stops it.
 */
class TwoTabsShareOneGenerationTest extends ChatUiTestBase {

    @BeforeEach
    void paced() {
        upstream.setBehavior(Behavior.fast().withTokensPerSecond(50).withReplyTokens(60)); // ~1.2 s
    }

    @Test
    void secondTabOpenedMidStreamShowsThePartialReplyThenTheCompleteOne() {
        send("One reply, two tabs");
        UI first = UI.getCurrent();
        ReplyView inFirst = lastReply(first);
        Karibu.await("partial text in the first tab", () -> inFirst.text().length() > 5);

        UI second = Karibu.openSecondTab();
        assertThat(second).isNotSameAs(first);
        ReplyView inSecond = lastReply(second);
        assertThat(inSecond.text()).as("partial text at once").isNotEmpty().startsWith("tok0");
        assertThat(inSecond.state().status()).isEqualTo(GenerationStatus.RUNNING);
        assertThat(userMessages(second)).containsExactly("One reply, two tabs");
        assertThat(stopButton().isVisible()).as("the second tab can stop it too").isTrue();

        Karibu.await("both tabs complete", () -> inFirst.state().status() == GenerationStatus.COMPLETED
                && inSecond.state().status() == GenerationStatus.COMPLETED);
        assertThat(inSecond.text()).isEqualTo(inFirst.text()).endsWith("tok59");
        assertThat(upstream.calls()).as("one generation, one upstream call").isEqualTo(1);
    }

    @Test
    void reloadShowsThePartialReplyAndContinues() {
        send("Survive a reload");
        ReplyView before = lastReply();
        Karibu.await("partial text", () -> before.text().length() > 5);

        UI.getCurrent().getPage().reload();
        ReplyView after = lastReply();
        assertThat(after).isNotSameAs(before);
        assertThat(after.text()).startsWith("tok0");

        awaitEnd(after);
        assertThat(after.state().status()).isEqualTo(GenerationStatus.COMPLETED);
        assertThat(after.text()).endsWith("tok59");
        assertThat(upstream.calls()).isEqualTo(1);
    }
}
