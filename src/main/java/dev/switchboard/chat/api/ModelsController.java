package dev.switchboard.chat.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.chat.ChatService;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/models} and {@code GET /v1/models/{id}}: the models of {@code switchboard.models} in OpenAI's shape. */
@RestController
class ModelsController {
    /** When this server started: OpenAI's "created" of a model, which this server does not know otherwise. */
    private final long created = System.currentTimeMillis() / 1000;
    private final ChatService chat;
    private final ObjectMapper json;

    ModelsController(ChatService chat, ObjectMapper json) {
        this.chat = chat;
        this.json = json;
    }

    @GetMapping("/v1/models")
    ResponseEntity<ObjectNode> list() {
        ObjectNode body = json.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        chat.models().forEach(m -> data.add(model(m)));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }

    // {*id}: model names may contain slashes ("org/model").
    @GetMapping("/v1/models/{*id}")
    ResponseEntity<ObjectNode> one(@PathVariable String id) {
        String name = id.startsWith("/") ? id.substring(1) : id;
        if (!chat.models().contains(name)) throw OpenAiError.modelNotFound(name);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(model(name));
    }

    private ObjectNode model(String id) {
        return json.createObjectNode().put("id", id).put("object", "model").put("created", created).put("owned_by", "switchboard");
    }

    @ExceptionHandler(OpenAiError.class)
    ResponseEntity<OpenAiError.Body> refused(OpenAiError e) {
        return e.toResponse();
    }
}
