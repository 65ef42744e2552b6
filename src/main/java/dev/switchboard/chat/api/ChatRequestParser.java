package dev.switchboard.chat.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.llm.ChatMessage;
import org.springframework.http.HttpStatus;

import java.util.ArrayList;
import java.util.List;

/** Validates the body of {@code POST /api/chat} by hand, so every fault gets a precise 400 message. */
final class ChatRequestParser {
    /** A valid request: the messages in order and the model (null for the default). */
    record ChatRequest(List<ChatMessage> messages, String model) {}

    private final ObjectMapper json;
    private final int maxMessageChars;

    ChatRequestParser(ObjectMapper json, int maxMessageChars) {
        this.json = json;
        this.maxMessageChars = maxMessageChars;
    }

    ChatRequest parse(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw bad("The body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw bad("The body could not be read.");
        }
        if (root == null || root.isMissingNode() || !root.isObject()) throw bad("The body must be a JSON object.");
        JsonNode modelNode = root.get("model");
        String model = null;
        if (modelNode != null && !modelNode.isNull()) {
            if (!modelNode.isTextual()) throw bad("'model' must be a string.");
            model = modelNode.asText();
        }
        JsonNode arr = root.get("messages");
        if (arr == null || arr.isNull()) throw bad("'messages' is required.");
        if (!arr.isArray()) throw bad("'messages' must be an array.");
        if (arr.isEmpty()) throw bad("'messages' must not be empty.");
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            JsonNode m = arr.get(i);
            if (!m.isObject()) throw bad("messages[" + i + "] must be an object with 'role' and 'content'.");
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual()) throw bad("messages[" + i + "].role must be a string.");
            ChatMessage.Role r = ChatMessage.Role.fromWire(role.asText());
            if (r == null) throw bad("messages[" + i + "].role must be one of system, user, assistant; got '" + clip(role.asText()) + "'.");
            JsonNode content = m.get("content");
            if (content == null || content.isNull()) throw bad("messages[" + i + "].content is required.");
            if (!content.isTextual()) throw bad("messages[" + i + "].content must be a string.");
            if (content.asText().length() > maxMessageChars) {
                throw bad("messages[" + i + "].content is longer than " + maxMessageChars + " characters.");
            }
            messages.add(new ChatMessage(r, content.asText()));
        }
        if (messages.stream().noneMatch(m -> m.role() == ChatMessage.Role.USER)) {
            throw bad("'messages' must contain at least one user message.");
        }
        return new ChatRequest(messages, model);
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private static ApiRejection bad(String message) {
        return new ApiRejection(HttpStatus.BAD_REQUEST, "invalid_request_error", message);
    }
}
