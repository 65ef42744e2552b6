package dev.switchboard.chat;

import dev.switchboard.llm.ChatMessage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One conversation of a user's session: its finished entries and at most one running generation.
 * Tabs subscribe to it; the same conversation shown in two tabs shows one generation.
 */
public final class Conversation {
    private static final int TITLE_CHARS = 48;

    /**
     * A finished message. {@code reply} is null for the user's own messages; {@code at} is when it was sent (a reply:
     * when its generation started), shown with the message.
     */
    public record Entry(ChatMessage.Role role, String text, GenerationState reply, Instant at) {
        public static Entry user(String text) { return new Entry(ChatMessage.Role.USER, text, null, Instant.now()); }
    }

    /** What a tab renders: the finished entries and, if one runs, the generation to subscribe to. */
    public record Snapshot(String id, String title, List<Entry> entries, Generation running) {}

    /** Told about changes other than the tokens of a generation (those come from the generation itself). */
    public interface Listener {
        /** The entries changed as a whole (a retry removed a reply): render the snapshot again. */
        void reset(Snapshot snapshot);

        /** A generation started; {@code userEntry} is the message that asked for it (null on a retry). */
        void generationStarted(Entry userEntry, Generation generation);
    }

    private final String id = UUID.randomUUID().toString();
    private final Instant createdAt = Instant.now();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    // Guarded by this.
    private final List<Entry> entries = new ArrayList<>();
    private String title = "New chat";
    private Generation running;

    public String id() { return id; }
    public Instant createdAt() { return createdAt; }
    public synchronized String title() { return title; }

    public synchronized Snapshot subscribe(Listener l) {
        listeners.add(l);
        return snapshot();
    }

    public void unsubscribe(Listener l) { listeners.remove(l); }

    public synchronized Snapshot snapshot() {
        Generation g = running != null && running.state().running() ? running : null;
        return new Snapshot(id, title, List.copyOf(entries), g);
    }

    public synchronized Generation running() {
        return running != null && running.state().running() ? running : null;
    }

    public synchronized boolean isEmpty() { return entries.isEmpty() && running == null; }

    /** Adds the user's message, in turn, and returns the history to send (without the system prompt). */
    synchronized List<ChatMessage> addUserMessage(Entry entry) {
        if (running() != null) throw new IllegalStateException("A reply is still streaming in this conversation.");
        if (entries.isEmpty()) title = titleFrom(entry.text());
        entries.add(entry);
        return history();
    }

    /** Drops a failed, interrupted or stopped last reply so its turn can be asked again. */
    synchronized List<ChatMessage> prepareRetry() {
        if (running() != null) throw new IllegalStateException("A reply is still streaming in this conversation.");
        if (entries.isEmpty()) throw new IllegalStateException("Nothing to retry.");
        Entry last = entries.get(entries.size() - 1);
        if (last.role() == ChatMessage.Role.ASSISTANT) {
            if (last.reply() != null && last.reply().status() == GenerationStatus.COMPLETED) {
                throw new IllegalStateException("The last reply is complete.");
            }
            entries.remove(entries.size() - 1);
        }
        Snapshot s = snapshot();
        listeners.forEach(l -> l.reset(s));
        return history();
    }

    synchronized void attach(Entry userEntry, Generation g) {
        running = g;
        listeners.forEach(l -> l.generationStarted(userEntry, g));
    }

    /** Folds the finished generation into the entries. */
    synchronized void finished(Generation g) {
        if (running == g) running = null;
        GenerationState s = g.state();
        entries.add(new Entry(ChatMessage.Role.ASSISTANT, s.text(), s, g.startedAt()));
    }

    /** The messages of the finished turns; replies that produced no text are left out. */
    private List<ChatMessage> history() {
        List<ChatMessage> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.role() == ChatMessage.Role.ASSISTANT && e.text().isEmpty()) continue;
            out.add(new ChatMessage(e.role(), e.text()));
        }
        return out;
    }

    private static String titleFrom(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= TITLE_CHARS ? flat : flat.substring(0, TITLE_CHARS - 1) + "…";
    }
}
