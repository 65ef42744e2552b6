package dev.switchboard.chat;

import dev.switchboard.llm.ChatMessage;
import dev.switchboard.llm.TokenCounter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The oldest turns are left out to fit a model's context window; the system prompt and the newest message stay. */
class ContextWindowTest {
    private static final String MODEL = "gpt-5.5";
    private final List<ChatMessage> conversation = List.of(
            ChatMessage.system("Be brief."),
            ChatMessage.user("first question " + "word ".repeat(100)),
            ChatMessage.assistant("first answer " + "word ".repeat(100)),
            ChatMessage.user("second question"),
            ChatMessage.assistant("second answer"),
            ChatMessage.user("third question"));

    @Test
    void withoutALimitOrWhenItFitsEverythingIsSent() {
        assertThat(ContextWindow.fit(MODEL, null, conversation).messages()).isEqualTo(conversation);
        ContextWindow.Fit fit = ContextWindow.fit(MODEL, 100_000, conversation);
        assertThat(fit.messages()).isEqualTo(conversation);
        assertThat(fit.leftOut()).isZero();
    }

    @Test
    void theOldestTurnsGoFirstAndTheSystemPromptStays() {
        ContextWindow.Fit fit = ContextWindow.fit(MODEL, 60, conversation);
        assertThat(fit.leftOut()).isEqualTo(2);
        assertThat(fit.messages()).extracting(ChatMessage::content)
                .containsExactly("Be brief.", "second question", "second answer", "third question");
        assertThat(TokenCounter.countPrompt(MODEL, fit.messages())).isLessThanOrEqualTo(60);
    }

    @Test
    void aReplyIsNeverSentWithoutItsQuestionAndTheNewestMessageAlwaysIs() {
        ContextWindow.Fit tiny = ContextWindow.fit(MODEL, 5, conversation);
        assertThat(tiny.messages()).extracting(ChatMessage::content).containsExactly("Be brief.", "third question");
        assertThat(tiny.leftOut()).isEqualTo(4);
        assertThat(tiny.messages().get(1).role()).isEqualTo(ChatMessage.Role.USER);
    }
}
