package dev.switchboard.chat.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.dom.Element;
import dev.switchboard.chat.Conversation;
import dev.switchboard.chat.ConversationSummary;
import dev.switchboard.ui.LightButton;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * "New chat", search, and the user's conversations: pinned first, then newest first under Today / Yesterday /
 * Previous 7 days / Older. Read from the store a page at a time ("Show more" loads the next), so thousands of
 * conversations cost one page. Every open tab keeps this list, so the buttons are {@link LightButton}s.
 */
final class ConversationList extends Div {
    static final int PAGE = 50;

    /** Where the list comes from. */
    interface Source {
        List<ConversationSummary> page(String query, int offset, int limit);

        /** New conversations of this session without a message yet, shown first (not while searching). */
        List<Conversation> drafts();

        /** True while a reply streams in conversation {@code id}. */
        boolean running(String id);
    }

    private final Source source;
    private final Consumer<String> onOpen;
    private final Div items = new Div();
    private final TextField search = new TextField();
    private Clock clock;
    private int shown = PAGE;
    private String selectedId;

    ConversationList(Source source, Consumer<String> onOpen, Runnable onNew, Clock clock) {
        this.source = source;
        this.onOpen = onOpen;
        this.clock = clock;
        addClassName("sb-conversations");
        LightButton newChat = new LightButton("New chat").withIcon("vaadin:plus").withTheme("contrast");
        newChat.onClick(onNew);
        newChat.addClassName("sb-new-chat");
        search.setPlaceholder("Search conversations");
        search.setAriaLabel("Search conversations");
        search.setClearButtonVisible(true);
        search.addClassName("sb-search");
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.addValueChangeListener(e -> {
            shown = PAGE;
            refresh();
        });
        items.addClassName("sb-conversation-items");
        items.getElement().setAttribute("role", "list");
        add(newChat, search, items);
    }

    TextField search() { return search; }

    /** Groups by the days of {@code zone} (the browser's, once it told), and shows the list again. */
    void useTimeZone(ZoneId zone) {
        if (zone.equals(clock.getZone())) return;
        clock = clock.withZone(zone);
        refresh();
    }

    /** Rebuilds the list with {@code selectedId} marked (titles and order change as conversations do). */
    void refresh(String selectedId) {
        this.selectedId = selectedId;
        refresh();
    }

    void refresh() {
        items.removeAll();
        String query = search.getValue();
        if (query.isBlank()) source.drafts().forEach(d -> items.add(item(d.id(), d.title(), source.running(d.id()))));
        List<ConversationSummary> page = source.page(query, 0, shown + 1);
        boolean more = page.size() > shown;
        String group = null;
        for (ConversationSummary c : page.subList(0, Math.min(shown, page.size()))) {
            String g = c.pinned() ? "Pinned" : group(c);
            if (!g.equals(group)) {
                items.add(heading(g));
                group = g;
            }
            items.add(item(c.id(), c.title(), source.running(c.id())));
        }
        if (page.isEmpty() && !query.isBlank()) {
            Span none = new Span("No conversation matches.");
            none.addClassName("sb-list-empty");
            items.add(none);
        }
        if (more) {
            LightButton next = new LightButton("Show more").withTheme("tertiary", "small");
            next.addClassName("sb-show-more");
            next.onClick(() -> {
                shown += PAGE;
                refresh();
            });
            items.add(next);
        }
    }

    /** The group of an unpinned conversation, by the day it last changed (in the user's time zone, once known). */
    private String group(ConversationSummary c) {
        ZoneId zone = clock.getZone();
        LocalDate today = LocalDate.now(clock);
        LocalDate day = c.updatedAt().atZone(zone).toLocalDate();
        if (!day.isBefore(today)) return "Today";
        if (day.equals(today.minusDays(1))) return "Yesterday";
        if (day.isAfter(today.minusDays(8))) return "Previous 7 days";
        return "Older";
    }

    private static Span heading(String text) {
        Span h = new Span(text);
        h.addClassName("sb-list-heading");
        return h;
    }

    private LightButton item(String id, String title, boolean running) {
        LightButton item = new LightButton(title).withTheme("tertiary");
        item.onClick(() -> onOpen.accept(id));
        item.addClassName("sb-conversation");
        item.getElement().setAttribute("role", "listitem");
        item.getElement().setAttribute("data-id", id);
        if (id.equals(selectedId)) {
            item.addClassName("sb-selected");
            item.getElement().setAttribute("aria-current", "page");
        }
        if (running) item.getElement().appendChild(runningDot());
        return item;
    }

    /** The titles listed, in order (for tests and the curious). */
    List<String> titles() {
        List<String> out = new ArrayList<>();
        items.getChildren().filter(c -> c instanceof LightButton b && b.hasClassName("sb-conversation"))
                .forEach(c -> out.add(((LightButton) c).getText()));
        return out;
    }

    private static Element runningDot() {
        return new Element("span").setAttribute("slot", "suffix").setAttribute("class", "sb-running-dot")
                .setAttribute("title", "A reply is streaming");
    }
}
