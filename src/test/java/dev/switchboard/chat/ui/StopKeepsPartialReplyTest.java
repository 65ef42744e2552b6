package dev.switchboard.chat.ui;

import com.github.mvysny.kaributesting.v10.ShortcutsKt;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import dev.switchboard.chat.GenerationStatus;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.testsupport.Karibu;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static org.assertj.core.api.Assertions.assertThat;

/** Stop (button or Esc) ends the reply: the partial text stays, it is marked stopped, the upstream stream closes. */
class StopKeepsPartialReplyTest extends ChatUiTestBase {

    @BeforeEach
    void slowUpstream() {
        upstream.setBehavior(Behavior.fast().withTokensPerSecond(40).withReplyTokens(400)); // ~10 s
    }

    @Test
    void stopButtonKeepsThePartialReplyMarksItStoppedAndClosesTheUpstreamStream() {
        send("Tell me a long story");
        ReplyView reply = lastReply();
        Karibu.await("some text", () -> reply.text().length() > 10);
        Karibu.await("the upstream stream is open", () -> upstream.openStreams() == 1);

        click(stopButton());
        Karibu.await("stopped", () -> reply.state().status() == GenerationStatus.STOPPED);

        String partial = reply.text();
        assertThat(partial).startsWith("tok0 tok1").doesNotContain("tok399");
        assertThat(ReplyStreamsInTest.metaOf(reply)).contains("stopped");
        Karibu.await("the upstream stream is closed", Duration.ofSeconds(5), () -> upstream.openStreams() == 0);
        Karibu.sleep(150);
        Karibu.await("nothing more arrives", () -> true);
        assertThat(reply.text()).isEqualTo(partial);
        assertThat(input().isEnabled()).isTrue();
        assertThat(stopButton().isVisible()).isFalse();
        Button retry = button(reply, "Retry");
        assertThat(retry.isVisible()).as("a stopped reply can be asked again").isTrue();
    }

    @Test
    void escapeKeyStopsTheReplyToo() {
        send("Another long one");
        ReplyView reply = lastReply();
        Karibu.await("some text", () -> !reply.text().isEmpty());

        ShortcutsKt.fireShortcut(Key.ESCAPE);
        Karibu.await("stopped", () -> reply.state().status() == GenerationStatus.STOPPED);
        assertThat(reply.text()).isNotEmpty();
        Karibu.await("the upstream stream is closed", Duration.ofSeconds(5), () -> upstream.openStreams() == 0);
    }
}
