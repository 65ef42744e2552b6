package dev.switchboard.chat.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.messages.MessageList;
import com.vaadin.flow.component.messages.MessageListItem;

import java.time.Instant;

/** One message as a single-item {@link MessageList}, so meta and actions can sit right under it. */
final class Bubble {
    static final String ASSISTANT = "Assistant";

    private Bubble() {}

    static MessageList of(MessageListItem item) {
        MessageList list = new MessageList(item);
        list.setMarkdown(true); // the web component sanitizes the rendered HTML
        list.addClassName("sb-bubble");
        return list;
    }

    /** A user's message with its time, and under it the copy button ({@link ReadingAids}). */
    static Div userMessage(String name, String text, Instant at) {
        MessageListItem item = user(name, text);
        item.setTime(at);
        Div footer = new Div();
        footer.addClassName("sb-message-footer");
        footer.getElement().appendChild(ReadingAids.copyButton());
        Div message = new Div(of(item), footer);
        message.addClassNames("sb-message", "sb-user-message");
        return message;
    }

    static MessageListItem user(String name, String text) {
        MessageListItem item = new MessageListItem(text, null, name);
        item.setUserColorIndex(1);
        item.addClassNames("sb-user");
        return item;
    }

    static MessageListItem assistant(String text) {
        MessageListItem item = new MessageListItem(text, null, ASSISTANT);
        item.setUserAbbreviation("SB");
        item.setUserColorIndex(3);
        item.addClassNames("sb-assistant");
        return item;
    }
}
