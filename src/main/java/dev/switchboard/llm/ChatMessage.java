package dev.switchboard.llm;

import java.util.Objects;

/** One message of a conversation, as sent to an upstream. */
public record ChatMessage(Role role, String content) {
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    public static ChatMessage system(String text) { return new ChatMessage(Role.SYSTEM, text); }
    public static ChatMessage user(String text) { return new ChatMessage(Role.USER, text); }
    public static ChatMessage assistant(String text) { return new ChatMessage(Role.ASSISTANT, text); }

    public enum Role {
        SYSTEM, USER, ASSISTANT;

        public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

        /** @return the role for an OpenAI wire name, or null when it is not one we accept */
        public static Role fromWire(String name) {
            if (name == null) return null;
            for (Role r : values()) if (r.wire().equals(name)) return r;
            return null;
        }
    }
}
