package dev.switchboard.chat;

import dev.switchboard.config.SwitchboardProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A user's stored conversations: list and search, rename, pin, delete, export, a conversation's own system prompt;
 * and the admin's retention. Every method takes the user and finds only their own conversations.
 */
@Service
public class ConversationHistory {
    private static final Logger log = LoggerFactory.getLogger(ConversationHistory.class);
    public static final int MAX_TITLE = 200;
    public static final int MAX_SYSTEM_PROMPT = 20_000;

    private final ConversationStore store;
    private final LiveConversations live;
    private final SwitchboardProperties props;
    private final Clock clock = Clock.systemUTC();

    ConversationHistory(ConversationStore store, LiveConversations live, SwitchboardProperties props) {
        this.store = store;
        this.live = live;
        this.props = props;
    }

    /** Pinned first, then newest first; {@code query} (blank for all) matches titles and message text. */
    public List<ConversationSummary> page(String user, String query, int offset, int limit) {
        return store.page(user, query, Math.max(0, offset), Math.max(1, Math.min(limit, 500)));
    }

    public Optional<StoredConversation> find(String user, String id) {
        return store.find(user, id);
    }

    /** Renames the conversation (a blank title becomes "New chat"); false when it is not the user's. */
    public boolean rename(String user, String id, String title) {
        String t = Titles.clip(title, MAX_TITLE);
        if (!store.rename(user, id, t)) return false;
        live.ifOpen(id).ifPresent(c -> c.setTitle(t));
        return true;
    }

    public boolean pin(String user, String id, boolean pinned) {
        if (!store.pin(user, id, pinned)) return false;
        live.ifOpen(id).ifPresent(c -> c.setPinned(pinned));
        return true;
    }

    /** Deletes the conversation with all its messages; a reply still running in it is stopped. */
    public boolean delete(String user, String id) {
        if (!store.delete(user, id)) return false;
        live.forget(id);
        return true;
    }

    /** Deletes all of the user's conversations; returns how many. */
    public int deleteAll(String user) {
        List<String> ids = store.deleteAll(user);
        ids.forEach(live::forget);
        return ids.size();
    }

    /** The conversation's own system prompt (blank: the global one applies). */
    public void setSystemPrompt(Conversation c, String prompt) {
        if (prompt != null && prompt.length() > MAX_SYSTEM_PROMPT) {
            throw new IllegalArgumentException("The system prompt is longer than " + MAX_SYSTEM_PROMPT + " characters.");
        }
        c.setSystemPrompt(prompt == null || prompt.isBlank() ? null : prompt);
        if (c.stored()) store.setSystemPrompt(c.id(), prompt);
    }

    /** The model a conversation is remembered with. */
    public void setModel(Conversation c, String model) {
        c.setModel(model);
        if (c.stored()) store.setModel(c.id(), model);
    }

    /** The global system prompt, the default for conversations without their own. */
    public String defaultSystemPrompt() {
        return props.systemPrompt();
    }

    /** Daily: deletes conversations unchanged for longer than {@code switchboard.retention.conversations}, if set. */
    @Scheduled(cron = "${switchboard.retention.cron:0 30 3 * * *}")
    public void applyRetention() {
        Duration keep = props.retention().conversations();
        if (keep == null || keep.isZero() || keep.isNegative()) return;
        List<String> ids = store.deleteOlderThan(clock.instant().minus(keep));
        ids.forEach(live::forget);
        if (!ids.isEmpty()) log.info("Retention: deleted {} conversations unchanged for {}", ids.size(), keep);
    }
}
