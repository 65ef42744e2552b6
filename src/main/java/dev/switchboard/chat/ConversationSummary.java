package dev.switchboard.chat;

import java.time.Instant;

/** A conversation as the sidebar and the API list it. */
public record ConversationSummary(String id, String title, boolean pinned, String model, Instant createdAt,
                                  Instant updatedAt) {
}
