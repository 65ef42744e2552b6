package dev.switchboard.llm.openai;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What reaches the upstream: the API key, and neither the SDK's telemetry (its {@code X-Stainless-*} headers: this
 * server's OS and kernel version, JRE, architecture, a retry count) nor anything of Switchboard's own bookkeeping.
 */
class UpstreamRequestHeadersTest {

    @Test
    void theUpstreamSeesTheKeyAndNoTelemetryOrInternalHeader() throws Exception {
        try (KeepAliveServer server = new KeepAliveServer(0)) {
            OpenAiUpstream upstream = server.upstream("plain");

            assertThat(KeepAliveServer.chat(upstream)).isEqualTo("completed: Hello");
            assertThat(KeepAliveServer.chat(upstream)).isEqualTo("completed: Hello");

            assertThat(server.heads).hasSize(2).allSatisfy(head -> {
                String[] lines = head.toLowerCase(Locale.ROOT).split("\r\n");
                assertThat(lines[0]).startsWith("post /v1/chat/completions ");
                assertThat(Arrays.stream(lines).filter(l -> l.startsWith("x-stainless"))).isEmpty();
                assertThat(Arrays.stream(lines).filter(l -> l.startsWith("authorization:")))
                        .containsExactly("authorization: bearer k");
                assertThat(Arrays.stream(lines).filter(l -> l.startsWith("x-switchboard"))).isEmpty();
            });
        }
    }
}
