package dev.switchboard.chat.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.llm.ChatMessage;
import dev.switchboard.llm.CompletionOptions;
import org.springframework.http.HttpStatus;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Validates chat bodies by hand, so every fault gets a precise 400 message: the whole body of {@code POST /api/chat},
 * and the messages and options that {@code POST /v1/chat/completions} shares with it. Faults are thrown as
 * {@code fault.apply(message)}, so each API answers in its own error shape.
 */
final class ChatRequestParser {
    /** A valid request: the messages in order, the model (null for the default) and the options to pass upstream. */
    record ChatRequest(List<ChatMessage> messages, String model, CompletionOptions options) {}

    private final ObjectMapper json;
    private final int maxMessageChars;
    private final Function<String, RuntimeException> fault;

    ChatRequestParser(ObjectMapper json, int maxMessageChars) {
        this(json, maxMessageChars, ChatRequestParser::bad);
    }

    ChatRequestParser(ObjectMapper json, int maxMessageChars, Function<String, RuntimeException> fault) {
        this.json = json;
        this.maxMessageChars = maxMessageChars;
        this.fault = fault;
    }

    /** The body as a JSON object. */
    JsonNode tree(byte[] body) {
        JsonNode root;
        try {
            // Decoded as UTF-8 first: from bytes, Jackson would detect and accept UTF-16 and UTF-32.
            root = json.readTree(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException e) {
            throw fault.apply("The body is not UTF-8.");
        } catch (JsonProcessingException e) {
            throw fault.apply("The body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode() || !root.isObject()) throw fault.apply("The body must be a JSON object.");
        return root;
    }

    /** The whole body of {@code POST /api/chat}. */
    ChatRequest parse(byte[] body) {
        JsonNode root = tree(body);
        JsonNode modelNode = root.get("model");
        String model = null;
        if (modelNode != null && !modelNode.isNull()) {
            if (!modelNode.isTextual()) throw fault.apply("'model' must be a string.");
            model = modelNode.asText();
        }
        List<ChatMessage> messages = messages(root.get("messages"));
        if (messages.stream().noneMatch(m -> m.role() == ChatMessage.Role.USER)) {
            throw fault.apply("'messages' must contain at least one user message.");
        }
        return new ChatRequest(messages, model, options(root));
    }

    /** OpenAI's message list: string or content-part content, assistant tool calls, tool results. */
    List<ChatMessage> messages(JsonNode arr) {
        if (arr == null || arr.isNull()) throw fault.apply("'messages' is required.");
        if (!arr.isArray()) throw fault.apply("'messages' must be an array.");
        if (arr.isEmpty()) throw fault.apply("'messages' must not be empty.");
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) messages.add(message(arr.get(i), "messages[" + i + "]"));
        return messages;
    }

    private ChatMessage message(JsonNode m, String at) {
        if (!m.isObject()) throw fault.apply(at + " must be an object with 'role' and 'content'.");
        JsonNode role = m.get("role");
        if (role == null || !role.isTextual()) throw fault.apply(at + ".role must be a string.");
        ChatMessage.Role r = ChatMessage.Role.fromWire(role.asText());
        if (r == null) throw fault.apply(at + ".role must be one of system, user, assistant, tool, developer; got '" + clip(role.asText()) + "'.");
        JsonNode toolCalls = m.get("tool_calls");
        if (toolCalls != null && toolCalls.isNull()) toolCalls = null;
        if (toolCalls != null && (r != ChatMessage.Role.ASSISTANT || !toolCalls.isArray())) {
            throw fault.apply(at + ".tool_calls must be an array, on an assistant message.");
        }
        String toolCallId = null;
        if (r == ChatMessage.Role.TOOL) {
            JsonNode id = m.get("tool_call_id");
            if (id == null || !id.isTextual() || id.asText().isBlank()) throw fault.apply(at + ".tool_call_id is required for a tool message.");
            toolCallId = id.asText();
        }
        JsonNode content = m.get("content");
        String text;
        JsonNode parts = null;
        if (content == null || content.isNull()) {
            if (toolCalls == null) throw fault.apply(at + ".content is required.");
            text = "";
        } else if (content.isTextual()) {
            text = content.asText();
        } else if (content.isArray()) {
            text = partsText(content, at + ".content");
            parts = content;
        } else {
            throw fault.apply(at + ".content must be a string or an array of content parts.");
        }
        if (text.length() > maxMessageChars) throw fault.apply(at + ".content is longer than " + maxMessageChars + " characters.");
        return new ChatMessage(r, text, parts, toolCalls, toolCallId);
    }

    /** The text parts joined (what is counted); every part needs a type, a text part its text. */
    private String partsText(JsonNode parts, String at) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            JsonNode p = parts.get(i);
            JsonNode type = p.get("type");
            if (!p.isObject() || type == null || !type.isTextual()) throw fault.apply(at + "[" + i + "].type must be a string.");
            if ("text".equals(type.asText())) {
                JsonNode t = p.get("text");
                if (t == null || !t.isTextual()) throw fault.apply(at + "[" + i + "].text must be a string.");
                if (!text.isEmpty()) text.append('\n');
                text.append(t.asText());
            }
        }
        return text.toString();
    }

    /** The parameters passed upstream as given, each type-checked; unknown fields are ignored. */
    CompletionOptions options(JsonNode root) {
        return new CompletionOptions(number(root, "temperature"), number(root, "top_p"), integer(root, "max_tokens"),
                integer(root, "max_completion_tokens"), raw(root, "stop", n -> n.isTextual() || n.isArray(), "a string or an array"),
                integer(root, "seed"), number(root, "presence_penalty"), number(root, "frequency_penalty"),
                raw(root, "response_format", JsonNode::isObject, "an object"), raw(root, "tools", JsonNode::isArray, "an array"),
                raw(root, "tool_choice", n -> n.isTextual() || n.isObject(), "a string or an object"), text(root, "user"));
    }

    private Double number(JsonNode root, String name) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) return null;
        if (!n.isNumber()) throw fault.apply("'" + name + "' must be a number.");
        return n.asDouble();
    }

    private Long integer(JsonNode root, String name) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) return null;
        if (!n.isIntegralNumber() || !n.canConvertToLong()) throw fault.apply("'" + name + "' must be an integer.");
        return n.asLong();
    }

    private String text(JsonNode root, String name) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw fault.apply("'" + name + "' must be a string.");
        return n.asText();
    }

    private JsonNode raw(JsonNode root, String name, java.util.function.Predicate<JsonNode> ok, String what) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) return null;
        if (!ok.test(n)) throw fault.apply("'" + name + "' must be " + what + ".");
        return n;
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private static ApiRejection bad(String message) {
        return new ApiRejection(HttpStatus.BAD_REQUEST, "invalid_request_error", message);
    }
}
