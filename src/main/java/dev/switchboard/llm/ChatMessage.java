package dev.switchboard.llm;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * One message of a conversation, as sent to an upstream. {@code content} is always the message's text (the text
 * parts joined, for counting and for the offline model); the raw JSON fields, when set, are relayed as they came.
 *
 * @param parts      the OpenAI content array (text, image_url, ... parts) as given, or null for plain text
 * @param toolCalls  an assistant message's {@code tool_calls} array as given, or null
 * @param toolCallId a tool message's {@code tool_call_id}, or null
 */
public record ChatMessage(Role role, String content, JsonNode parts, JsonNode toolCalls, String toolCallId) {
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    public ChatMessage(Role role, String content) {
        this(role, content, null, null, null);
    }

    public static ChatMessage system(String text) { return new ChatMessage(Role.SYSTEM, text); }
    public static ChatMessage user(String text) { return new ChatMessage(Role.USER, text); }
    public static ChatMessage assistant(String text) { return new ChatMessage(Role.ASSISTANT, text); }

    /** True for a role and a string content only, which every upstream takes. */
    public boolean plain() {
        return parts == null && toolCalls == null && toolCallId == null;
    }

    public enum Role {
        SYSTEM, USER, ASSISTANT, TOOL,
        /** OpenAI's newer name for instructions (newer models and agent tools send it instead of system). */
        DEVELOPER;

        public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

        /** @return the role for an OpenAI wire name, or null when it is not one we accept */
        public static Role fromWire(String name) {
            if (name == null) return null;
            for (Role r : values()) if (r.wire().equals(name)) return r;
            return null;
        }
    }
}
