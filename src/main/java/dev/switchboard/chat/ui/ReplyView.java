package dev.switchboard.chat.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.messages.MessageList;
import com.vaadin.flow.component.messages.MessageListItem;
import dev.switchboard.chat.GenerationState;
import dev.switchboard.chat.GenerationStatus;
import dev.switchboard.llm.StreamEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
    private GenerationState state;
    private boolean last;

    /** {@code at}: when the reply was asked for, shown with it. */
    ReplyView(GenerationState initial, Instant at, Runnable onRetry) {
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
        Div footer = new Div(meta, failover, retry);
        footer.addClassNames("sb-message-footer", "sb-reply-footer");
        footer.getElement().insertChild(0, ReadingAids.copyButton());
        add(bubble, typing, error, footer);
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
        getElement().setAttribute("status", state.status().label());
    }
}
