package dev.switchboard.chat;

import dev.switchboard.llm.ChatMessage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stored conversation as a file: Markdown for people, or OpenAI's {@code messages} array for programs. Both hold the
 * newest path (the versions last made), the conversation's own system prompt first when it has one.
 */
public final class ConversationExport {
    private ConversationExport() {}

    /** The messages from the first to the newest one, following each one's parent. */
    public static List<StoredMessage> newestPath(StoredConversation c) {
        Map<Long, StoredMessage> byId = new LinkedHashMap<>();
        c.messages().forEach(m -> byId.put(m.id(), m));
        List<StoredMessage> path = new ArrayList<>();
        StoredMessage at = c.messages().isEmpty() ? null : c.messages().get(c.messages().size() - 1);
        while (at != null) {
            path.add(0, at);
            at = at.parentId() == null ? null : byId.get(at.parentId());
        }
        return path;
    }

    /** One message of OpenAI's chat format. */
    public record OpenAiMessage(String role, String content) {}

    /** OpenAI's chat format: {@code {"model": ..., "messages": [{"role": ..., "content": ...}]}}. */
    public static Map<String, Object> openAi(StoredConversation c) {
        List<OpenAiMessage> messages = new ArrayList<>();
        if (c.systemPrompt() != null) messages.add(new OpenAiMessage("system", c.systemPrompt()));
        for (StoredMessage m : newestPath(c)) {
            if (m.role() == ChatMessage.Role.ASSISTANT && m.content().isEmpty()) continue;
            messages.add(new OpenAiMessage(m.role().wire(), m.content()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", c.summary().model());
        out.put("messages", messages);
        return out;
    }

    public static String markdown(StoredConversation c) {
        StringBuilder md = new StringBuilder("# ").append(c.summary().title()).append("\n\n");
        if (c.systemPrompt() != null) md.append("**System:** ").append(c.systemPrompt()).append("\n\n");
        for (StoredMessage m : newestPath(c)) {
            md.append(m.role() == ChatMessage.Role.USER ? "## You" : "## Assistant");
            if (m.role() == ChatMessage.Role.ASSISTANT && m.model() != null) md.append(" (").append(m.model()).append(')');
            md.append("\n\n").append(m.content()).append("\n\n");
            if (m.status() != GenerationStatus.COMPLETED) md.append("_(").append(m.status().label()).append(")_\n\n");
        }
        return md.toString();
    }
}
