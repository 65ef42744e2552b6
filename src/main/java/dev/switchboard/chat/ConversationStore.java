package dev.switchboard.chat;

import dev.switchboard.llm.ChatMessage;
import dev.switchboard.llm.TokenUsage;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The conversations and messages tables. Every query names the owner: another user's conversation is simply not
 * found. Plain SQL that runs on H2 and PostgreSQL.
 */
@Repository
public class ConversationStore {
    private static final String SUMMARY_COLUMNS = "id, title, pinned, model, created_at, updated_at";
    private static final RowMapper<ConversationSummary> SUMMARY = (rs, n) -> new ConversationSummary(
            rs.getString("id"), rs.getString("title"), rs.getBoolean("pinned"), rs.getString("model"),
            instant(rs.getObject("created_at", OffsetDateTime.class)), instant(rs.getObject("updated_at", OffsetDateTime.class)));
    private static final RowMapper<StoredMessage> MESSAGE = (rs, n) -> {
        Long prompt = rs.getObject("prompt_tokens", Long.class);
        Long completion = rs.getObject("completion_tokens", Long.class);
        TokenUsage usage = prompt == null || completion == null ? null
                : new TokenUsage(prompt, completion, Boolean.TRUE.equals(rs.getObject("estimated", Boolean.class)));
        return new StoredMessage(rs.getLong("id"), rs.getObject("parent_id", Long.class),
                ChatMessage.Role.valueOf(rs.getString("role")), rs.getString("content"), rs.getString("model"),
                rs.getString("upstream"), GenerationStatus.valueOf(rs.getString("status")), rs.getString("error"),
                usage, rs.getString("generation_id"), instant(rs.getObject("created_at", OffsetDateTime.class)));
    };

    private final JdbcClient jdbc;

    public ConversationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void create(String id, String user, String title, String model, String systemPrompt, Instant at) {
        jdbc.sql("INSERT INTO conversations (id, username, title, model, system_prompt, pinned, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, FALSE, ?, ?)")
                .params(id, user, title, model, blankToNull(systemPrompt), time(at), time(at)).update();
    }

    /** Stores a message and marks its conversation as changed now; returns the message's id. */
    @Transactional
    long add(String conversationId, StoredMessage m) {
        KeyHolder key = new GeneratedKeyHolder();
        TokenUsage u = m.usage();
        jdbc.sql("INSERT INTO messages (conversation_id, parent_id, role, content, model, upstream, status, error,"
                        + " prompt_tokens, completion_tokens, estimated, generation_id, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(conversationId, m.parentId(), m.role().name(), m.content(), m.model(), m.upstream(),
                        m.status().name(), clip(m.error(), 500), u == null ? null : u.promptTokens(),
                        u == null ? null : u.completionTokens(), u == null ? null : u.estimated(), m.generationId(),
                        time(m.createdAt()))
                .update(key, "id");
        jdbc.sql("UPDATE conversations SET updated_at = ? WHERE id = ?").params(time(m.createdAt()), conversationId).update();
        return key.getKeyAs(Number.class).longValue();
    }

    /** One page of the user's conversations, pinned first, then newest first; {@code query} searches titles and messages. */
    public List<ConversationSummary> page(String user, String query, int offset, int limit) {
        String q = query == null ? "" : query.strip();
        String order = " ORDER BY pinned DESC, updated_at DESC, id DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY";
        if (q.isEmpty()) {
            return jdbc.sql("SELECT " + SUMMARY_COLUMNS + " FROM conversations WHERE username = ?" + order)
                    .params(user, offset, limit).query(SUMMARY).list();
        }
        String like = "%" + q.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return jdbc.sql("SELECT " + SUMMARY_COLUMNS + " FROM conversations c WHERE c.username = ? AND (LOWER(c.title) LIKE ? ESCAPE '\\'"
                        + " OR EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND LOWER(m.content) LIKE ? ESCAPE '\\'))"
                        + order)
                .params(user, like, like, offset, limit).query(SUMMARY).list();
    }

    public Optional<StoredConversation> find(String user, String id) {
        Optional<StoredConversation> c = jdbc.sql("SELECT " + SUMMARY_COLUMNS + ", username, system_prompt FROM conversations"
                        + " WHERE id = ? AND username = ?")
                .params(id, user)
                .query((rs, n) -> new StoredConversation(SUMMARY.mapRow(rs, n), rs.getString("username"),
                        rs.getString("system_prompt"), List.of()))
                .optional();
        return c.map(found -> new StoredConversation(found.summary(), found.username(), found.systemPrompt(),
                jdbc.sql("SELECT * FROM messages WHERE conversation_id = ? ORDER BY id").param(id).query(MESSAGE).list()));
    }

    boolean rename(String user, String id, String title) {
        return jdbc.sql("UPDATE conversations SET title = ? WHERE id = ? AND username = ?").params(title, id, user).update() == 1;
    }

    boolean pin(String user, String id, boolean pinned) {
        return jdbc.sql("UPDATE conversations SET pinned = ? WHERE id = ? AND username = ?").params(pinned, id, user).update() == 1;
    }

    void setModel(String id, String model) {
        jdbc.sql("UPDATE conversations SET model = ? WHERE id = ?").params(model, id).update();
    }

    void setSystemPrompt(String id, String prompt) {
        jdbc.sql("UPDATE conversations SET system_prompt = ? WHERE id = ?").params(blankToNull(prompt), id).update();
    }

    @Transactional
    boolean delete(String user, String id) {
        return jdbc.sql("DELETE FROM conversations WHERE id = ? AND username = ?").params(id, user).update() == 1;
    }

    /** The ids of the user's conversations (to let go of the live ones), then deletes them all. */
    @Transactional
    List<String> deleteAll(String user) {
        List<String> ids = jdbc.sql("SELECT id FROM conversations WHERE username = ?").param(user).query(String.class).list();
        jdbc.sql("DELETE FROM conversations WHERE username = ?").param(user).update();
        return ids;
    }

    /** Deletes every conversation last changed before {@code cutoff}; returns their ids. */
    @Transactional
    List<String> deleteOlderThan(Instant cutoff) {
        List<String> ids = jdbc.sql("SELECT id FROM conversations WHERE updated_at < ?").param(time(cutoff)).query(String.class).list();
        jdbc.sql("DELETE FROM conversations WHERE updated_at < ?").param(time(cutoff)).update();
        return ids;
    }

    private static OffsetDateTime time(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
