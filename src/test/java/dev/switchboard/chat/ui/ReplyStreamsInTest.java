package dev.switchboard.chat.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Span;
import dev.switchboard.chat.GenerationStatus;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.testsupport.Karibu;
import dev.switchboard.ui.LightButton;
import org.junit.jupiter.api.Test;

import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

/** A sent message shows at once; the reply streams in, completes, and says which upstream and model answered. */
class ReplyStreamsInTest extends ChatUiTestBase {

    @Test
    void sentMessageGetsAStreamedReplyThatCompletesWithUpstreamAndModel() {
        upstream.setBehavior(Behavior.fast().withTokensPerSecond(100));
        send("Hello there");

        assertThat(userMessages(UI.getCurrent())).containsExactly("Hello there");
        ReplyView reply = lastReply();
        assertThat(reply.state().status()).isEqualTo(GenerationStatus.RUNNING);
        assertThat(input().isEnabled()).as("no sending while a reply streams").isFalse();
        assertThat(stopButton().isVisible()).isTrue();

        Karibu.await("first tokens", () -> !reply.text().isEmpty());
        assertThat(reply.state().status()).as("text arrives while still running").isEqualTo(GenerationStatus.RUNNING);

        awaitEnd(reply);
        assertThat(reply.state().status()).isEqualTo(GenerationStatus.COMPLETED);
        assertThat(reply.text()).contains("This is turn **1**").contains("Hello there");
        assertThat(metaOf(reply)).startsWith("mock · gpt-5.5").contains("tokens");
        assertThat(input().isEnabled()).isTrue();
        assertThat(stopButton().isVisible()).isFalse();
        assertThat(_get(Span.class, spec -> spec.withClasses("sb-total")).getText()).endsWith("tokens");
    }

    @Test
    void secondTurnIsAnsweredInTheSameConversation() {
        send("First question");
        awaitEnd(lastReply());
        send("Second question");
        ReplyView second = awaitEnd(lastReply());

        assertThat(replies(UI.getCurrent())).hasSize(2);
        assertThat(second.text()).contains("This is turn **2**").contains("Second question");
        assertThat(userMessages(UI.getCurrent())).containsExactly("First question", "Second question");
    }

    @Test
    void conversationIsListedUnderItsFirstMessageAndMarked() {
        send("Plan a picnic for Sunday");
        awaitEnd(lastReply());

        LightButton item = _get(LightButton.class, spec -> spec.withClasses("sb-conversation"));
        assertThat(item.getText()).isEqualTo("Plan a picnic for Sunday");
        assertThat(item.hasClassName("sb-selected")).isTrue();
    }

    @Test
    void overLongMessageIsRefusedVisiblyAndNotSent() {
        String text = "x".repeat(100_001);
        send(text);

        Span error = _get(Span.class, spec -> spec.withClasses("sb-limit-error"));
        assertThat(error.isVisible()).isTrue();
        assertThat(error.getText()).contains("100001").contains("100000");
        assertThat(replies(UI.getCurrent())).isEmpty();
        assertThat(upstream.calls()).isZero();
    }

    static String metaOf(ReplyView reply) {
        return _get(reply, Span.class, spec -> spec.withClasses("sb-meta")).getText();
    }
}
