package dev.switchboard.chat.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Div;
import dev.switchboard.chat.GenerationStatus;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.testsupport.Karibu;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

/** A failed or broken reply shows its error in the conversation, keeps the user's message, and offers Retry. */
class UpstreamErrorOffersRetryTest extends ChatUiTestBase {

    @Test
    void failedReplyShowsTheErrorAndRetryAfterRecoveryAnswers() {
        upstream.setBehavior(Behavior.failing(500));
        send("Are you there?");
        ReplyView failed = lastReply();
        Karibu.await("failure", Duration.ofSeconds(20), () -> failed.state().status() == GenerationStatus.FAILED);

        Div error = _get(failed, Div.class, spec -> spec.withClasses("sb-error"));
        assertThat(error.isVisible()).isTrue();
        assertThat(error.getText()).isNotBlank();
        assertThat(userMessages(UI.getCurrent())).containsExactly("Are you there?");
        assertThat(input().isEnabled()).isTrue();

        upstream.setBehavior(Behavior.fast());
        _click(button(failed, "Retry"));
        ReplyView retried = awaitEnd(lastReply());

        assertThat(retried.state().status()).isEqualTo(GenerationStatus.COMPLETED);
        assertThat(retried.text()).contains("This is turn **1**").contains("Are you there?");
        assertThat(userMessages(UI.getCurrent())).as("the message is asked again, not duplicated").containsExactly("Are you there?");
        assertThat(replies(UI.getCurrent())).as("the failed reply is replaced").hasSize(1);
    }

    @Test
    void interruptedReplyKeepsItsTextAndOffersRetry() {
        upstream.setBehavior(Behavior.fast().withReplyTokens(50).withDropAfter(10));
        send("Break halfway");
        ReplyView broken = lastReply();
        Karibu.await("interruption", Duration.ofSeconds(20), () -> broken.state().status() == GenerationStatus.INTERRUPTED);

        assertThat(broken.text()).startsWith("tok0").contains("tok9").doesNotContain("tok10");
        assertThat(_get(broken, Div.class, spec -> spec.withClasses("sb-error")).getText()).contains("interrupted");
        assertThat(button(broken, "Retry").isVisible()).isTrue();
        assertThat(ReplyStreamsInTest.metaOf(broken)).contains("interrupted");
    }
}
