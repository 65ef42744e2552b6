package dev.switchboard.llm.openai;

import com.openai.core.RequestOptions;
import com.openai.core.http.HttpMethod;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpRequestBody;
import com.openai.core.http.HttpResponse;
import com.openai.errors.OpenAIIoException;
import com.sun.net.httpserver.HttpServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SDK's requests over our OkHttp client, against a real HTTP server: what the SDK built (method, path, query,
 * headers, body) reaches the server unchanged, and the answer (status, headers, body) reaches the SDK unchanged.
 */
class OkHttpTransportTest {
    private final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    private final Map<String, Object> seen = new ConcurrentHashMap<>();
    private final OkHttpTransport transport = new OkHttpTransport(new ConnectionShards().build(new OkHttpClient.Builder()));

    OkHttpTransportTest() throws IOException {
        server.createContext("/", exchange -> {
            seen.put("method", exchange.getRequestMethod());
            seen.put("uri", exchange.getRequestURI().toString());
            seen.put("type", exchange.getRequestHeaders().getFirst("Content-Type"));
            seen.put("auth", exchange.getRequestHeaders().get("Authorization"));
            seen.put("multi", exchange.getRequestHeaders().get("X-Multi"));
            seen.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = "{\"error\":{\"message\":\"slow down\"}}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Retry-After", "7");
            exchange.sendResponseHeaders(429, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        transport.close();
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private static HttpRequest post(String baseUrl) {
        return HttpRequest.builder().method(HttpMethod.POST).baseUrl(baseUrl).addPathSegments("chat", "completions")
                .putQueryParam("api-version", "1")
                .putHeader("Authorization", "Bearer k")
                .putHeaders("X-Multi", List.of("a", "b"))
                .body(new Json("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"grüß dich\"}]}"))
                .build();
    }

    @Test
    void theRequestTheSdkBuiltReachesTheServerAndItsAnswerComesBackWhole() throws Exception {
        for (int i = 0; i < 2; i++) { // the second request takes the parsed URL from the cache
            try (HttpResponse r = transport.execute(post(base()), RequestOptions.none())) {
                assertThat(r.statusCode()).isEqualTo(429);
                assertThat(r.headers().values("retry-after")).containsExactly("7");
                assertThat(new String(r.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"error\":{\"message\":\"slow down\"}}");
            }
            assertThat(seen).containsEntry("method", "POST").containsEntry("uri", "/v1/chat/completions?api-version=1")
                    .containsEntry("type", "application/json").containsEntry("auth", List.of("Bearer k"))
                    .containsEntry("multi", List.of("a", "b"))
                    .containsEntry("body", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"grüß dich\"}]}");
        }
    }

    @Test
    void theAsyncCallAnswersTheSame() throws Exception {
        try (HttpResponse r = transport.executeAsync(post(base()), RequestOptions.none()).get()) {
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().values("Retry-After")).containsExactly("7");
        }
        assertThat(seen).containsEntry("body", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"grüß dich\"}]}");
    }

    @Test
    void aRefusedConnectionIsTheSdksIoErrorWithTheCauseKept() throws Exception {
        int closedPort;
        try (var probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        assertThatThrownBy(() -> transport.execute(post("http://127.0.0.1:" + closedPort + "/v1"), RequestOptions.none()))
                .isInstanceOf(OpenAIIoException.class).hasRootCauseInstanceOf(ConnectException.class);
    }

    /** A JSON body as the SDK hands it over. */
    private record Json(String text) implements HttpRequestBody {
        @Override public void writeTo(OutputStream out) {
            try {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override public String contentType() { return "application/json"; }

        @Override public long contentLength() { return text.getBytes(StandardCharsets.UTF_8).length; }

        @Override public boolean repeatable() { return true; }

        @Override public void close() { }
    }
}
