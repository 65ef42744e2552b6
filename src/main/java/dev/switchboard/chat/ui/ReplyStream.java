package dev.switchboard.chat.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import dev.switchboard.chat.ChatService;
import dev.switchboard.chat.Coalescer;
import dev.switchboard.chat.Generation;
import dev.switchboard.chat.GenerationState;
import dev.switchboard.llm.StreamEvent;

import java.util.List;
import java.util.function.Consumer;

/**
 * One tab's view of one running generation: its events, batched by a {@link Coalescer}, are applied to the view in
 * one {@code ui.access} per batch (the first token and the end at once, the rest at most every 50 ms).
 */
final class ReplyStream {
    private final UI ui;
    private final Generation generation;
    private final ReplyView view;
    private final Runnable afterFlush;
    private final Consumer<GenerationState> onFinished;
    private final Coalescer coalescer;
    private final ChatService chat;
    private volatile boolean closed;
    /** Whether this tab waits for the first token (then the time until it shows it is measured); UI thread only. */
    private boolean awaitingFirstToken;

    private ReplyStream(UI ui, Generation generation, ChatService chat, ReplyView view, Runnable afterFlush,
                        Consumer<GenerationState> onFinished) {
        this.ui = ui;
        this.generation = generation;
        this.view = view;
        this.afterFlush = afterFlush;
        this.onFinished = onFinished;
        this.chat = chat;
        this.coalescer = chat.coalescer(this::push);
    }

    /**
     * Subscribes on the UI thread and renders where the reply stands; later events stream into {@code view}.
     * {@code afterFlush} runs on the UI thread after each batch was applied; {@code onFinished} once the reply
     * has ended (at once if it already has). {@code live}: the tab follows the reply from its start (it was told the
     * generation started), so the time from its first token to this tab showing it is measured; a tab that opens a
     * reply already under way is not asked.
     */
    static ReplyStream open(UI ui, Generation g, ChatService chat, ReplyView view, Runnable afterFlush,
                            Consumer<GenerationState> onFinished, boolean live) {
        ReplyStream s = new ReplyStream(ui, g, chat, view, afterFlush, onFinished);
        // No batch can be applied before this returns: applying needs the UI lock, which the caller holds.
        GenerationState from = g.subscribe(s.coalescer);
        view.render(from);
        if (live && !from.text().isEmpty()) {
            chat.firstTokenShown(g); // a fast upstream's first token is in already: it leaves with this render
        } else {
            s.awaitingFirstToken = live && from.running();
        }
        if (!from.running()) onFinished.accept(from);
        return s;
    }

    /** Stops listening (tab closed or another conversation shown); the generation itself goes on. */
    void close() {
        closed = true;
        coalescer.close();
        generation.unsubscribe(coalescer);
    }

    Generation generation() { return generation; }

    /** Hands a batch to the tab: access() only queues it when another thread holds the session. */
    private void push(List<StreamEvent> batch) {
        try {
            ui.access(() -> apply(batch));
        } catch (UIDetachedException gone) {
            closed = true; // the tab went away; its detach unsubscribes
        }
    }

    private void apply(List<StreamEvent> batch) {
        if (closed) return;
        boolean ended = false;
        boolean content = false;
        for (StreamEvent e : batch) {
            if (e instanceof StreamEvent.Finished) {
                view.render(generation.state());
                ended = true;
            } else {
                view.apply(e);
                content |= e instanceof StreamEvent.Delta || e instanceof StreamEvent.ToolCallDelta;
            }
        }
        afterFlush.run();
        if (content && awaitingFirstToken) {
            awaitingFirstToken = false;
            chat.firstTokenShown(generation); // the push with it leaves as this task ends
        }
        if (ended) onFinished.accept(generation.state());
    }
}
