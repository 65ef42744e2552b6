package dev.switchboard.llm.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.llm.UpstreamException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkReaderTest {

    private static List<JsonNode> read(String body) throws IOException {
        ChunkReader reader = new ChunkReader(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode c; (c = reader.next()) != null; ) out.add(c);
        return out;
    }

    @Test
    void readsEachEventsDataUpToDone() throws IOException {
        List<JsonNode> chunks = read(": keep-alive\n\n"
                + "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
                + "event: message\nid: 7\ndata:{\"choices\":[{\"delta\":{\"content\":\"Grüß \"}}]}\r\n\r\n"
                + "data: [DONE]\n\n"
                + "data: {\"after\":\"done\"}\n\n");
        assertThat(chunks).hasSize(2);
        assertThat(chunks.get(1).at("/choices/0/delta/content").asText()).isEqualTo("Grüß ");
    }

    @Test
    void joinsDataLinesOfOneEventAndTakesALastEventWithoutItsBlankLine() throws IOException {
        List<JsonNode> chunks = read("data: {\"usage\":\ndata: {\"prompt_tokens\":3}}\n\ndata: {\"id\":\"last\"}");
        assertThat(chunks).hasSize(2);
        assertThat(chunks.get(0).at("/usage/prompt_tokens").asInt()).isEqualTo(3);
        assertThat(chunks.get(1).get("id").asText()).isEqualTo("last");
    }

    @Test
    void anErrorEventEndsTheStreamWithoutTheUpstreamsText() {
        assertThatThrownBy(() -> read("data: {\"error\":{\"message\":\"key sk-secret is invalid\"}}\n\n"))
                .isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.kind()).isEqualTo(UpstreamException.Kind.SERVER);
                    assertThat(e.getMessage()).doesNotContain("sk-secret");
                });
    }

    @Test
    void aChunkThatIsNotAJsonObjectIsMalformed() {
        assertThatThrownBy(() -> read("data: {\"choices\":[\n\n")).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> read("data: 42\n\n")).isInstanceOf(JsonProcessingException.class);
    }
}
