package dev.switchboard.chat.ui;

import com.vaadin.flow.component.UI;
import dev.switchboard.chat.ConversationHistory;
import dev.switchboard.chat.ConversationSummary;
import dev.switchboard.chat.GenerationStatus;
import dev.switchboard.chat.StoredConversation;
import dev.switchboard.chat.StoredMessage;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.security.ui.LoginViews;
import dev.switchboard.testsupport.Karibu;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A reply belongs to its conversation, not to the login: when the session ends (logout, idle timeout) mid-reply,
 * the generation goes on and its whole reply is stored; the next login shows it.
 */
class ReplyAfterLogoutIsStoredTest extends ChatUiTestBase {

    @Test
    void aReplyFinishingAfterLogoutIsStoredAndShownAtTheNextLogin() {
        upstream.setBehavior(Behavior.fast().withTokensPerSecond(40).withReplyTokens(60)); // ~1.5 s
        send("Finish this without me");
        ReplyView reply = lastReply();
        Karibu.await("partial text", () -> reply.text().length() > 5);

        Karibu.tearDown(); // closes the session as a logout or a timeout does (VaadinService.fireSessionDestroy)

        ConversationHistory history = ctx.getBean(ConversationHistory.class);
        String id = history.page(USER, "", 0, 10).stream().map(ConversationSummary::id).findFirst().orElseThrow();
        StoredMessage stored = await().atMost(Duration.ofSeconds(20)).until(() -> lastMessage(history.find(USER, id).orElseThrow()),
                m -> m != null && m.status() == GenerationStatus.COMPLETED);
        assertThat(stored.content()).startsWith("tok0").endsWith("tok59");
        assertThat(stored.usage()).isNotNull();
        assertThat(upstream.calls()).isEqualTo(1);

        Karibu.setUpLoggedIn(ctx, Karibu.routes(ChatView.class, LoginViews.loginView()), USER, "USER");
        UI.getCurrent().navigate("c/" + id);
        assertThat(userMessages(UI.getCurrent())).containsExactly("Finish this without me");
        assertThat(lastReply().text()).isEqualTo(stored.content());
        assertThat(lastReply().state().status()).isEqualTo(GenerationStatus.COMPLETED);
    }

    @Test
    void aStoppedReplyIsStoredWithItsPartialTextAndStatus() {
        upstream.setBehavior(Behavior.fast().withTokensPerSecond(40).withReplyTokens(200));
        send("Stop me halfway");
        ReplyView reply = lastReply();
        Karibu.await("partial text", () -> reply.text().length() > 5);
        _stop();
        awaitEnd(reply);
        Karibu.await("stored", () -> reply.messageId() > 0);

        ConversationHistory history = ctx.getBean(ConversationHistory.class);
        StoredConversation c = history.find(USER, history.page(USER, "", 0, 1).get(0).id()).orElseThrow();
        StoredMessage last = lastMessage(c);
        assertThat(last.status()).isEqualTo(GenerationStatus.STOPPED);
        assertThat(last.content()).isEqualTo(reply.text()).startsWith("tok0").doesNotContain("tok199");
    }

    private static void _stop() {
        click(stopButton());
    }

    private static StoredMessage lastMessage(StoredConversation c) {
        List<StoredMessage> all = c.messages();
        return all.size() < 2 ? null : all.get(all.size() - 1);
    }
}
