package dev.switchboard.chat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * The conversations open anywhere on this instance, one object each, so every tab and session of a user that shows
 * one sees the same running generation. Held weakly: a conversation no tab shows and no generation runs in is let
 * go, and is loaded from the store again when next opened.
 */
@Component
public class LiveConversations {
    private final Cache<String, Conversation> live = Caffeine.newBuilder().weakValues().build();
    private final ConversationStore store;

    LiveConversations(ConversationStore store) {
        this.store = store;
    }

    /** A new conversation of {@code user}: stored with its first message. */
    Conversation create(String user) {
        Conversation c = new Conversation(user);
        live.put(c.id(), c);
        return c;
    }

    /** The user's conversation {@code id}; empty for another user's, a deleted one, or no such id. */
    public Optional<Conversation> open(String user, String id) {
        if (id == null || user == null) return Optional.empty();
        Conversation c = live.get(id, k -> store.find(user, k).map(Conversation::new).orElse(null));
        return c != null && c.user().equals(user) ? Optional.of(c) : Optional.empty();
    }

    Optional<Conversation> ifOpen(String id) {
        return Optional.ofNullable(live.getIfPresent(id));
    }

    /** Lets go of a deleted conversation; its running reply, if any, is stopped. */
    void forget(String id) {
        Conversation c = live.getIfPresent(id);
        live.invalidate(id);
        if (c == null) return;
        c.markDeleted();
        Generation g = c.running();
        if (g != null) g.stop();
    }
}
