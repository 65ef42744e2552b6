package dev.switchboard.chat.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.llm.StreamEvent;
import dev.switchboard.llm.TokenUsage;
import dev.switchboard.llm.UpstreamException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SseStreamTest {
    private final ObjectMapper json = new ObjectMapper();
    private final Recording socket = new Recording();
    private final List<String> ends = new ArrayList<>();
    private final SseStream out = new SseStream(socket, json, new SseStream.Ending() {
        @Override public void complete() { ends.add("complete"); }
        @Override public void clientGone() { ends.add("gone"); }
    });

    @Test
    void contentIsEscapedExactlyAsJacksonWritesTheSameEvent() {
        String text = "quote \" backslash \\ slash / newline \n cr \r tab \t nul \u0000 bell \u0007 del \u007f "
                + "ünïcödé 😀 \u2028 </script>";
        out.write(List.of(new StreamEvent.Delta(text)));
        assertThat(socket.writes).containsExactly("data: " + json.createObjectNode().put("content", text) + "\n\n");
    }

    @Test
    void aBatchLeavesInOneWriteInTheSeedsFormat() {
        out.write(List.of(new StreamEvent.Started("u", "m", true), new StreamEvent.Delta("Hi")));
        out.write(List.of(new StreamEvent.Failover("a", "b", "503")));
        out.write(List.of(new StreamEvent.Usage(new TokenUsage(3, 4, true)), StreamEvent.Finished.COMPLETED));
        assertThat(socket.writes).containsExactly(
                "data: {\"upstream\":\"u\",\"model\":\"m\",\"offline\":true}\n\ndata: {\"content\":\"Hi\"}\n\n",
                "data: {\"failover\":{\"from\":\"a\",\"to\":\"b\",\"reason\":\"503\"}}\n\n",
                "data: {\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"estimated\":true}}\n\ndata: [DONE]\n\n");
        assertThat(socket.closed).isTrue();
        assertThat(ends).containsExactly("complete");
    }

    @Test
    void aBrokenStreamEndsWithAnErrorEventThenDone() {
        UpstreamException broke = new UpstreamException(UpstreamException.Kind.BROKEN_STREAM, "connection dropped");
        out.write(List.of(new StreamEvent.Delta("par"), new StreamEvent.Finished(StreamEvent.Outcome.INTERRUPTED, broke)));
        assertThat(socket.writes).containsExactly("data: {\"content\":\"par\"}\n\n"
                + "data: {\"error\":{\"message\":\"The reply was interrupted: connection dropped.\",\"type\":\"stream_interrupted\"}}\n\n"
                + "data: [DONE]\n\n");
    }

    @Test
    void aWriteToAClientThatLeftReportsItOnceAndWritesNothingMore() {
        socket.gone = true;
        out.write(List.of(new StreamEvent.Delta("a")));
        out.write(List.of(new StreamEvent.Delta("b"), StreamEvent.Finished.STOPPED));
        assertThat(ends).containsExactly("gone");
        assertThat(socket.writes).isEmpty();
    }

    /** Records what would go to the client, one entry per write. */
    private static final class Recording extends OutputStream {
        final List<String> writes = new ArrayList<>();
        final ByteArrayOutputStream current = new ByteArrayOutputStream();
        boolean gone;
        boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (gone) throw new IOException("Broken pipe");
            writes.add(new String(b, off, len, StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
