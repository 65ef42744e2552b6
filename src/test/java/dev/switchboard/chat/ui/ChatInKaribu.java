package dev.switchboard.chat.ui;

import com.vaadin.flow.component.UI;
import dev.switchboard.chat.GenerationState;
import dev.switchboard.chat.GenerationStatus;
import dev.switchboard.security.ui.LoginViews;
import dev.switchboard.testsupport.Karibu;
import org.springframework.context.ApplicationContext;

import java.time.Duration;
import java.util.List;

/** For tests of other packages: the chat view in Karibu, logged in, one message sent and its reply awaited. */
public final class ChatInKaribu {
    private ChatInKaribu() {}

    /** Opens the chat view of {@code user} in a mock browser tab (until {@link #close()}). */
    public static void open(ApplicationContext ctx, String user, String... roles) {
        Karibu.setUpLoggedIn(ctx, Karibu.routes(ChatView.class, LoginViews.loginView()), user, roles);
        UI.getCurrent().navigate("");
    }

    /** Sends {@code text} in the open tab and waits (running its pushes) until the reply has ended. */
    public static GenerationState sendAndAwaitReply(String text) {
        int before = ChatUiTestBase.replies(UI.getCurrent()).size();
        ChatUiTestBase.send(text);
        Karibu.await("the reply to appear", () -> ChatUiTestBase.replies(UI.getCurrent()).size() > before);
        List<ReplyView> replies = ChatUiTestBase.replies(UI.getCurrent());
        ReplyView reply = replies.get(replies.size() - 1);
        Karibu.await("the reply to end", Duration.ofSeconds(20), () -> reply.state().status() != GenerationStatus.RUNNING);
        return reply.state();
    }

    public static void close() {
        Karibu.tearDown();
    }
}
