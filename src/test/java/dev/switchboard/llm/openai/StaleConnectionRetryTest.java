package dev.switchboard.llm.openai;

import dev.switchboard.llm.ChatMessage;
import dev.switchboard.llm.CompletionRequest;
import dev.switchboard.llm.StreamHandler;
import dev.switchboard.llm.TokenUsage;
import dev.switchboard.llm.UpstreamException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upstream that closes a keep-alive connection just as the next request arrives on it (servers drop idle
 * connections at their own pace) must not make that request fail: it is sent again on a fresh connection.
 */
class StaleConnectionRetryTest {

    @Test
    void aRequestOnAConnectionTheUpstreamClosesIsSentAgainOnANewOne() throws Exception {
        try (KeepAliveServer server = new KeepAliveServer(2)) {
            OpenAiUpstream upstream = server.upstream("closing");

            assertThat(chat(upstream)).isEqualTo("completed: Hello");
            assertThat(chat(upstream)).isEqualTo("completed: Hello"); // its connection is closed under it

            assertThat(server.requests.get()).isEqualTo(3);
            assertThat(server.connections.get()).isEqualTo(2);
        }
    }

    static String chat(OpenAiUpstream upstream) throws Exception {
        CompletableFuture<String> end = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        upstream.start(new CompletionRequest("m", List.of(ChatMessage.user("hi"))), new StreamHandler() {
            @Override public void delta(String t) { text.append(t); }
            @Override public void usage(TokenUsage u) {}
            @Override public void completed() { end.complete("completed: " + text); }
            @Override public void failed(UpstreamException e) { end.complete("failed: " + e.getMessage()); }
        });
        return end.get(10, TimeUnit.SECONDS);
    }
}
