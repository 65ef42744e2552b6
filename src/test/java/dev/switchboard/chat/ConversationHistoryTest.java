package dev.switchboard.chat;

import dev.switchboard.config.Database;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The stored history: retention, deleting a user's all, and (measured, not asserted) how it copes with volume. */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:history-${random.uuid};DB_CLOSE_DELAY=-1;QUERY_CACHE_SIZE=64",
        "switchboard.admin-password=Admin-password-1",
        "switchboard.retention.conversations=90d"})
@DirtiesContext
class ConversationHistoryTest {
    @Autowired ConversationHistory history;
    @Autowired ConversationStore store;
    @Autowired JdbcClient jdbc;
    @Autowired Database database;
    private ConversationFixtures fixtures;

    @BeforeEach
    void clean() {
        jdbc.sql("DELETE FROM conversations").update();
        fixtures = new ConversationFixtures(store);
    }

    @Test
    void retentionDeletesConversationsUnchangedForLongerThanTheSetting() {
        Instant now = Instant.now();
        fixtures.conversation("erin", "Ancient", now.minus(Duration.ofDays(120)), "old");
        fixtures.conversation("frank", "Also ancient", now.minus(Duration.ofDays(91)), "old");
        fixtures.conversation("erin", "Recent", now.minus(Duration.ofDays(10)), "new");

        history.applyRetention();

        assertThat(history.page("erin", "", 0, 10)).extracting(ConversationSummary::title).containsExactly("Recent");
        assertThat(history.page("frank", "", 0, 10)).isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM messages").query(Long.class).single()).as("their messages too").isEqualTo(2);
    }

    @Test
    void deletingAllOfOneUsersConversationsLeavesOthersAlone() {
        fixtures.conversation("erin", "A", Instant.now(), "a");
        fixtures.conversation("erin", "B", Instant.now(), "b");
        fixtures.conversation("frank", "C", Instant.now(), "c");

        assertThat(history.deleteAll("erin")).isEqualTo(2);
        assertThat(history.page("erin", "", 0, 10)).isEmpty();
        assertThat(history.page("frank", "", 0, 10)).hasSize(1);
    }

    @Test
    void searchFindsMessagesByTheBeginningsOfTheirWordsAndOlderConversationsToo() {
        Instant now = Instant.now();
        String rust = fixtures.conversation("ivy", "First chat", now, "How do I borrow in Rust?");
        fixtures.conversation("ivy", "Second chat", now, "Bake bread");
        assertThat(history.page("ivy", "borr rus", 0, 10)).extracting(ConversationSummary::id).containsExactly(rust);
        assertThat(history.page("ivy", "answer BREAD", 0, 10)).extracting(ConversationSummary::title).containsExactly("Second chat");
        assertThat(history.page("ivy", "rust bread", 0, 10)).as("every word must match").isEmpty();
        assertThat(history.page("ivy", "chat", 0, 10)).as("titles").hasSize(2);

        // A conversation stored before the index: found by its text until the backfill indexes it, then by the index.
        String old = fixtures.conversation("ivy", "Old one", now, "legacy zebra question");
        jdbc.sql("DELETE FROM message_terms WHERE conversation_id = ?").param(old).update();
        jdbc.sql("UPDATE conversations SET terms_indexed = FALSE WHERE id = ?").param(old).update();
        assertThat(history.page("ivy", "zebra", 0, 10)).extracting(ConversationSummary::id).containsExactly(old);
        assertThat(store.indexOlder(100)).isEqualTo(1);
        assertThat(history.page("ivy", "zeb", 0, 10)).extracting(ConversationSummary::id).containsExactly(old);
        assertThat(history.page("other", "zebra", 0, 10)).as("another user's").isEmpty();
    }

    /** Prints timings for the volumes (5,000 conversations, many messages, a 1,000-message conversation). */
    @Test
    void volumeIsMeasured() {
        Instant now = Instant.now();
        for (int i = 0; i < 5_000; i++) fixtures.conversation("gina", "Chat " + i, now.minusSeconds(i));
        String big = fixtures.conversation("gina", "Big one", now.minusSeconds(10_000));
        Long parent = null;
        for (int i = 0; i < 500; i++) {
            long q = store.add(big, StoredMessage.user(0, parent, "question " + i + " lorem ipsum dolor sit amet", now));
            parent = fixtures.reply(big, q, "answer " + i + " consectetur adipiscing elit", now);
        }
        // Filler messages (H2's SYSTEM_RANGE or PostgreSQL's generate_series, this test only) spread over 50
        // conversations of another user, and their words in the search index as ConversationStore.add would put them
        // there. -Dsb.searchMessages=1000000 for the million.
        int filler = Integer.getInteger("sb.searchMessages", 200_000);
        for (int i = 0; i < 50; i++) fixtures.conversation("hank", "Hank " + i, now, "x");
        jdbc.sql("CREATE TEMPORARY TABLE hank_chats AS SELECT ROW_NUMBER() OVER (ORDER BY id) - 1 AS n, id"
                + " FROM conversations WHERE username = 'hank'").update();
        jdbc.sql("INSERT INTO messages (conversation_id, role, content, status, created_at)"
                + " SELECT (SELECT id FROM hank_chats WHERE n = MOD(X, 50)), 'USER',"
                + " CONCAT('filler message number ', X, ' with some words to search through'), 'COMPLETED', CURRENT_TIMESTAMP"
                + " FROM " + numbers()).param(filler).update();
        jdbc.sql("INSERT INTO message_terms (username, term, conversation_id)"
                + " SELECT 'hank', CAST(X AS VARCHAR), (SELECT id FROM hank_chats WHERE n = MOD(X, 50)) FROM " + numbers())
                .param(filler).update();
        for (String word : List.of("filler", "message", "number", "with", "some", "words", "to", "search", "through")) {
            jdbc.sql("INSERT INTO message_terms (username, term, conversation_id) SELECT 'hank', ?, id FROM hank_chats"
                    + " WHERE NOT EXISTS (SELECT 1 FROM message_terms t WHERE t.username = 'hank' AND t.term = ?"
                    + " AND t.conversation_id = hank_chats.id)").params(word, word).update();
        }
        long messages = jdbc.sql("SELECT COUNT(*) FROM messages").query(Long.class).single();

        for (int round = 0; round < 3; round++) { // the last round counts: the first ones warm the JIT and caches
            long t0 = System.nanoTime();
            assertThat(history.page("gina", "", 0, 51)).hasSize(51);
            long list = System.nanoTime() - t0;
            t0 = System.nanoTime();
            history.page("gina", "question 499", 0, 51);
            long searchOwn = System.nanoTime() - t0;
            t0 = System.nanoTime();
            List<ConversationSummary> found = history.page("hank", "number " + (filler - 1), 0, 51);
            long searchMany = System.nanoTime() - t0;
            assertThat(found).extracting(ConversationSummary::id).containsExactly(jdbc.sql("SELECT id FROM hank_chats WHERE n = ?")
                    .param((filler - 1) % 50).query(String.class).single());
            t0 = System.nanoTime();
            assertThat(history.find("gina", big).orElseThrow().messages()).hasSize(1_000);
            long open = System.nanoTime() - t0;
            if (round == 2) {
                System.out.printf("[measure] first page of 5,000 conversations: %d ms; search over a user's 5,000"
                                + " conversations / 1,000 messages: %d ms; search over %,d stored messages (%,d of"
                                + " that user): %d ms; open a 1,000-message conversation: %d ms%n",
                        list / 1_000_000, searchOwn / 1_000_000, messages, filler, searchMany / 1_000_000, open / 1_000_000);
            }
        }
    }

    /** 1..? as column X. */
    private String numbers() {
        return database == Database.POSTGRESQL ? "generate_series(1, ?) AS r(x)" : "SYSTEM_RANGE(1, ?)";
    }
}
