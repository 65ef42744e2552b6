package dev.switchboard.llm.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.switchboard.llm.StreamSink;
import dev.switchboard.llm.TokenUsage;
import dev.switchboard.llm.UpstreamException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkStreamReaderTest {
    /** What the reader passed on, in order. */
    private static class Recorded implements StreamSink {
        final List<String> events = new ArrayList<>();
        @Override public void delta(String text) { events.add("delta " + text); }
        @Override public void usage(TokenUsage u) { events.add("usage " + u.promptTokens() + "+" + u.completionTokens()); }
        @Override public void servedModel(String model) { events.add("model " + model); }
    }

    /** A body that hands out at most {@code piece} bytes per read, as a socket may. */
    private static InputStream body(String text, int piece) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)) {
            @Override public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, piece));
            }
        };
    }

    private static ChunkStreamReader read(String text, int piece, Recorded into) throws IOException {
        ChunkStreamReader reader = new ChunkStreamReader(into, Duration.ZERO);
        reader.readAll(body(text, piece));
        return reader;
    }

    private static final String OPENAI_STREAM = """
            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}

            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}],"usage":null}

            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"content":", wörld \\u00e9 \\ud83d\\ude00 😀"},"logprobs":null,"finish_reason":null}],"usage":null}

            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}

            data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19,"prompt_tokens_details":{"cached_tokens":0}}}

            data: [DONE]

            """;

    @Test
    void anOpenAiStreamBecomesTheModelTheDeltasTheFinishAndTheUsage() throws IOException {
        Recorded r = new Recorded();
        ChunkStreamReader reader = read(OPENAI_STREAM, 8192, r);
        assertThat(r.events).containsExactly("model gpt-4o-2024-08-06", "delta Hello",
                "delta , wörld é 😀 😀", "usage 12+7");
        assertThat(reader.finishSeen()).isTrue();
        assertThat(reader.anyChunk()).isTrue();
    }

    @Test
    void aFirstReadOnOneThreadAndTheRestOnAnotherReadTheSameWhereverTheFirstReadEnds() throws Exception {
        Recorded whole = new Recorded();
        read(OPENAI_STREAM, 8192, whole);
        // Ends inside the first event's data line, on its blank line, in a CR LF, inside the second event, etc.
        for (int first : new int[] {1, 40, OPENAI_STREAM.indexOf("\n\n") + 1, OPENAI_STREAM.indexOf("\n\n") + 2, 300, 500}) {
            for (String eol : new String[] {"\n", "\r\n"}) {
                String text = OPENAI_STREAM.replace("\n", eol);
                Recorded r = new Recorded();
                ChunkStreamReader reader = new ChunkStreamReader(r, Duration.ZERO);
                InputStream in = body(text, first);
                assertThat(reader.readFirst(in)).isTrue();
                List<String> afterFirst = List.copyOf(r.events);
                // The rest on another thread, whose buffers hold another stream's bytes.
                Thread other = new Thread(() -> {
                    try {
                        read("data: {\"choices\":[{\"delta\":{\"content\":\"other stream's line, long enough to be in the way\"}}]}\n", 8192, new Recorded());
                        reader.readAll(new java.io.SequenceInputStream(in, InputStream.nullInputStream()) {
                            @Override public int read(byte[] b, int off, int len) throws IOException {
                                return super.read(b, off, Math.min(len, 7));
                            }
                        });
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                });
                other.start();
                other.join();

                assertThat(r.events).as("first read of %d bytes, %s", first, eol.length()).isEqualTo(whole.events);
                assertThat(whole.events.subList(0, afterFirst.size())).isEqualTo(afterFirst); // the first read's, at once
                assertThat(reader.finishSeen()).isTrue();
            }
        }
    }

    @Test
    void aBodyThatEndsAtTheFirstReadSaysSo() throws IOException {
        ChunkStreamReader reader = new ChunkStreamReader(new Recorded(), Duration.ZERO);
        assertThat(reader.readFirst(body("", 8192))).isFalse();
    }

    @Test
    void bytesArrivingOneAtATimeSplittingCharactersAndLinesReadTheSame() throws IOException {
        Recorded whole = new Recorded();
        read(OPENAI_STREAM, 8192, whole);
        for (int piece : new int[] {1, 2, 3, 7}) {
            Recorded r = new Recorded();
            read(OPENAI_STREAM.replace("\n", "\r\n"), piece, r);
            assertThat(r.events).as("CRLF in pieces of %d bytes", piece).isEqualTo(whole.events);
            Recorded cr = new Recorded();
            read(OPENAI_STREAM.replace("\n", "\r"), piece, cr);
            assertThat(cr.events).as("CR in pieces of %d bytes", piece).isEqualTo(whole.events);
        }
    }

    @Test
    void commentsOtherFieldsAndDataOverSeveralLinesFollowTheSseRules() throws IOException {
        Recorded r = new Recorded();
        read("""
                : keep-alive

                event: chunk
                id: 7
                retry: 100
                data: {"model":"m","choices":[{"delta":
                data:{"content":"a\\nb"},"finish_reason":null}]}

                data: {"choices":[{"delta":{"content":"c"},"finish_reason":"length"}]}

                """, 8192, r);
        assertThat(r.events).containsExactly("model m", "delta a\nb", "delta c");
    }

    @Test
    void everythingAfterDoneIsIgnoredAndTheBodyIsReadToItsEnd() throws IOException {
        Recorded r = new Recorded();
        InputStream in = body("""
                data: {"choices":[{"delta":{"content":"x"},"finish_reason":"stop"}]}

                data: [DONE]

                data: {"choices":[{"delta":{"content":"late"}}]}

                data: not even json

                """, 5);
        ChunkStreamReader reader = new ChunkStreamReader(r, Duration.ZERO);
        reader.readAll(in);
        assertThat(r.events).containsExactly("delta x");
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void anErrorEventEndsTheStreamWithItsMessageAfterWhatCameBefore() {
        Recorded r = new Recorded();
        assertThatThrownBy(() -> read("""
                data: {"choices":[{"delta":{"content":"partial"}}]}

                data: {"error":{"message":"The server is overloaded","type":"server_error","code":null}}

                """, 8192, r))
                .isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.kind()).isEqualTo(UpstreamException.Kind.BROKEN_STREAM);
                    assertThat(e.getMessage()).contains("error event").contains("The server is overloaded");
                });
        assertThat(r.events).containsExactly("delta partial");
    }

    @Test
    void aChunkThatIsNotJsonIsMalformedAndNothingOfItIsPassedOn() {
        Recorded r = new Recorded();
        Throwable broken = org.assertj.core.api.Assertions.catchThrowable(() -> read("""
                data: {"choices":[{"delta":{"content":"kept"}}]}

                data: {"choices":[{"delta":{"content":"lost"}}, this is not json

                """, 8192, r));
        assertThat(broken).isInstanceOf(JsonProcessingException.class);
        assertThat(OpenAiUpstream.classify(broken, true).getMessage()).contains("malformed chunk");
        assertThat(r.events).containsExactly("delta kept");

        // Each chunk must be exactly one whole object: one parser reads them all, so a cut-off one must not pass.
        for (String notAnObject : new String[] {"42", "[1,2]", "{\"choices\":[]} {}", "{\"choices\":[{\"delta\":{\"content\":\"x\"}}"}) {
            assertThatThrownBy(() -> read("data: " + notAnObject + "\n\n", 8192, new Recorded()))
                    .as(notAnObject).hasMessageContaining("malformed chunk");
        }
    }

    @Test
    void aChunkLargerThanTheReadBufferIsReadWhole() throws IOException {
        String big = "é".repeat(50_000);
        Recorded r = new Recorded();
        read("data: {\"choices\":[{\"delta\":{\"content\":\"" + big + "\"},\"finish_reason\":\"stop\"}]}\n\n", 4096, r);
        assertThat(r.events).containsExactly("delta " + big);
    }

    @Test
    void chunksWithoutChoicesNullContentOrIncompleteUsageAreNotErrors() throws IOException {
        Recorded r = new Recorded();
        ChunkStreamReader reader = read("""
                data: {"id":"x","model":""}

                data: {"model":"later","choices":[{"delta":{"content":null,"tool_calls":[{"index":0}]},"finish_reason":null}]}

                data: {"choices":[],"usage":{"total_tokens":5}}

                data: {"choices":null,"usage":null}

                """, 8192, r);
        // The model is taken from the first chunk only (it names the model once), blank means not said.
        assertThat(r.events).isEmpty();
        assertThat(reader.anyChunk()).isTrue();
        assertThat(reader.finishSeen()).isFalse();
    }

    /** Longer than what the outer stream had read when its first delta came. */
    private static final String LONG_FIRST_CHUNK = "data: {\"choices\":[{\"delta\":{\"content\":\"" + "x".repeat(2000) + "\"}}]}\n\n";

    @Test
    void aStreamReadFromWithinAnotherStreamsCallbackOnTheSameThreadLeavesTheOtherIntact() throws IOException {
        // Readers share their thread's buffers; the outer stream still has the rest of its body in its read buffer
        // when its first delta comes, and the inner one must not read into it.
        Recorded expected = new Recorded();
        read(OPENAI_STREAM, 8192, expected);
        Recorded inner = new Recorded();
        Recorded outer = new Recorded() {
            @Override public void delta(String text) {
                super.delta(text);
                if (inner.events.isEmpty()) {
                    try {
                        read(LONG_FIRST_CHUNK + OPENAI_STREAM, 8192, inner);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };
        read(OPENAI_STREAM, 8192, outer);
        assertThat(outer.events).isEqualTo(expected.events);
        assertThat(inner.events).containsExactly("delta " + "x".repeat(2000), "delta Hello", "delta , wörld é 😀 😀", "usage 12+7");
    }

    @Test
    void aLastEventWithoutItsBlankLineIsDropped() throws IOException {
        Recorded r = new Recorded();
        read("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"b\"}}]}", 8192, r);
        assertThat(r.events).containsExactly("delta a");
    }
}
