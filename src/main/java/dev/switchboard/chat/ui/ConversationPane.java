package dev.switchboard.chat.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.Scroller;
import com.vaadin.flow.server.Command;
import dev.switchboard.chat.ChatService;
import dev.switchboard.chat.Conversation;
import dev.switchboard.chat.Generation;
import dev.switchboard.chat.GenerationState;
import dev.switchboard.llm.TokenUsage;

import java.text.NumberFormat;
import java.time.Instant;
import java.util.Locale;

/**
 * The messages of the conversation shown in this tab. It listens to the conversation (new turns, resets) and,
 * through a {@link ReplyStream}, to its running generation; all of it is UI state, changed on the UI thread.
 */
final class ConversationPane extends Div implements Conversation.Listener {
    /** What the view learns from the pane. */
    interface Events extends ConversationHeader.Actions {
        void retry();

        /** A new version of reply {@code replyId}. */
        void regenerate(long replyId);

        /** Question {@code messageId} sent again as {@code text}. */
        void edit(long messageId, String text);

        /** The previous (-1) or next (+1) version of message {@code messageId}. */
        void showVersion(long messageId, int step);

        /** A reply started or ended in the shown conversation. */
        void runningChanged(boolean running);

        /** The shown conversation got a new turn (its title may have changed). */
        void turnAdded();
    }

    private final ChatService chat;
    private final String userName;
    private final Events events;
    private final Span tokens = new Span();
    private final ConversationHeader header;
    private final Div column = new Div();
    private final Scroller scroller = new Scroller(column);
    private volatile UI ui; // read by listener calls from other threads
    private Conversation conversation;
    private ReplyStream stream;
    private ReplyView lastReply;
    private long totalTokens;

    ConversationPane(ChatService chat, String userName, Events events) {
        this.chat = chat;
        this.userName = userName;
        this.events = events;
        addClassName("sb-pane");
        tokens.addClassName("sb-total");
        header = new ConversationHeader(events, tokens);
        column.addClassName("sb-column");
        scroller.addClassName("sb-scroller");
        scroller.setScrollDirection(Scroller.ScrollDirection.VERTICAL);
        add(header, scroller);
    }

    @Override
    protected void onAttach(AttachEvent e) {
        ReadingAids.install(e.getUI(), column.getElement()); // copy buttons, highlighted code
        // Follow the end while new text arrives, unless the reader scrolled up.
        scroller.getElement().executeJs("const s = this; s.__sbStick = true;"
                + "s.addEventListener('scroll', () => { s.__sbStick = s.scrollHeight - s.scrollTop - s.clientHeight < 48; });");
    }

    /** Shows {@code c} and starts following it; the previous one is let go (its generation runs on). */
    void show(Conversation c) {
        close();
        ui = UI.getCurrent();
        conversation = c;
        render(c.subscribe(this));
    }

    Conversation conversation() { return conversation; }

    ConversationHeader header() { return header; }

    /** The title, pin and actions again (after a rename, a pin, the first message). */
    void refreshHeader() {
        if (conversation != null) header.show(conversation);
    }

    /** Shows that the asked-for conversation does not exist (or is not the user's): nothing about it is said. */
    void notFound() {
        Div note = new Div(new Span("Conversation not found. It may have been deleted, or the link is wrong."));
        note.addClassName("sb-not-found");
        note.getElement().setAttribute("role", "alert");
        column.addComponentAsFirst(note);
    }

    /** Stops listening to everything (detach). */
    void close() {
        if (conversation != null) conversation.unsubscribe(this);
        closeStream();
        conversation = null;
    }

    // ---- Conversation.Listener: any thread (the sending tab's, or another tab's) ----

    @Override
    public void reset(Conversation.Snapshot snapshot) {
        onUi(() -> {
            if (isShown(snapshot.id())) render(snapshot);
        });
    }

    @Override
    public void generationStarted(Conversation.Entry userEntry, Generation g) {
        onUi(() -> {
            if (!isShown(g.conversationId())) return;
            if (userEntry != null) column.add(userMessage(userEntry));
            follow(g, true);
            events.turnAdded();
        });
    }

    @Override
    public void retitled(String title) {
        onUi(events::turnAdded); // the header and the list show the new title
    }

    @Override
    public void replyStored(String generationId, Conversation.Entry entry) {
        onUi(() -> {
            if (conversation == null) return;
            column.getChildren().filter(c -> c instanceof ReplyView r && r.state().id().equals(generationId))
                    .forEach(c -> ((ReplyView) c).stored(entry));
        });
    }

    // ---- rendering, UI thread ----

    private void render(Conversation.Snapshot s) {
        closeStream();
        column.removeAll();
        lastReply = null;
        totalTokens = 0;
        header.show(conversation);
        for (Conversation.Entry e : s.entries()) {
            if (e.reply() == null) {
                column.add(userMessage(e));
            } else {
                ReplyView reply = addReply(e.reply(), e.at());
                reply.stored(e);
                reply.leftOut(e.leftOut());
                count(e.reply().usage());
            }
        }
        if (s.running() != null) follow(s.running(), false);
        else events.runningChanged(false);
        showTotal();
        scrollToEnd();
    }

    /** Shows {@code g} streaming in; {@code live}: from its start (see {@link ReplyStream#open}). */
    private void follow(Generation g, boolean live) {
        closeStream();
        ReplyView view = addReply(g.state(), g.startedAt());
        view.leftOut(g.leftOutMessages());
        events.runningChanged(true);
        stream = ReplyStream.open(ui, g, chat, view, this::scrollToEnd, done -> {
            if (stream != null && stream.generation() == g) stream = null;
            count(done.usage());
            showTotal();
            events.runningChanged(false);
            scrollToEnd();
        }, live);
        header.show(conversation);
        scrollToEnd();
    }

    private UserMessageView userMessage(Conversation.Entry e) {
        return new UserMessageView(userName, e, events::edit, step -> events.showVersion(e.id(), step));
    }

    private ReplyView addReply(GenerationState s, Instant at) {
        if (lastReply != null) lastReply.setLast(false);
        lastReply = new ReplyView(s, at, events::retry, events::regenerate, events::showVersion);
        lastReply.setLast(true);
        column.add(lastReply);
        return lastReply;
    }

    private void closeStream() {
        if (stream != null) stream.close();
        stream = null;
    }

    private void count(TokenUsage u) {
        if (u != null) totalTokens += u.totalTokens();
    }

    private void showTotal() {
        tokens.setText(totalTokens == 0 ? "" : NumberFormat.getIntegerInstance(Locale.ROOT).format(totalTokens) + " tokens");
    }

    private void scrollToEnd() {
        scroller.getElement().executeJs("const s = this; if (s.__sbStick !== false)"
                + " requestAnimationFrame(() => { s.scrollTop = s.scrollHeight; });");
    }

    private boolean isShown(String conversationId) {
        return conversation != null && conversation.id().equals(conversationId);
    }

    /** Runs at once when already on this tab's UI thread (the tab that sent), else queued through access. */
    private void onUi(Command c) {
        UI ui = this.ui;
        if (ui == null) return;
        if (UI.getCurrent() == ui && ui.getSession() != null && ui.getSession().hasLock()) {
            c.execute();
            return;
        }
        try {
            ui.access(c);
        } catch (UIDetachedException gone) {
            // the tab went away; its detach unsubscribes
        }
    }
}
