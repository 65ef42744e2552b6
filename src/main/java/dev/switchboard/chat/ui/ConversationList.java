package dev.switchboard.chat.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import dev.switchboard.chat.Conversation;
import dev.switchboard.chat.Conversations;

import java.util.function.Consumer;

/** "New chat" and this session's conversations, newest first; the shown one is marked. */
final class ConversationList extends Div {
    private final Conversations conversations;
    private final Consumer<Conversation> onOpen;
    private final Div items = new Div();

    ConversationList(Conversations conversations, Consumer<Conversation> onOpen, Runnable onNew) {
        this.conversations = conversations;
        this.onOpen = onOpen;
        addClassName("sb-conversations");
        Button newChat = new Button("New chat", VaadinIcon.PLUS.create(), e -> onNew.run());
        newChat.addThemeVariants(ButtonVariant.LUMO_CONTRAST);
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
            Button item = new Button(c.title(), e -> onOpen.accept(c));
            item.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
            item.addClassName("sb-conversation");
            item.getElement().setAttribute("role", "listitem");
            item.getElement().setAttribute("data-id", c.id());
            if (selected != null && c.id().equals(selected.id())) {
                item.addClassName("sb-selected");
                item.getElement().setAttribute("aria-current", "page");
            }
            if (c.running() != null) item.setSuffixComponent(runningDot());
            items.add(item);
        }
    }

    private static Span runningDot() {
        Span dot = new Span();
        dot.addClassName("sb-running-dot");
        dot.getElement().setAttribute("title", "A reply is streaming");
        return dot;
    }
}
