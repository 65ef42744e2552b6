package dev.switchboard.chat;

import dev.switchboard.llm.ChatMessage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One conversation while it is open somewhere: its messages (a tree of every version, loaded from the store), the
 * path shown (which version of each turn), and at most one running generation. Tabs subscribe to it; the same
 * conversation shown in two tabs, or two sessions of its user, shows one generation. The store has the history;
 * this object only what is live.
 */
public final class Conversation {

    /** A message on the shown path. {@code reply} is null for the user's own messages; versions count its siblings. */
    public record Entry(long id, ChatMessage.Role role, String text, GenerationState reply, Instant at,
                        int version, int versions, int leftOut) {
        public boolean isUser() { return reply == null; }
    }

    /** What a tab renders: the entries of the shown path and, if one runs, the generation to subscribe to. */
    public record Snapshot(String id, String title, List<Entry> entries, Generation running, boolean stored) {}

    /** Told about changes other than the tokens of a generation (those come from the generation itself). */
    public interface Listener {
        /** The shown path changed as a whole (another version, a regenerate): render the snapshot again. */
        void reset(Snapshot snapshot);

        /** A generation started; {@code userEntry} is the message that asked for it (null when already shown). */
        void generationStarted(Entry userEntry, Generation generation);

        /** The reply of {@code generationId} was stored as {@code entry} (its id and versions are known now). */
        default void replyStored(String generationId, Entry entry) {}

        /** The title changed by itself (the model named the conversation). */
        default void retitled(String title) {}
    }

    private final String id;
    private final String user;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    // Guarded by this.
    private final Map<Long, StoredMessage> messages = new LinkedHashMap<>();
    private Long leaf;
    private String title = Titles.NEW;
    private String model;
    private String systemPrompt;
    private boolean pinned;
    private boolean stored;
    private boolean deleted;
    private Generation running;

    /** A new, empty conversation; it is stored with its first message. */
    Conversation(String user) {
        this.id = UUID.randomUUID().toString();
        this.user = user;
    }

    /** A stored conversation, shown at its newest message. */
    Conversation(StoredConversation s) {
        this.id = s.id();
        this.user = s.username();
        this.title = s.summary().title();
        this.model = s.summary().model();
        this.pinned = s.summary().pinned();
        this.systemPrompt = s.systemPrompt();
        this.stored = true;
        for (StoredMessage m : s.messages()) messages.put(m.id(), m);
        leaf = messages.isEmpty() ? null : Collections.max(messages.keySet());
    }

    public String id() { return id; }
    public String user() { return user; }
    public synchronized String title() { return title; }
    public synchronized String model() { return model; }
    public synchronized String systemPrompt() { return systemPrompt; }
    public synchronized boolean pinned() { return pinned; }
    public synchronized boolean stored() { return stored; }
    public synchronized boolean deleted() { return deleted; }

    public synchronized Snapshot subscribe(Listener l) {
        listeners.add(l);
        return snapshot();
    }

    public void unsubscribe(Listener l) { listeners.remove(l); }

    /** A generation that has ended but whose reply is not stored yet is still in it, so no tab misses that reply. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(id, title, entries(), running, stored);
    }

    public synchronized Generation running() {
        return running != null && running.state().running() ? running : null;
    }

    public synchronized boolean isEmpty() { return messages.isEmpty() && running == null; }

    /** Shows the previous ({@code step} -1) or next (+1) version of message {@code messageId}, and what follows it. */
    public synchronized void showVersion(long messageId, int step) {
        checkIdle();
        StoredMessage m = messages.get(messageId);
        if (m == null) return;
        List<Long> siblings = children().getOrDefault(key(m.parentId()), List.of());
        int at = siblings.indexOf(messageId) + step;
        if (at < 0 || at >= siblings.size()) return;
        leaf = newestUnder(siblings.get(at), children());
        notifyReset();
    }

    // ---- changes made by ChatService, which stores them first ----

    synchronized void checkIdle() {
        if (running() != null) throw new IllegalStateException("A reply is still streaming in this conversation.");
    }

    synchronized Long leaf() { return leaf; }

    synchronized StoredMessage message(long messageId) {
        StoredMessage m = messages.get(messageId);
        if (m == null) throw new IllegalArgumentException("No such message in this conversation.");
        return m;
    }

    synchronized void markStored(String title, String model) {
        this.stored = true;
        this.title = title;
        this.model = model;
    }

    synchronized void markDeleted() { this.deleted = true; }

    synchronized void setTitle(String title) { this.title = title; }

    /** A title given by the model: set, and every tab told. */
    synchronized void retitled(String title) {
        this.title = title;
        listeners.forEach(l -> l.retitled(title));
    }
    synchronized void setPinned(boolean pinned) { this.pinned = pinned; }
    synchronized void setModel(String model) { this.model = model; }
    synchronized void setSystemPrompt(String prompt) { this.systemPrompt = prompt; }

    /** Adds a stored user message at the end of the shown path; returns its entry. */
    synchronized Entry addUserMessage(StoredMessage m) {
        messages.put(m.id(), m);
        leaf = m.id();
        return entry(m, children());
    }

    /** Adds an edited question (a sibling of the one edited) and shows it: tabs render the new path. */
    synchronized void addVersion(StoredMessage m) {
        messages.put(m.id(), m);
        leaf = m.id();
        notifyReset();
    }

    /** Shows the path up to {@code messageId} (a reply is asked again after it). */
    synchronized void cutAfter(long messageId) {
        leaf = messageId;
        notifyReset();
    }

    synchronized void attach(Entry userEntry, Generation g) {
        running = g;
        listeners.forEach(l -> l.generationStarted(userEntry, g));
    }

    /** Folds the finished generation, stored as {@code reply}, into the messages. */
    synchronized void finished(Generation g, StoredMessage reply) {
        if (running == g) running = null;
        messages.put(reply.id(), reply);
        if (Objects.equals(leaf, reply.parentId())) leaf = reply.id();
        Entry e = entry(reply, children());
        listeners.forEach(l -> l.replyStored(g.id(), e));
    }

    /** The messages of the shown path as sent upstream; replies that produced no text are left out. */
    synchronized List<ChatMessage> history() {
        List<ChatMessage> out = new ArrayList<>();
        for (StoredMessage m : path()) {
            if (m.role() == ChatMessage.Role.ASSISTANT && m.content().isEmpty()) continue;
            out.add(m.asChatMessage());
        }
        return out;
    }

    /** Every message of the shown path, oldest first. */
    synchronized List<StoredMessage> path() {
        List<StoredMessage> out = new ArrayList<>();
        for (Long at = leaf; at != null; ) {
            StoredMessage m = messages.get(at);
            if (m == null) break;
            out.add(m);
            at = m.parentId();
        }
        Collections.reverse(out);
        return out;
    }

    private List<Entry> entries() {
        Map<Long, List<Long>> children = children();
        return path().stream().map(m -> entry(m, children)).toList();
    }

    private static Entry entry(StoredMessage m, Map<Long, List<Long>> children) {
        List<Long> siblings = children.getOrDefault(key(m.parentId()), List.of(m.id()));
        return new Entry(m.id(), m.role(), m.content(), m.role() == ChatMessage.Role.USER ? null : m.asState(),
                m.createdAt(), siblings.indexOf(m.id()) + 1, siblings.size(), m.leftOut());
    }

    /** Message ids by parent (0 for first messages), in the order they were made. */
    private Map<Long, List<Long>> children() {
        Map<Long, List<Long>> out = new HashMap<>();
        for (StoredMessage m : messages.values()) out.computeIfAbsent(key(m.parentId()), k -> new ArrayList<>()).add(m.id());
        return out;
    }

    /** The newest message in the subtree of {@code id}: where the conversation went on after that version. */
    private static long newestUnder(long id, Map<Long, List<Long>> children) {
        long newest = id;
        for (long child : children.getOrDefault(id, List.of())) newest = Math.max(newest, newestUnder(child, children));
        return newest;
    }

    private static long key(Long parentId) { return parentId == null ? 0L : parentId; }

    private void notifyReset() {
        Snapshot s = snapshot();
        listeners.forEach(l -> l.reset(s));
    }
}
