package dev.switchboard.usage.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Real HTTP for the usage tests: /api/chat with its SSE events parsed, and GET requests. */
final class UsageHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;

    UsageHttp(int port) {
        this.base = "http://localhost:" + port;
    }

    /** One chat's stream: the text received, every usage event, and whether an error event came. */
    record Chat(int status, String content, List<JsonNode> usages, boolean error, boolean done) {
        JsonNode usage() {
            if (usages.size() != 1) throw new AssertionError("expected exactly one usage event, got " + usages);
            return usages.get(0);
        }

        long prompt() { return usage().get("prompt_tokens").asLong(); }

        long completion() { return usage().get("completion_tokens").asLong(); }

        boolean estimated() { return usage().path("estimated").asBoolean(false); }
    }

    Chat chat(String user, String password, String model, String text) {
        String body = JSON.createObjectNode().put("model", model)
                .set("messages", JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user").put("content", text)))
                .toString();
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/api/chat"))
                .header("Authorization", basic(user, password)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        StringBuilder content = new StringBuilder();
        List<JsonNode> usages = new ArrayList<>();
        boolean error = false, done = false;
        for (String line : r.body().split("\n")) {
            if (!line.startsWith("data: ")) continue;
            String data = line.substring(6).trim();
            if (data.equals("[DONE]")) {
                done = true;
                continue;
            }
            JsonNode n = read(data);
            if (n.has("content")) content.append(n.get("content").asText());
            if (n.has("usage")) usages.add(n.get("usage"));
            if (n.has("error")) error = true;
        }
        return new Chat(r.statusCode(), content.toString(), usages, error, done);
    }

    HttpResponse<String> get(String path, String user, String password) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (user != null) b.header("Authorization", basic(user, password));
        return send(b.build());
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
