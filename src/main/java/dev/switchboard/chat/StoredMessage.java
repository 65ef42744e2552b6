package dev.switchboard.chat;

import dev.switchboard.llm.ChatMessage;
import dev.switchboard.llm.TokenUsage;

import java.time.Instant;
import java.util.List;

/**
 * One stored message of a conversation. Messages form a tree: {@code parentId} is the message this one follows (null
 * for a first message), so a regenerated reply or an edited question is a sibling of the one it replaces.
 *
 * @param model, upstream, usage, generationId, error: set for replies (null for the user's messages)
 * @param leftOut how many of the oldest messages a reply was asked without, to fit the model's context window
 */
public record StoredMessage(long id, Long parentId, ChatMessage.Role role, String content, String model,
                            String upstream, GenerationStatus status, String error, TokenUsage usage,
                            String generationId, Instant createdAt, int leftOut) {

    static StoredMessage user(long id, Long parentId, String text, Instant at) {
        return new StoredMessage(id, parentId, ChatMessage.Role.USER, text, null, null, GenerationStatus.COMPLETED,
                null, null, null, at, 0);
    }

    /** A finished generation as a reply message. */
    static StoredMessage reply(long id, Long parentId, GenerationState s, String requestedModel, Instant at) {
        return reply(id, parentId, s, requestedModel, at, 0);
    }

    static StoredMessage reply(long id, Long parentId, GenerationState s, String requestedModel, Instant at, int leftOut) {
        return new StoredMessage(id, parentId, ChatMessage.Role.ASSISTANT, s.text(),
                s.model() != null ? s.model() : requestedModel, s.upstream(), s.status(), s.error(), s.usage(), s.id(), at,
                leftOut);
    }

    /** How a tab shows a stored reply: as the final state of its generation. */
    GenerationState asState() {
        return new GenerationState(generationId == null ? "m" + id : generationId, content, upstream, model, false,
                status, error, List.of(), usage);
    }

    ChatMessage asChatMessage() {
        return new ChatMessage(role, content);
    }
}
