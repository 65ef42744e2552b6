package dev.switchboard.chat.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.Shortcuts;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteAlias;
import com.vaadin.flow.spring.security.AuthenticationContext;
import dev.switchboard.chat.ChatService;
import dev.switchboard.chat.Conversation;
import dev.switchboard.chat.ConversationHistory;
import dev.switchboard.chat.ConversationSummary;
import dev.switchboard.chat.Conversations;
import dev.switchboard.chat.Generation;
import dev.switchboard.chat.LimitExceededException;
import dev.switchboard.ui.DrawerContent;
import jakarta.annotation.security.PermitAll;

import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * The chat: conversation list (in the drawer), messages, composer. Thin: the pane follows the conversation and
 * its generation, the composer takes input, the list reads the history; this class wires them to {@link ChatService}
 * and {@link ConversationHistory}. A stored conversation is at {@code /c/<id>} (old links {@code /?c=<id>} open it
 * too), so a reload, another device or a later session shows it again, a running reply included.
 */
@Route("")
@RouteAlias("c/:id")
@PageTitle("Switchboard")
@PermitAll
class ChatView extends Div implements BeforeEnterObserver, DrawerContent {
    static final String PARAM = "c";

    private final Conversations conversations;
    private final ChatService chat;
    private final ConversationHistory history;
    private final String user;
    private final ConversationList list;
    private final ConversationPane pane;
    private final Composer composer;
    private Conversation shown;
    private boolean notFound;

    ChatView(Conversations conversations, ChatService chat, ConversationHistory history, AuthenticationContext auth) {
        this.conversations = conversations;
        this.chat = chat;
        this.history = history;
        this.user = auth.getPrincipalName().orElseThrow(() -> new IllegalStateException("not logged in"));
        addClassName("sb-chat");
        list = new ConversationList(new ConversationList.Source() {
            @Override public List<ConversationSummary> page(String q, int offset, int limit) { return history.page(user, q, offset, limit); }
            @Override public List<Conversation> drafts() { return conversations.drafts(); }
            @Override public boolean running(String id) { return conversations.running(id); }
        }, this::open, () -> open(conversations.create(user)), Clock.systemDefaultZone());
        pane = new ConversationPane(chat, user, new Events());
        composer = new Composer(chat.models(), chat.defaultModel(), chat.offline(), chat.maxMessageChars(),
                this::send, this::stop);
        composer.onModelPicked(model -> {
            if (shown != null && shown.stored()) history.setModel(shown, model);
        });
        Div main = new Div(pane, composer);
        main.addClassName("sb-main");
        add(main);
        Shortcuts.addShortcutListener(this, this::stop, Key.ESCAPE);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        String id = event.getRouteParameters().get("id")
                .or(() -> event.getLocation().getQueryParameters().getSingleParameter(PARAM)).orElse(null);
        notFound = false;
        if (id == null) {
            shown = conversations.current(user);
        } else {
            shown = conversations.find(user, id).orElse(null);
            if (shown == null) {
                notFound = true;
                shown = conversations.create(user);
            }
        }
        if (isAttached()) open(shown); // the same view, navigated to again with another id
    }

    @Override
    protected void onAttach(AttachEvent e) {
        open(shown != null ? shown : conversations.current(user));
        // Today / Yesterday are the user's days: the browser tells its time zone.
        e.getUI().getPage().retrieveExtendedClientDetails(details -> {
            try {
                list.useTimeZone(java.time.ZoneId.of(details.getTimeZoneId()));
            } catch (RuntimeException unknownZone) {
                // the server's zone stays
            }
        });
    }

    @Override
    protected void onDetach(DetachEvent e) {
        pane.close(); // the generation goes on; another tab or a reload picks it up
    }

    @Override
    public Component drawerContent() {
        return list;
    }

    private void open(String id) {
        conversations.find(user, id).ifPresentOrElse(this::open, () -> {
            error("Conversation not found. It may have been deleted.");
            list.refresh(shown == null ? null : shown.id());
        });
    }

    private void open(Conversation c) {
        shown = c;
        pane.show(c);
        if (notFound) pane.notFound();
        notFound = false;
        composer.setModel(c.model());
        list.refresh(c.id());
        showUrl();
    }

    /** The URL names the shown conversation once it is stored, so a reload or a bookmark opens it. */
    private void showUrl() {
        getUI().ifPresent(ui -> ui.getPage().getHistory().replaceState(null, shown.stored() ? "c/" + shown.id() : "./"));
    }

    private void send(String text) {
        attempt(() -> chat.send(shown, user, composer.model(), text), text);
    }

    private void stop() {
        Generation g = shown == null ? null : shown.running();
        if (g != null) g.stop();
    }

    /** Starts a reply; a refusal (empty, too long, still streaming, over quota) is shown and the text given back. */
    private void attempt(Supplier<Generation> start, String text) {
        try {
            start.get();
        } catch (IllegalArgumentException | IllegalStateException | LimitExceededException refused) {
            if (text != null) composer.restore(text);
            error(refused.getMessage());
        }
    }

    private static void error(String message) {
        Notification n = Notification.show(message, 6000, Notification.Position.BOTTOM_CENTER);
        n.addThemeVariants(NotificationVariant.LUMO_ERROR);
    }

    /** What the pane and its header ask for. */
    private final class Events implements ConversationPane.Events {
        @Override public void retry() { attempt(() -> chat.retry(shown, user, composer.model()), null); }

        @Override public void regenerate(long replyId) {
            attempt(() -> chat.regenerate(shown, user, composer.model(), replyId), null);
        }

        /** An edit that cannot be sent stays in its editor. */
        @Override public void edit(long messageId, String text) {
            attempt(() -> chat.edit(shown, user, composer.model(), messageId, text), null);
        }

        @Override public void showVersion(long messageId, int step) {
            try {
                shown.showVersion(messageId, step);
            } catch (IllegalStateException refused) {
                error(refused.getMessage());
            }
        }

        @Override public void runningChanged(boolean running) {
            composer.setStreaming(running);
            list.refresh(shown.id());
        }

        @Override public void turnAdded() {
            pane.refreshHeader();
            list.refresh(shown.id());
            showUrl();
        }

        @Override public void rename(String title) {
            if (!history.rename(user, shown.id(), title)) error("Conversation not found.");
            pane.refreshHeader();
            list.refresh(shown.id());
        }

        @Override public void pin(boolean pinned) {
            if (!history.pin(user, shown.id(), pinned)) error("Conversation not found.");
            pane.refreshHeader();
            list.refresh(shown.id());
        }

        @Override public void delete() {
            String id = shown.id();
            history.delete(user, id);
            conversations.close(id);
            open(conversations.create(user));
            Notification.show("Conversation deleted.", 3000, Notification.Position.BOTTOM_CENTER);
        }

        @Override public void systemPrompt(String prompt) {
            try {
                history.setSystemPrompt(shown, prompt);
                Notification.show(prompt == null || prompt.isBlank() ? "This conversation uses the global system prompt."
                        : "System prompt saved for this conversation.", 3000, Notification.Position.BOTTOM_CENTER);
            } catch (IllegalArgumentException refused) {
                error(refused.getMessage());
            }
        }
    }
}
