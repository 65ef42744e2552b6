package dev.switchboard.llm.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import dev.switchboard.llm.UpstreamException;
import dev.switchboard.llm.UpstreamException.Kind;

import java.io.IOException;

/**
 * The JSON of one stream's {@code chat.completion.chunk} events, pulled with Jackson's streaming parser: only the
 * served model, content, finish and usage, and an {@code error} member as an error event.
 */
final class ChunkParser {
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * What one chunk said, passed on only once the whole chunk parsed. One per stream, cleared for each chunk: at
     * 24,000 chunks/s a new one each, with a builder for its content and the model name every chunk repeats, was a
     * tenth of what the reader threads allocated.
     */
    static final class Chunk {
        String model;
        String content;
        boolean finished;
        long promptTokens;
        long completionTokens;

        void clear() {
            model = null;
            content = null;
            finished = false;
            promptTokens = -1;
            completionTokens = -1;
        }

        /** A chunk holds one choice with one content string; should one hold more, they are joined. */
        void addContent(String text) {
            content = content == null ? text : content + text;
        }
    }

    /**
     * One non-blocking parser per stream, fed one chunk at a time: creating a parser per chunk (its context, symbol
     * table and buffers) was an eighth of all the app allocated at 256 streams, and young GCs came that much sooner.
     */
    private JsonParser parser;
    private final Chunk chunk = new Chunk();

    /** The stream is over: the parser's text buffers go back to Jackson's pool. */
    void close() throws IOException {
        if (parser != null) parser.close();
    }

    /**
     * Parses one chunk; it must be exactly one JSON object, and the parser then waits for the next chunk's bytes.
     * {@code first}: the stream's first chunk, which names the served model.
     */
    Chunk parse(byte[] bytes, int length, boolean first) throws IOException {
        if (parser == null) parser = JSON.createNonBlockingByteArrayParser();
        JsonParser p = parser;
        ((ByteArrayFeeder) p.getNonBlockingInputFeeder()).feedInput(bytes, 0, length);
        chunk.clear();
        if (next(p) != JsonToken.START_OBJECT) throw malformed("not a JSON object");
        while (next(p) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = next(p);
            switch (field) {
                case "error" -> {
                    if (value != JsonToken.VALUE_NULL) throw errorEvent(p, value);
                }
                case "model" -> {
                    if (value != JsonToken.VALUE_STRING) p.skipChildren();
                    else if (first) chunk.model = p.getText(); // upstreams name the model in the first chunk
                }
                case "choices" -> {
                    if (value == JsonToken.START_ARRAY) {
                        while (next(p) == JsonToken.START_OBJECT) readChoice(p, chunk);
                    } else {
                        p.skipChildren();
                    }
                }
                case "usage" -> {
                    if (value == JsonToken.START_OBJECT) readUsage(p, chunk);
                }
                default -> p.skipChildren();
            }
        }
        // All of the chunk must be consumed (the parser asks for more input) before the next one is fed.
        if (p.nextToken() != JsonToken.NOT_AVAILABLE) throw malformed("data after the JSON object");
        return chunk;
    }

    private static void readChoice(JsonParser p, Chunk chunk) throws IOException {
        while (next(p) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = next(p);
            if (field.equals("finish_reason")) {
                if (value == JsonToken.VALUE_STRING) chunk.finished = true;
            } else if (field.equals("delta") && value == JsonToken.START_OBJECT) {
                while (next(p) == JsonToken.FIELD_NAME) {
                    boolean content = p.currentName().equals("content");
                    if (next(p) == JsonToken.VALUE_STRING && content) {
                        chunk.addContent(p.getText());
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
    }

    private static void readUsage(JsonParser p, Chunk chunk) throws IOException {
        while (next(p) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = next(p);
            if (value == JsonToken.VALUE_NUMBER_INT && field.equals("prompt_tokens")) {
                chunk.promptTokens = p.getLongValue();
            } else if (value == JsonToken.VALUE_NUMBER_INT && field.equals("completion_tokens")) {
                chunk.completionTokens = p.getLongValue();
            } else {
                p.skipChildren();
            }
        }
    }

    /** An error event ends the stream; its message (OpenAI's error object) is kept for the reply's error line. */
    private static UpstreamException errorEvent(JsonParser p, JsonToken value) throws IOException {
        String message = value == JsonToken.VALUE_STRING ? p.getText() : null;
        if (value == JsonToken.START_OBJECT) {
            while (next(p) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                if (next(p) == JsonToken.VALUE_STRING && field.equals("message")) message = p.getText();
                else p.skipChildren();
            }
        }
        String text = message == null || message.isBlank() ? "the stream sent an error event"
                : "the stream sent an error event: " + (message.length() <= 200 ? message : message.substring(0, 200) + "…");
        return new UpstreamException(Kind.BROKEN_STREAM, 0, text, null, null);
    }

    /** The next token of a chunk, which holds a whole JSON value: running out of input inside it is malformed. */
    private static JsonToken next(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.NOT_AVAILABLE) throw malformed("the JSON ends early");
        return t;
    }

    private static UpstreamException malformed(String why) {
        return new UpstreamException(Kind.BROKEN_STREAM, 0, "malformed chunk: " + why, null, null);
    }
}
