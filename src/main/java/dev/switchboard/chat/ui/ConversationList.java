package dev.switchboard.chat.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.dom.Element;
import dev.switchboard.chat.Conversation;
import dev.switchboard.chat.Conversations;
import dev.switchboard.ui.LightButton;

import java.util.function.Consumer;

/**
 * "New chat" and this session's conversations, newest first; the shown one is marked. Every open tab keeps this list,
 * one button per conversation, so the buttons are {@link LightButton}s (~4 KB less each than Vaadin's Button).
 */
final class ConversationList extends Div {
    private final Conversations conversations;
    private final Consumer<Conversation> onOpen;
    private final Div items = new Div();

    ConversationList(Conversations conversations, Consumer<Conversation> onOpen, Runnable onNew) {
        this.conversations = conversations;
        this.onOpen = onOpen;
        addClassName("sb-conversations");
        LightButton newChat = new LightButton("New chat").withIcon("vaadin:plus").withTheme("contrast");
        newChat.onClick(onNew);
        newChat.addClassName("sb-new-chat");
        Span heading = new Span("Conversations");
        heading.addClassName("sb-list-heading");
        items.addClassName("sb-conversation-items");
        items.getElement().setAttribute("role", "list");
        add(newChat, heading, items);
    }

    /** Rebuilds the list (titles come from the first message, so they change after it). */
    void refresh(Conversation selected) {
        items.removeAll();
        for (Conversation c : conversations.all()) {
            LightButton item = new LightButton(c.title()).withTheme("tertiary");
            item.onClick(() -> onOpen.accept(c));
            item.addClassName("sb-conversation");
            item.getElement().setAttribute("role", "listitem");
            item.getElement().setAttribute("data-id", c.id());
            if (selected != null && c.id().equals(selected.id())) {
                item.addClassName("sb-selected");
                item.getElement().setAttribute("aria-current", "page");
            }
            if (c.running() != null) item.getElement().appendChild(runningDot());
            items.add(item);
        }
    }

    private static Element runningDot() {
        return new Element("span").setAttribute("slot", "suffix").setAttribute("class", "sb-running-dot")
                .setAttribute("title", "A reply is streaming");
    }
}
