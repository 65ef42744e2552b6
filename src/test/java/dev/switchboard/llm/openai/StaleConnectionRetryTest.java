package dev.switchboard.llm.openai;

import org.junit.jupiter.api.Test;

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

            assertThat(KeepAliveServer.chat(upstream)).isEqualTo("completed: Hello");
            assertThat(KeepAliveServer.chat(upstream)).isEqualTo("completed: Hello"); // its connection is closed under it

            assertThat(server.requests.get()).isEqualTo(3);
            assertThat(server.connections.get()).isEqualTo(2);
        }
    }
}
