package dev.switchboard.chat;

import com.vaadin.flow.spring.annotation.VaadinSessionScope;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The conversations of one browser session, newest first. Session-scoped so that every tab of the session
 * shares them (and their running generations); they end with the session.
 */
@Component
@VaadinSessionScope
public class Conversations {
    private final List<Conversation> list = new ArrayList<>();

    /** Creates a conversation, or returns the newest one if it is still empty ("New chat" twice makes one). */
    public synchronized Conversation create() {
        if (!list.isEmpty() && list.get(0).isEmpty()) return list.get(0);
        Conversation c = new Conversation();
        list.add(0, c);
        return c;
    }

    public synchronized List<Conversation> all() {
        return List.copyOf(list);
    }

    public synchronized Optional<Conversation> find(String id) {
        return list.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** The newest conversation, created if there is none. */
    public synchronized Conversation current() {
        return list.isEmpty() ? create() : list.get(0);
    }

    /** Stops what still runs when the session ends: nobody can see or stop it after that. */
    @jakarta.annotation.PreDestroy
    public synchronized void stopAll() {
        new ArrayList<>(list).forEach(c -> {
            Generation g = c.running();
            if (g != null) g.stop();
        });
    }
}
