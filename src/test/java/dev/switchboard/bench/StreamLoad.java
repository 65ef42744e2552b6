package dev.switchboard.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Opens C concurrent SSE streams against a chat-completions-like endpoint and times each one: time to the first
 * content event and to the end. Works for the mock upstream (OpenAI chunks) and for /api/chat (seed events).
 */
final class StreamLoad {
    /** The timing of C concurrent streams. */
    record Result(int concurrency, List<Long> ttftMicros, List<Long> totalMicros, int errors, double seconds,
                  Map<String, Integer> errorKinds) {
        double streamsPerSecond() { return totalMicros.size() / seconds; }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30)).build();

    Result run(String url, String authorization, String body, int concurrency) throws InterruptedException {
        List<Long> ttft = Collections.synchronizedList(new ArrayList<>());
        List<Long> total = Collections.synchronizedList(new ArrayList<>());
        Map<String, Integer> kinds = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(concurrency);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        for (int i = 0; i < concurrency; i++) {
            pool.execute(() -> {
                try {
                    start.await();
                    long t0 = System.nanoTime();
                    HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5))
                            .header("Content-Type", "application/json").header("Authorization", authorization)
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    HttpResponse<java.io.InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
                    if (r.statusCode() != 200) {
                        r.body().close();
                        kinds.merge("HTTP " + r.statusCode(), 1, Integer::sum);
                        return;
                    }
                    long first = -1;
                    boolean sawDone = false;
                    String error = null;
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            if (first < 0 && line.contains("\"content\"")) first = System.nanoTime();
                            if (line.startsWith("data: {\"error\"")) error = line.substring(6, Math.min(line.length(), 160));
                            if (line.equals("data: [DONE]")) sawDone = true;
                        }
                    }
                    long end = System.nanoTime();
                    if (!sawDone || error != null || first < 0) {
                        kinds.merge(error != null ? error : !sawDone ? "no [DONE]" : "no content", 1, Integer::sum);
                        return;
                    }
                    ttft.add((first - t0) / 1_000);
                    total.add((end - t0) / 1_000);
                } catch (Exception e) {
                    kinds.merge(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), 1, Integer::sum);
                } finally {
                    done.countDown();
                }
            });
        }
        long t0 = System.nanoTime();
        start.countDown();
        done.await();
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        int errors = kinds.values().stream().mapToInt(Integer::intValue).sum();
        return new Result(concurrency, new ArrayList<>(ttft), new ArrayList<>(total), errors, seconds, new TreeMap<>(kinds));
    }

    /** {@link #run} repeated until at least {@code minSamples} streams were timed (for low concurrency). */
    Result repeat(String url, String authorization, String body, int concurrency, int minSamples) throws InterruptedException {
        List<Long> ttft = new ArrayList<>();
        List<Long> total = new ArrayList<>();
        Map<String, Integer> kinds = new TreeMap<>();
        double seconds = 0;
        int errors = 0;
        for (int n = 0; n < Math.max(1, minSamples); n += concurrency) {
            Result r = run(url, authorization, body, concurrency);
            ttft.addAll(r.ttftMicros());
            total.addAll(r.totalMicros());
            r.errorKinds().forEach((k, v) -> kinds.merge(k, v, Integer::sum));
            errors += r.errors();
            seconds += r.seconds();
        }
        return new Result(concurrency, ttft, total, errors, seconds, kinds);
    }

    static long percentile(List<Long> values, double p) {
        if (values.isEmpty()) return -1;
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
