package dev.switchboard.chat;

import dev.switchboard.llm.ChatMessage;
import dev.switchboard.llm.TokenUsage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
                usage, rs.getString("generation_id"), instant(rs.getObject("created_at", OffsetDateTime.class)),
                rs.getInt("left_out"));
    };

    /** The most words of one message kept for search (a reply of a book's length is found by its first ones). */
    private static final int MAX_TERMS = 2_000;
    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    public ConversationStore(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    void create(String id, String user, String title, String model, String systemPrompt, Instant at) {
        jdbc.sql("INSERT INTO conversations (id, username, title, model, system_prompt, pinned, created_at, updated_at,"
                        + " terms_indexed) VALUES (?, ?, ?, ?, ?, FALSE, ?, ?, TRUE)")
                .params(id, user, title, model, blankToNull(systemPrompt), time(at), time(at)).update();
    }

    /** Stores a message and marks its conversation as changed now; returns the message's id. */
    @Transactional
    long add(String conversationId, StoredMessage m) {
        KeyHolder key = new GeneratedKeyHolder();
        TokenUsage u = m.usage();
        jdbc.sql("INSERT INTO messages (conversation_id, parent_id, role, content, model, upstream, status, error,"
                        + " prompt_tokens, completion_tokens, estimated, generation_id, created_at, left_out)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(conversationId, m.parentId(), m.role().name(), m.content(), m.model(), m.upstream(),
                        m.status().name(), clip(m.error(), 500), u == null ? null : u.promptTokens(),
                        u == null ? null : u.completionTokens(), u == null ? null : u.estimated(), m.generationId(),
                        time(m.createdAt()), m.leftOut())
                .update(key, "id");
        jdbc.sql("UPDATE conversations SET updated_at = ? WHERE id = ?").params(time(m.createdAt()), conversationId).update();
        jdbc.sql("SELECT username FROM conversations WHERE id = ?").param(conversationId).query(String.class).optional()
                .ifPresent(user -> index(user, conversationId, SearchTerms.of(m.content())));
        return key.getKeyAs(Number.class).longValue();
    }

    /** Adds the words of a conversation's message that it did not have yet to the search index. */
    private void index(String user, String conversationId, Set<String> terms) {
        if (terms.isEmpty()) return;
        List<String> words = terms.stream().limit(MAX_TERMS).toList();
        Set<String> known = new HashSet<>(jdbc.sql("SELECT term FROM message_terms WHERE username = :user"
                        + " AND conversation_id = :id AND term IN (:terms)")
                .param("user", user).param("id", conversationId).param("terms", words).query(String.class).list());
        List<Object[]> fresh = words.stream().filter(t -> !known.contains(t))
                .map(t -> new Object[] {user, t, conversationId}).toList();
        if (!fresh.isEmpty()) {
            batch.batchUpdate("INSERT INTO message_terms (username, term, conversation_id) VALUES (?, ?, ?)", fresh);
        }
    }

    /**
     * Indexes up to {@code limit} conversations stored before the search index existed; returns how many it did
     * (0: all are indexed).
     */
    @Transactional
    public int indexOlder(int limit) {
        List<String[]> older = jdbc.sql("SELECT id, username FROM conversations WHERE terms_indexed = FALSE"
                        + " FETCH FIRST ? ROWS ONLY").param(limit)
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).list();
        for (String[] c : older) {
            Set<String> terms = new LinkedHashSet<>();
            jdbc.sql("SELECT content FROM messages WHERE conversation_id = ?").param(c[0]).query(String.class).list()
                    .forEach(text -> terms.addAll(SearchTerms.of(text)));
            batch.batchUpdate("INSERT INTO message_terms (username, term, conversation_id) VALUES (?, ?, ?)",
                    terms.stream().map(t -> new Object[] {c[1], t, c[0]}).toList());
            jdbc.sql("UPDATE conversations SET terms_indexed = TRUE WHERE id = ?").param(c[0]).update();
        }
        return older.size();
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
        // Messages: every word of the query begins a word of the conversation's (the index), or, for a conversation
        // not indexed yet, its text holds the query.
        List<String> words = SearchTerms.of(q).stream().limit(8).toList();
        StringBuilder sql = new StringBuilder("SELECT " + SUMMARY_COLUMNS + " FROM conversations c WHERE c.username = ?"
                + " AND (LOWER(c.title) LIKE ? ESCAPE '\\'"
                + " OR (c.terms_indexed = FALSE AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id"
                + " AND LOWER(m.content) LIKE ? ESCAPE '\\'))");
        List<Object> params = new ArrayList<>(List.of(user, like, like));
        if (!words.isEmpty()) {
            sql.append(" OR (");
            for (int i = 0; i < words.size(); i++) {
                if (i > 0) sql.append(" AND ");
                sql.append("EXISTS (SELECT 1 FROM message_terms t WHERE t.conversation_id = c.id AND t.term LIKE ? ESCAPE '\\')");
                params.add(words.get(i).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            }
            sql.append(")");
        }
        sql.append(")").append(order);
        params.add(offset);
        params.add(limit);
        return jdbc.sql(sql.toString()).params(params).query(SUMMARY).list();
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
