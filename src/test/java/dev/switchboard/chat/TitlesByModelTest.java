package dev.switchboard.chat;

import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.testsupport.MockUpstream;
import dev.switchboard.usage.JdbcUsageRecorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code switchboard.titles.by-model=true} the model names a conversation after its first reply: plain text,
 * its tokens accounted; a conversation the user renamed first keeps the user's title.
 */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:model-titles-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Titles-admin-password-1",
        "switchboard.titles.by-model=true"})
class TitlesByModelTest {
    /** Every call gets this answer: the reply, and the title asked for after it. */
    static final OfflineModelServer upstream = OfflineModelServer.start(0, Behavior.fast().withReplyText("\"Borrowing in **Rust**.\""));

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        MockUpstream.register(r, 0, "mock", upstream);
    }

    @AfterAll
    static void stop() { upstream.close(); }

    @Autowired ChatService chat;
    @Autowired LiveConversations live;
    @Autowired ConversationHistory history;
    @Autowired JdbcUsageRecorder usage;
    @Autowired JdbcClient jdbc;

    private String title(String user, String id) {
        return history.find(user, id).orElseThrow().summary().title();
    }

    @Test
    void theModelNamesAConversationAfterItsFirstReply() {
        Conversation c = live.create("tina");
        chat.send(c, "tina", null, "How do I *borrow* a value twice in Rust without the compiler complaining?");
        await().atMost(Duration.ofSeconds(20)).until(() -> title("tina", c.id()).equals("Borrowing in Rust"));
        assertThat(c.title()).isEqualTo("Borrowing in Rust");

        usage.flush();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM usage_records WHERE username = 'tina' AND source = 'title'"
                + " AND status = 'completed'").query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aTitleTheUserGaveFirstIsKept() {
        Conversation c = live.create("uma");
        Generation g = chat.send(c, "uma", null, "Plan my week");
        history.rename("uma", c.id(), "My week");
        g.ended().join();
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(title("uma", c.id())).isEqualTo("My week");
    }
}
