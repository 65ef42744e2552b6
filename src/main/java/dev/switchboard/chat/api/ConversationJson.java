package dev.switchboard.chat.api;

import dev.switchboard.chat.ConversationSummary;
import dev.switchboard.chat.StoredConversation;
import dev.switchboard.chat.StoredMessage;
import dev.switchboard.llm.TokenUsage;

import java.time.Instant;
import java.util.List;

/** Conversations as the API shows them. */
final class ConversationJson {
    private ConversationJson() {}

    record Summary(String id, String title, boolean pinned, String model, Instant createdAt, Instant updatedAt) {
        static Summary of(ConversationSummary s) {
            return new Summary(s.id(), s.title(), s.pinned(), s.model(), s.createdAt(), s.updatedAt());
        }
    }

    record Page(List<Summary> conversations, int page, int size, boolean more) {}

    /** Every message, all versions: {@code parentId} links each to the one it follows. */
    record Full(String id, String title, boolean pinned, String model, String systemPrompt, Instant createdAt,
                Instant updatedAt, List<Message> messages) {
        static Full of(StoredConversation c) {
            ConversationSummary s = c.summary();
            return new Full(s.id(), s.title(), s.pinned(), s.model(), c.systemPrompt(), s.createdAt(), s.updatedAt(),
                    c.messages().stream().map(Message::of).toList());
        }
    }

    record Message(long id, Long parentId, String role, String content, String model, String upstream, String status,
                   String error, Usage usage, Instant createdAt) {
        static Message of(StoredMessage m) {
            return new Message(m.id(), m.parentId(), m.role().wire(), m.content(), m.model(), m.upstream(),
                    m.status().label(), m.error(), Usage.of(m.usage()), m.createdAt());
        }
    }

    record Usage(long promptTokens, long completionTokens, boolean estimated) {
        static Usage of(TokenUsage u) {
            return u == null ? null : new Usage(u.promptTokens(), u.completionTokens(), u.estimated());
        }
    }
}
