package dev.switchboard.chat;

import java.util.List;

/** A conversation with all its messages (every version), oldest first, as stored. */
public record StoredConversation(ConversationSummary summary, String username, String systemPrompt,
                                 List<StoredMessage> messages) {
    public StoredConversation {
        messages = List.copyOf(messages);
    }

    public String id() { return summary.id(); }
}
