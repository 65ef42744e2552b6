package dev.switchboard.admin;

import com.github.mvysny.kaributesting.v10.MessagesKt;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.messages.MessageInput;
import com.vaadin.flow.component.messages.MessageList;
import dev.switchboard.llm.UpstreamRouter;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.security.ui.LoginViews;
import dev.switchboard.testsupport.Karibu;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.List;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

/** Karibu, the chat view over two mock upstreams: the failover note, and "interrupted" with Retry. */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:failover-ui-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Failover-admin-password-1",
        "switchboard.first-token-timeout=2s", "switchboard.stall-timeout=2s"})
@DirtiesContext
class FailoverShownInChatViewTest {
    static final OfflineModelServer primary = OfflineModelServer.start(0, Behavior.fast());
    static final OfflineModelServer backup = OfflineModelServer.start(0, Behavior.fast());

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry r) {
        FailoverEndToEndTest.register(r, primary, backup);
    }

    @AfterAll
    static void stop() {
        primary.close();
        backup.close();
    }

    @Autowired ApplicationContext ctx;
    @Autowired UpstreamRouter router;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void openChat() throws Exception {
        primary.setBehavior(Behavior.fast());
        backup.setBehavior(Behavior.fast());
        FailoverEndToEndTest.clearFailureCounts(router);
        // The chat view is package-private in chat.ui (another team's package): named, not imported.
        Class<? extends Component> chatView = (Class<? extends Component>) Class.forName("dev.switchboard.chat.ui.ChatView");
        Karibu.setUpLoggedIn(ctx, Karibu.routes(chatView, LoginViews.loginView()), "alice", "USER");
        UI.getCurrent().navigate("");
    }

    @AfterEach
    void tearDown() {
        Karibu.tearDown();
    }

    @Test
    void aReplyAnsweredByTheBackupSaysSoAndNamesThePrimarysFault() {
        primary.setBehavior(Behavior.failing(503));
        MessagesKt._submit(_get(MessageInput.class), "Who answers?");
        Div reply = awaitEnd();

        assertThat(reply.getElement().getAttribute("status")).isEqualTo("completed");
        assertThat(_get(reply, Span.class, spec -> spec.withClasses("sb-failover")).getText())
                .isEqualTo("answered by backup; primary: 503");
        assertThat(_get(reply, Span.class, spec -> spec.withClasses("sb-meta")).getText()).contains("backup").contains("gpt-5.5");
        assertThat(text(reply)).contains("Who answers?");
    }

    @Test
    void aBrokenStreamIsMarkedInterruptedKeepsItsTextAndRetryReplacesIt() {
        primary.setBehavior(Behavior.fast().withReplyTokens(20).withDropAfter(5));
        MessagesKt._submit(_get(MessageInput.class), "Break halfway");
        Div broken = awaitEnd();

        assertThat(broken.getElement().getAttribute("status")).isEqualTo("interrupted");
        assertThat(text(broken)).isEqualTo("tok0 tok1 tok2 tok3 tok4");
        assertThat(_get(broken, Div.class, spec -> spec.withClasses("sb-error")).getText()).contains("interrupted");
        Button retry = _get(broken, Button.class, spec -> spec.withText("Retry"));
        assertThat(retry.isVisible()).isTrue();

        primary.setBehavior(Behavior.fast().withReplyTokens(20));
        _click(retry);
        Div again = awaitEnd();
        assertThat(again.getElement().getAttribute("status")).isEqualTo("completed");
        assertThat(text(again)).as("replaced, not appended").startsWith("tok0 tok1").endsWith("tok19").doesNotContain("tok19tok0");
        assertThat(replies()).hasSize(1);
    }

    private static List<Div> replies() {
        return _find(UI.getCurrent(), Div.class, spec -> spec.withClasses("sb-reply"));
    }

    private static Div awaitEnd() {
        Div[] reply = new Div[1];
        Karibu.await("the reply to end", Duration.ofSeconds(20), () -> {
            List<Div> all = replies();
            if (all.isEmpty()) return false;
            reply[0] = all.get(all.size() - 1);
            String status = reply[0].getElement().getAttribute("status");
            return status != null && !"running".equals(status);
        });
        return reply[0];
    }

    private static String text(Div reply) {
        return _get(reply, MessageList.class).getItems().get(0).getText();
    }
}
