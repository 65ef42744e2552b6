package dev.switchboard.llm;

import java.util.List;

/** A streaming chat completion to run: the model asked for and the whole conversation, system prompt first. */
public record CompletionRequest(String model, List<ChatMessage> messages) {
    public CompletionRequest {
        messages = List.copyOf(messages);
    }
}
