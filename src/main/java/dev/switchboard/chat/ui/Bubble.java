package dev.switchboard.chat.ui;

import com.vaadin.flow.component.messages.MessageList;
import com.vaadin.flow.component.messages.MessageListItem;

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
