package dev.switchboard.chat;

import dev.switchboard.llm.ChatMessage;
import dev.switchboard.llm.CompletionOptions;
import dev.switchboard.llm.CompletionRequest;

import java.util.List;
import java.util.Optional;

/** Asking the model for a conversation's title, and the plain-text title from its answer. */
final class ModelTitles {
    private static final CompletionOptions SHORT =
            new CompletionOptions(null, null, 24L, null, null, null, null, null, null, null, null, null);

    private ModelTitles() {}

    /**
     * The generation that asks for a title (its tokens are accounted, source "title"), or null when the conversation
     * is past its first turn, its reply did not complete, or its title is no longer the one made from its first
     * message (the user renamed it).
     */
    static Generation ask(Conversation c, String user, String model) {
        List<StoredMessage> path = c.path();
        if (path.size() != 2 || path.get(1).status() != GenerationStatus.COMPLETED || c.deleted()
                || !c.title().equals(Titles.fromMessage(path.get(0).content()))) {
            return null;
        }
        List<ChatMessage> messages = List.of(
                ChatMessage.system("Write a title of at most six words for this conversation. Answer with the title alone."),
                ChatMessage.user(clip(path.get(0).content())), ChatMessage.assistant(clip(path.get(1).content())));
        return new Generation(user, c.id(), new CompletionRequest(model, messages, SHORT), "title");
    }

    /** The title a finished generation gave: plain text, quotes and a final full stop taken off. */
    static Optional<String> title(Generation done) {
        String text = done.state().text().strip().replaceAll("^[\"'“”]+|[\"'“”.]+$", "");
        if (done.state().status() != GenerationStatus.COMPLETED || text.isBlank()) return Optional.empty();
        return Optional.of(Titles.fromMessage(text));
    }

    private static String clip(String text) {
        return text.length() <= 2_000 ? text : text.substring(0, 2_000);
    }
}
