package dev.switchboard.chat.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import dev.switchboard.chat.Generation;
import dev.switchboard.chat.GenerationEvent;
import dev.switchboard.chat.GenerationState;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/**
 * One tab's view of one running generation, with coalesced push. Events arrive on the generation's thread;
 * they are only buffered here. The first token and the end are flushed at once, everything else at most every
 * {@link PushScheduler#COALESCE}, each flush being a single {@code ui.access} from the scheduler thread.
 */
final class ReplyStream implements Consumer<GenerationEvent> {
    private final UI ui;
    private final Generation generation;
    private final PushScheduler scheduler;
    private final ReplyView view;
    private final Runnable afterFlush;
    private final Consumer<GenerationState> onFinished;

    // Guarded by this.
    // Events in order; a run of deltas is one StringBuilder, so a burst costs no copying.
    private final List<Object> pending = new ArrayList<>();
    private ScheduledFuture<?> scheduled;
    private boolean scheduledNow;
    private boolean sawDelta;
    private boolean closed;

    private ReplyStream(UI ui, Generation generation, PushScheduler scheduler, ReplyView view,
                        Runnable afterFlush, Consumer<GenerationState> onFinished) {
        this.ui = ui;
        this.generation = generation;
        this.scheduler = scheduler;
        this.view = view;
        this.afterFlush = afterFlush;
        this.onFinished = onFinished;
    }

    /**
     * Subscribes on the UI thread and renders where the reply stands; later events stream into {@code view}.
     * {@code afterFlush} runs on the UI thread after each batch was applied; {@code onFinished} once the reply
     * has ended (at once if it already has).
     */
    static ReplyStream open(UI ui, Generation g, PushScheduler scheduler, ReplyView view, Runnable afterFlush,
                            Consumer<GenerationState> onFinished) {
        ReplyStream s = new ReplyStream(ui, g, scheduler, view, afterFlush, onFinished);
        // No flush can run before this returns: flushes need the UI lock, which the caller holds.
        GenerationState from = g.subscribe(s);
        view.render(from);
        if (!from.running()) onFinished.accept(from);
        return s;
    }

    /** Stops listening (tab closed or another conversation shown); the generation itself goes on. */
    void close() {
        synchronized (this) {
            closed = true;
            pending.clear();
            if (scheduled != null) scheduled.cancel(false);
            scheduled = null;
        }
        generation.unsubscribe(this);
    }

    Generation generation() { return generation; }

    /** On the generation's thread: buffer and maybe schedule, never block. */
    @Override
    public synchronized void accept(GenerationEvent e) {
        if (closed || e instanceof GenerationEvent.CaughtUp) return; // the UI batches on its own 50 ms clock
        if (e instanceof GenerationEvent.Delta d) {
            if (!pending.isEmpty() && pending.get(pending.size() - 1) instanceof StringBuilder run) run.append(d.text());
            else pending.add(new StringBuilder(d.text()));
        } else {
            pending.add(e);
        }
        boolean urgent = e instanceof GenerationEvent.Finished || (e instanceof GenerationEvent.Delta && !sawDelta);
        if (e instanceof GenerationEvent.Delta) sawDelta = true;
        if (urgent && !scheduledNow) {
            if (scheduled != null) scheduled.cancel(false);
            scheduled = scheduler.now(this::flush);
            scheduledNow = true;
        } else if (scheduled == null) {
            scheduled = scheduler.later(this::flush);
        }
    }

    /** On the scheduler thread: hand the batch to the UI in one access. */
    private void flush() {
        List<GenerationEvent> batch;
        synchronized (this) {
            scheduled = null;
            scheduledNow = false;
            if (closed || pending.isEmpty()) return;
            batch = new ArrayList<>(pending.size());
            for (Object o : pending) {
                batch.add(o instanceof StringBuilder run ? new GenerationEvent.Delta(run.toString()) : (GenerationEvent) o);
            }
            pending.clear();
        }
        try {
            ui.access(() -> apply(batch));
        } catch (UIDetachedException gone) {
            close();
        }
    }

    private void apply(List<GenerationEvent> batch) {
        synchronized (this) {
            if (closed) return;
        }
        GenerationState end = null;
        for (GenerationEvent e : batch) {
            view.apply(e);
            if (e instanceof GenerationEvent.Finished f) end = f.state();
        }
        afterFlush.run();
        if (end != null) onFinished.accept(end);
    }
}
