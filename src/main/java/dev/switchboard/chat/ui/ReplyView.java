package dev.switchboard.chat.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.messages.MessageList;
import com.vaadin.flow.component.messages.MessageListItem;
import dev.switchboard.chat.Conversation;
import dev.switchboard.chat.GenerationState;
import dev.switchboard.chat.GenerationStatus;
import dev.switchboard.llm.StreamEvent;
import dev.switchboard.ui.LightButton;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

/**
 * One assistant reply: the message, a typing indicator until the first token, and under it the small meta
 * line, a failover note, an error and Retry. Touched on the UI thread only.
 */
final class ReplyView extends Div {
    private final MessageListItem item = Bubble.assistant("");
    private final MessageList bubble = Bubble.of(item);
    private final Div typing = new Div(new Span(), new Span(), new Span());
    private final Span meta = new Span();
    private final Span failover = new Span();
    private final Div error = new Div();
    private final Button retry;
    private final LightButton regenerate = new LightButton("Regenerate").withIcon("vaadin:refresh").withTheme("tertiary", "small");
    private final VersionSwitch versions;
    private final Span contextNote = new Span();
    private GenerationState state;
    private boolean last;
    private long messageId;

    /**
     * @param at           when the reply was asked for, shown with it
     * @param onRegenerate gets the stored reply's id; {@code onVersion} the reply's id and -1 or +1
     */
    ReplyView(GenerationState initial, Instant at, Runnable onRetry, LongConsumer onRegenerate,
              BiConsumer<Long, Integer> onVersion) {
        addClassNames("sb-message", "sb-reply");
        item.setTime(at);
        typing.addClassName("sb-typing");
        typing.getElement().setAttribute("title", "Thinking…");
        typing.getElement().setAttribute("aria-label", "Thinking");
        meta.addClassName("sb-meta");
        failover.addClassName("sb-failover");
        error.addClassName("sb-error");
        error.getElement().setAttribute("role", "alert");
        retry = new Button("Retry", VaadinIcon.REFRESH.create(), e -> onRetry.run());
        retry.addThemeVariants(ButtonVariant.LUMO_SMALL);
        retry.addClassName("sb-retry");
        regenerate.addClassName("sb-regenerate");
        regenerate.onClick(() -> onRegenerate.accept(messageId));
        versions = new VersionSwitch(step -> onVersion.accept(messageId, step));
        contextNote.addClassName("sb-context-note");
        contextNote.setVisible(false);
        Div footer = new Div(meta, failover, retry, regenerate, versions);
        footer.addClassNames("sb-message-footer", "sb-reply-footer");
        footer.getElement().insertChild(0, ReadingAids.copyButton());
        add(contextNote, bubble, typing, error, footer);
        render(initial);
    }

    /** Shows a whole state, text included (a finished entry, or where a running reply stands on subscribe). */
    void render(GenerationState s) {
        state = s;
        if (!s.text().equals(item.getText())) item.setText(s.text());
        refresh();
    }

    /**
     * Applies one event in order (the end is rendered from the final state instead); the state's text is not kept
     * current while streaming (the item has it).
     */
    void apply(StreamEvent e) {
        GenerationState s = state;
        if (e instanceof StreamEvent.Delta d) {
            item.appendText(d.text());
        } else if (e instanceof StreamEvent.Started st) {
            state = new GenerationState(s.id(), s.text(), st.upstream(), st.model(), st.offline(), s.status(),
                    s.error(), s.failovers(), s.usage());
        } else if (e instanceof StreamEvent.Failover f) {
            List<String> notes = new ArrayList<>(s.failovers());
            notes.add(f.from() + ": " + f.reason());
            state = new GenerationState(s.id(), s.text(), s.upstream(), s.model(), s.offline(), s.status(),
                    s.error(), notes, s.usage());
        } else if (e instanceof StreamEvent.Usage u) {
            state = new GenerationState(s.id(), s.text(), s.upstream(), s.model(), s.offline(), s.status(),
                    s.error(), s.failovers(), u.usage());
        }
        refresh();
    }

    /** Only the last reply of a conversation can be asked again. */
    void setLast(boolean last) {
        this.last = last;
        refresh();
    }

    GenerationState state() { return state; }

    /** The stored reply this view shows (its id and versions): Regenerate and the version switch work from now. */
    void stored(Conversation.Entry entry) {
        messageId = entry.id();
        versions.show(entry.version(), entry.versions());
        refresh();
    }

    long messageId() { return messageId; }

    VersionSwitch versions() { return versions; }

    /** Says that the oldest messages were left out of the request to fit the model's context window. */
    void leftOut(int messages) {
        contextNote.setVisible(messages > 0);
        contextNote.setText(messages == 1 ? "The oldest message was left out to fit the model's context window."
                : "The " + messages + " oldest messages were left out to fit the model's context window.");
    }

    String text() { return item.getText(); }

    private void refresh() {
        boolean empty = item.getText() == null || item.getText().isEmpty();
        bubble.setVisible(!empty);
        typing.setVisible(empty && state.status() == GenerationStatus.RUNNING);
        String line = ReplyMeta.line(state);
        meta.setText(line);
        meta.setVisible(!line.isEmpty());
        String note = ReplyMeta.failover(state);
        failover.setText(note == null ? "" : note);
        failover.setVisible(note != null);
        error.setText(state.error() == null ? "" : state.error());
        error.setVisible(state.error() != null);
        retry.setVisible(last && ReplyMeta.retryable(state.status()));
        regenerate.setVisible(messageId > 0 && state.status() != GenerationStatus.RUNNING && !retry.isVisible());
        getElement().setAttribute("status", state.status().label());
    }
}
