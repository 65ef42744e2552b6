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
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import dev.switchboard.chat.ChatService;
import dev.switchboard.chat.Conversation;
import dev.switchboard.chat.Conversations;
import dev.switchboard.chat.Generation;
import dev.switchboard.chat.LimitExceededException;
import dev.switchboard.ui.DrawerContent;
import jakarta.annotation.security.PermitAll;

import java.util.function.Supplier;

/**
 * The chat: conversation list (in the drawer), messages, composer. Thin: the pane follows the conversation and
 * its generation, the composer takes input; this class wires them to {@link ChatService}.
 * The shown conversation is in the URL ({@code /?c=<id>}), so a reload shows it again, partial reply included.
 */
@Route("")
@PageTitle("Switchboard")
@PermitAll
class ChatView extends Div implements BeforeEnterObserver, DrawerContent {
    static final String PARAM = "c";

    private final Conversations conversations;
    private final ChatService chat;
    private final String user;
    private final ConversationList list;
    private final ConversationPane pane;
    private final Composer composer;
    private Conversation shown;

    ChatView(Conversations conversations, ChatService chat, AuthenticationContext auth) {
        this.conversations = conversations;
        this.chat = chat;
        this.user = auth.getPrincipalName().orElseThrow(() -> new IllegalStateException("not logged in"));
        addClassName("sb-chat");
        list = new ConversationList(conversations, this::open, () -> open(conversations.create()));
        pane = new ConversationPane(chat, user, new ConversationPane.Events() {
            @Override public void retry() { ChatView.this.retry(); }
            @Override public void runningChanged(boolean running) { composer.setStreaming(running); list.refresh(shown); }
            @Override public void turnAdded() { list.refresh(shown); }
        });
        composer = new Composer(chat.models(), chat.defaultModel(), chat.offline(), chat.maxMessageChars(),
                this::send, this::stop);
        Div main = new Div(pane, composer);
        main.addClassName("sb-main");
        add(main);
        Shortcuts.addShortcutListener(this, this::stop, Key.ESCAPE);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        String id = event.getLocation().getQueryParameters().getSingleParameter(PARAM).orElse(null);
        shown = id == null ? conversations.current() : conversations.find(id).orElseGet(conversations::current);
        if (isAttached()) open(shown); // the same view, navigated to again with another ?c=
    }

    @Override
    protected void onAttach(AttachEvent e) {
        open(shown != null ? shown : conversations.current());
    }

    @Override
    protected void onDetach(DetachEvent e) {
        pane.close(); // the generation goes on; another tab or a reload picks it up
    }

    @Override
    public Component drawerContent() {
        return list;
    }

    private void open(Conversation c) {
        shown = c;
        pane.show(c);
        list.refresh(c);
        getUI().ifPresent(ui -> ui.getPage().getHistory().replaceState(null,
                ui.getInternals().getActiveViewLocation().getPath() + "?" + QueryParameters.of(PARAM, c.id()).getQueryString()));
    }

    private void send(String text) {
        attempt(() -> chat.send(shown, user, composer.model(), text), text);
    }

    private void retry() {
        attempt(() -> chat.retry(shown, user, composer.model()), null);
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
            Notification n = Notification.show(refused.getMessage(), 6000, Notification.Position.BOTTOM_CENTER);
            n.addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
    }
}
