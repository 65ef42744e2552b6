package dev.switchboard.chat.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/** A real HTTP client for the app under test: Basic auth (or a bearer token), SSE read line by line. */
final class ApiClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String authorization;

    ApiClient(int port, String user, String password) {
        this(port, user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    private ApiClient(int port, String authorization) {
        this.base = "http://localhost:" + port;
        this.authorization = authorization;
    }

    static ApiClient withToken(int port, String token) {
        return new ApiClient(port, "Bearer " + token);
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return post(path, body.getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> post(String path, byte[] body) throws Exception {
        return http.send(request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Posts a chat and returns the {@code data:} payloads of the SSE stream, in order. */
    List<String> chat(String body) throws Exception {
        HttpResponse<java.util.stream.Stream<String>> r = http.send(request("/api/chat")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofLines());
        if (r.statusCode() != 200) throw new AssertionError("status " + r.statusCode());
        return r.body().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).collect(Collectors.toList());
    }

    /** Starts a chat and hands back the open stream, for tests that leave early. */
    HttpResponse<java.io.InputStream> openChat(String body) throws Exception {
        return http.send(request("/api/chat").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
        if (authorization != null) b.header("Authorization", authorization);
        return b;
    }
}
