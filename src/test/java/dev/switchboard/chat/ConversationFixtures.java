package dev.switchboard.chat;

import dev.switchboard.llm.TokenUsage;

import java.time.Instant;

/** Stored conversations for tests, written straight into the store as the chat would. */
public final class ConversationFixtures {
    private final ConversationStore store;

    public ConversationFixtures(ConversationStore store) {
        this.store = store;
    }

    /** A conversation of {@code user} with one turn per question (each answered "Answer to: ..."), changed at {@code at}. */
    public String conversation(String user, String title, Instant at, String... questions) {
        String id = java.util.UUID.randomUUID().toString();
        store.create(id, user, title, "gpt-5.5", null, at);
        Long parent = null;
        for (String q : questions) {
            long question = store.add(id, StoredMessage.user(0, parent, q, at));
            parent = reply(id, question, "Answer to: " + q, at);
        }
        return id;
    }

    /** Adds a reply after message {@code parent} (another version when it already has one); returns its id. */
    public long reply(String conversationId, long parent, String text, Instant at) {
        GenerationState s = new GenerationState("g-" + parent + "-" + text.hashCode(), text, "mock", "gpt-5.5", false,
                GenerationStatus.COMPLETED, null, java.util.List.of(), new TokenUsage(10, 5, false));
        return store.add(conversationId, StoredMessage.reply(0, parent, s, "gpt-5.5", at));
    }
}
