package dev.switchboard.llm.openai;

import dev.switchboard.llm.StreamSink;
import dev.switchboard.llm.TokenUsage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read interval: after the first chunk, a reader that caught up with a trickling upstream waits before reading
 * again, so the chunks of that time come in one read. Nothing is lost or reordered, and the first chunk never waits.
 */
class ChunkStreamReaderPacingTest {
    private static final int CHUNKS = 20;

    @Test
    void aTrickleOfChunksIsTakenInFewReadsWithNothingLostOrReordered() throws Exception {
        Trickle t = new Trickle(5);
        CopyOnWriteArrayList<String> deltas = new CopyOnWriteArrayList<>();
        AtomicInteger caughtUp = new AtomicInteger();
        ChunkStreamReader reader = new ChunkStreamReader(sink(deltas, caughtUp), Duration.ofMillis(50));

        reader.readAll(t.in);

        assertThat(deltas).containsExactlyElementsOf(expected());
        assertThat(reader.finishSeen()).isTrue();
        assertThat(caughtUp.get()).as("a signal before each wait, so batches can be written").isPositive();
        // 20 chunks 5 ms apart, read at most every 50 ms after the first: a handful of reads, not one per chunk.
        assertThat(t.readsWithData.get()).isLessThanOrEqualTo(10);
    }

    @Test
    void withoutAReadIntervalEachChunkIsReadAsItArrives() throws Exception {
        Trickle t = new Trickle(5);
        CopyOnWriteArrayList<String> deltas = new CopyOnWriteArrayList<>();

        AtomicInteger caughtUp = new AtomicInteger();
        new ChunkStreamReader(sink(deltas, caughtUp), Duration.ZERO).readAll(t.in);

        assertThat(deltas).containsExactlyElementsOf(expected());
        assertThat(caughtUp.get()).isZero();
        assertThat(t.readsWithData.get()).isGreaterThan(10);
    }

    @Test
    void theFirstChunkIsPassedOnAtOnceHoweverLongTheReadInterval() throws Exception {
        PipedOutputStream out = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(out, 64 * 1024);
        CompletableFuture<Long> firstDelta = new CompletableFuture<>();
        CopyOnWriteArrayList<String> deltas = new CopyOnWriteArrayList<>();
        StreamSink sink = new StreamSink() {
            @Override public void delta(String text) {
                deltas.add(text);
                firstDelta.complete(System.nanoTime());
            }
            @Override public void usage(TokenUsage u) { }
        };
        ChunkStreamReader reader = new ChunkStreamReader(sink, Duration.ofSeconds(2));
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            try {
                reader.readAll(in);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });

        Thread.sleep(100); // the reader is now blocked in its first read
        long written = System.nanoTime();
        out.write(chunk(0, null));
        out.flush();
        long waitedMillis = (firstDelta.get(5, TimeUnit.SECONDS) - written) / 1_000_000;
        out.write(chunk(1, "stop"));
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
        out.close();
        done.get(10, TimeUnit.SECONDS);

        assertThat(waitedMillis).isLessThan(1000); // not held for the 2 s interval
        assertThat(deltas).containsExactly("t0", "t1");
    }

    /** An upstream that writes {@link #CHUNKS} chunks {@code gapMillis} apart, then the finish and [DONE]. */
    private static final class Trickle {
        final AtomicInteger readsWithData = new AtomicInteger();
        final InputStream in;

        Trickle(long gapMillis) throws IOException {
            PipedOutputStream out = new PipedOutputStream();
            PipedInputStream piped = new PipedInputStream(out, 64 * 1024);
            in = new InputStream() {
                @Override public int read() throws IOException { return piped.read(); }

                @Override public int read(byte[] b, int off, int len) throws IOException {
                    int n = piped.read(b, off, len);
                    if (n > 0) readsWithData.incrementAndGet();
                    return n;
                }
            };
            Thread writer = new Thread(() -> {
                try (out) {
                    for (int i = 0; i < CHUNKS; i++) {
                        out.write(chunk(i, i == CHUNKS - 1 ? "stop" : null));
                        out.flush();
                        Thread.sleep(gapMillis);
                    }
                    out.write("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.setDaemon(true);
            writer.start();
        }
    }

    private static byte[] chunk(int i, String finish) {
        String f = finish == null ? "null" : "\"" + finish + "\"";
        return ("data: {\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"t" + i + "\"},\"finish_reason\":" + f
                + "}]}\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> expected() {
        return java.util.stream.IntStream.range(0, CHUNKS).mapToObj(i -> "t" + i).toList();
    }

    private static StreamSink sink(List<String> deltas, AtomicInteger caughtUp) {
        return new StreamSink() {
            @Override public void delta(String text) { deltas.add(text); }
            @Override public void usage(TokenUsage u) { }
            @Override public void caughtUp() { caughtUp.incrementAndGet(); }
        };
    }
}
