package dev.switchboard.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.JsonField;
import com.openai.core.JsonValue;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageParam;
import dev.switchboard.llm.ChatMessage;
import dev.switchboard.llm.CompletionOptions;

import java.util.List;

/** A completion request's messages and options in the SDK's request builder. */
final class OpenAiParams {
    private OpenAiParams() {}

    /** Plain text messages through the typed builders; anything richer as the caller sent it. */
    static void messages(ChatCompletionCreateParams.Builder params, List<ChatMessage> messages) {
        if (!messages.stream().allMatch(m -> m.plain() && m.role() != ChatMessage.Role.TOOL)) {
            // Content arrays and tool calls go out exactly as the caller sent them, not rebuilt through typed classes.
            params.messages(rawMessages(messages));
            return;
        }
        for (ChatMessage m : messages) {
            switch (m.role()) {
                case SYSTEM -> params.addSystemMessage(m.content());
                case DEVELOPER -> params.addDeveloperMessage(m.content());
                case USER -> params.addUserMessage(m.content());
                case ASSISTANT -> params.addAssistantMessage(m.content());
                case TOOL -> throw new IllegalStateException("a tool message is never plain");
            }
        }
    }

    /** The SDK's typed setters for the scalars; the raw JSON ones as additional body properties, unchanged. */
    static void options(ChatCompletionCreateParams.Builder params, CompletionOptions o) {
        if (o.temperature() != null) params.temperature(o.temperature());
        if (o.topP() != null) params.topP(o.topP());
        if (o.maxTokens() != null) params.maxTokens(o.maxTokens());
        if (o.maxCompletionTokens() != null) params.maxCompletionTokens(o.maxCompletionTokens());
        if (o.seed() != null) params.seed(o.seed());
        if (o.presencePenalty() != null) params.presencePenalty(o.presencePenalty());
        if (o.frequencyPenalty() != null) params.frequencyPenalty(o.frequencyPenalty());
        if (o.user() != null) params.user(o.user());
        raw(params, "stop", o.stop());
        raw(params, "response_format", o.responseFormat());
        raw(params, "tools", o.tools());
        raw(params, "tool_choice", o.toolChoice());
    }

    private static void raw(ChatCompletionCreateParams.Builder params, String key, JsonNode value) {
        if (value != null && !value.isNull() && !value.isMissingNode()) params.putAdditionalBodyProperty(key, JsonValue.fromJsonNode(value));
    }

    /** The messages in OpenAI's wire form, as a raw JSON value the SDK writes out unchanged. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static JsonField<List<ChatCompletionMessageParam>> rawMessages(List<ChatMessage> messages) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (ChatMessage m : messages) {
            ObjectNode node = array.addObject().put("role", m.role().wire());
            if (m.parts() != null) node.set("content", m.parts());
            else if (m.toolCalls() != null && m.content().isEmpty()) node.putNull("content");
            else node.put("content", m.content());
            if (m.toolCalls() != null) node.set("tool_calls", m.toolCalls());
            if (m.toolCallId() != null) node.put("tool_call_id", m.toolCallId());
        }
        return (JsonField) JsonValue.fromJsonNode(array);
    }

}
