package dev.switchboard.chat;

import com.vaadin.flow.spring.annotation.VaadinSessionScope;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The conversations open in one browser session, most recently opened first: what the session keeps live (the store
 * has the history). Session-scoped so that every tab of the session shares them and their running generations. When
 * the session ends (logout, timeout) its generations go on, and their replies are stored.
 */
@Component
@VaadinSessionScope
public class Conversations {
    /** How many conversations a session holds on to; older ones are loaded from the store again when opened. */
    static final int KEEP_OPEN = 20;
    private final LiveConversations live;
    private final List<Conversation> open = new ArrayList<>();

    Conversations(LiveConversations live) {
        this.live = live;
    }

    /** Creates a conversation, or returns the one still empty ("New chat" twice makes one, and a session at most one). */
    public synchronized Conversation create(String user) {
        for (Conversation draft : drafts()) {
            open.remove(draft);
            open.add(0, draft);
            return draft;
        }
        Conversation c = live.create(user);
        open.add(0, c);
        return c;
    }

    /** The new conversations of this session that have no message yet (the sidebar shows them above the stored ones). */
    public synchronized List<Conversation> drafts() {
        return open.stream().filter(c -> !c.stored() && c.isEmpty()).toList();
    }

    /** The user's conversation {@code id}, from this session or the store; empty if it is not theirs or gone. */
    public synchronized Optional<Conversation> find(String user, String id) {
        open.removeIf(Conversation::deleted);
        Optional<Conversation> c = open.stream().filter(o -> o.id().equals(id) && o.user().equals(user)).findFirst();
        if (c.isPresent()) return c;
        c = live.open(user, id);
        c.ifPresent(found -> {
            open.add(0, found);
            // Only the recent ones stay referenced from here (a running reply keeps its own conversation alive).
            while (open.size() > KEEP_OPEN) open.remove(open.size() - 1);
        });
        return c;
    }

    /** The conversation opened last in this session, or a new one. */
    public synchronized Conversation current(String user) {
        open.removeIf(Conversation::deleted);
        return open.isEmpty() ? create(user) : open.get(0);
    }

    /** Lets go of a deleted conversation in this session. */
    public synchronized void close(String id) {
        open.removeIf(c -> c.id().equals(id));
    }

    /** True while a reply streams in conversation {@code id} (in any session of this instance). */
    public boolean running(String id) {
        return live.ifOpen(id).map(c -> c.running() != null).orElse(false);
    }
}
