package dev.switchboard.chat.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.messages.MessageList;
import com.vaadin.flow.component.messages.MessageListItem;
import com.vaadin.flow.dom.Element;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Karibu: every message, the user's and the reply, is shown with its time and a copy button under it; after a
 * reload (a new tab of the session) the times are the ones the messages were sent at, not the time of rendering.
 * (The copying itself runs in the browser: ReadingRepliesInBrowserTest.)
 */
class MessagesShowTheirTimeAndACopyButtonTest extends ChatUiTestBase {

    @Test
    void eachMessageHasItsTimeAndACopyButton() throws Exception {
        Instant before = Instant.now();
        send("What time is it?");
        awaitEnd(lastReply());
        Instant after = Instant.now();

        List<Instant> times = times();
        assertThat(times).hasSize(2).allSatisfy(t -> assertThat(t).isBetween(before, after));
        assertThat(copyButtons()).hasSize(2).allSatisfy(b -> {
            assertThat(b.getAttribute("aria-label")).isEqualTo("Copy message");
            assertThat(b.getChild(0).getAttribute("icon")).isEqualTo("vaadin:copy-o");
        });
        assertThat(_find(Div.class, s -> s.withClasses("sb-user-message"))).hasSize(1);

        Thread.sleep(20);
        com.vaadin.flow.component.UI second = dev.switchboard.testsupport.Karibu.openSecondTab();
        second.navigate("");
        assertThat(times()).as("the times the messages were sent, shown again").isEqualTo(times);
        assertThat(copyButtons()).hasSize(2);
    }

    private static List<Instant> times() {
        return _find(UI.getCurrent(), MessageList.class).stream().flatMap(l -> l.getItems().stream())
                .map(MessageListItem::getTime).toList();
    }

    private static List<Element> copyButtons() {
        return all(UI.getCurrent(), Div.class).stream().filter(d -> d.hasClassName("sb-message-footer"))
                .flatMap(d -> d.getElement().getChildren())
                .flatMap(e -> "sb-copy".equals(e.getAttribute("class")) ? Stream.of(e) : Stream.empty()).toList();
    }
}
