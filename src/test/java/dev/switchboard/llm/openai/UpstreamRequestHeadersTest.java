package dev.switchboard.llm.openai;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What reaches the upstream: the SDK's retry-count header once, with the value 0 (ours is the only retry loop), and
 * nothing of Switchboard's own bookkeeping.
 */
class UpstreamRequestHeadersTest {

    @Test
    void theUpstreamSeesOneRetryCountOfZeroAndNoInternalHeader() throws Exception {
        try (KeepAliveServer server = new KeepAliveServer(0)) {
            OpenAiUpstream upstream = server.upstream("plain");

            assertThat(KeepAliveServer.chat(upstream)).isEqualTo("completed: Hello");
            assertThat(KeepAliveServer.chat(upstream)).isEqualTo("completed: Hello");

            assertThat(server.heads).hasSize(2).allSatisfy(head -> {
                String[] lines = head.toLowerCase(Locale.ROOT).split("\r\n");
                assertThat(lines[0]).startsWith("post /v1/chat/completions ");
                assertThat(Arrays.stream(lines).filter(l -> l.startsWith("x-stainless-retry-count:")))
                        .containsExactly("x-stainless-retry-count: 0");
                assertThat(Arrays.stream(lines).filter(l -> l.startsWith("authorization:")))
                        .containsExactly("authorization: bearer k");
                assertThat(Arrays.stream(lines).filter(l -> l.startsWith("x-switchboard"))).isEmpty();
            });
        }
    }
}
