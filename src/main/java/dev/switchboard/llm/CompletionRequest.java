package dev.switchboard.llm;

import java.util.List;

/** A streaming chat completion to run: the model asked for, the whole conversation (system prompt first), options. */
public record CompletionRequest(String model, List<ChatMessage> messages, CompletionOptions options) {
    public CompletionRequest {
        messages = List.copyOf(messages);
        options = options == null ? CompletionOptions.NONE : options;
    }

    public CompletionRequest(String model, List<ChatMessage> messages) {
        this(model, messages, CompletionOptions.NONE);
    }
}
