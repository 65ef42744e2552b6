package dev.switchboard.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.llm.UpstreamException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a chat completion stream's body, server-sent events whose data is a {@code chat.completion.chunk}, up to
 * {@code [DONE]}. The SDK sends the request and checks its status; its own reading maps every chunk into its models,
 * 14 KB allocated per chunk against 2.3 KB for a Jackson tree here: at 256 streams that garbage alone set the pace of
 * the young GCs behind the late first tokens (docs/performance.md).
 */
final class ChunkReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DONE = "[DONE]";

    private final BufferedReader lines;

    ChunkReader(InputStream body) {
        this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /**
     * The next chunk, or null at {@code [DONE]} or the end of the body.
     *
     * @throws UpstreamException for an error event in the stream (its text is the upstream's, so it is not kept)
     * @throws IOException       when the connection fails, or a chunk is not JSON
     */
    JsonNode next() throws IOException {
        StringBuilder data = null;
        for (String line; (line = lines.readLine()) != null; ) {
            if (line.isEmpty()) {
                if (data != null) return chunk(data);
            } else if (line.startsWith("data:")) {
                String value = line.startsWith("data: ") ? line.substring(6) : line.substring(5);
                if (data == null) data = new StringBuilder(value); else data.append('\n').append(value);
            }
            // other fields (event:, id:, retry:) and comments (": keep-alive") carry nothing for a chat
        }
        return data == null ? null : chunk(data); // a last event without its blank line
    }

    private static JsonNode chunk(CharSequence data) throws IOException {
        String text = data.toString();
        if (DONE.equals(text)) return null;
        JsonNode chunk = JSON.readTree(text);
        if (chunk == null || !chunk.isObject()) throw new com.fasterxml.jackson.core.JsonParseException(null, "not a JSON object");
        if (chunk.has("error")) {
            throw new UpstreamException(UpstreamException.Kind.SERVER, 0, "the upstream reported an error in the stream", null, null);
        }
        return chunk;
    }
}
