package dev.switchboard.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens C concurrent SSE streams against a chat-completions-like endpoint and times each one: time to the first
 * content event and to the end. Works for the mock upstream (OpenAI chunks) and for /api/chat (seed events).
 * Connections are kept alive and reused; with {@code newConnections} every stream opens its own and says
 * {@code Connection: close}, as curl and HTTP/1.0 clients do.
 */
final class StreamLoad {
    /**
     * The timing of C concurrent streams; streamsRun also counts streams that ran but were not timed (a sustained
     * run's ramp-up and tail), since they cost CPU all the same.
     */
    record Result(int concurrency, List<Started> started, List<Long> totalMicros, int errors, double seconds,
                  Map<String, Integer> errorKinds, int streamsRun, List<Long> toUpstreamMicros, List<Long> fromUpstreamMicros) {
        double streamsPerSecond() { return totalMicros.size() / seconds; }

        List<Long> ttftMicros() { return started.stream().map(Started::ttftMicros).toList(); }
    }

    /** When a timed stream started (wall clock, as the app's GC log has it) and its time to first token. */
    record Started(long epochMillis, long ttftMicros) {
    }

    /** A stream silent this long counts as an error rather than holding a run up (no socket timeout: see SseClient). */
    private static final long STALL_NANOS = 30_000_000_000L;
    private final Set<SseClient> busy = ConcurrentHashMap.newKeySet();
    /** Numbers the streams for {@link #MARK} in their bodies, so the mock can say when each reached it. */
    private final AtomicLong streams = new AtomicLong();
    private final BenchUpstream upstream;
    private final boolean newConnections;
    /** Runs at the first stall, while the stalled stream's server side is still as it was (a thread dump). */
    private volatile Runnable stallProbe = () -> { };
    private final AtomicBoolean firstStall = new AtomicBoolean();

    /**
     * Replaced in a request body by the stream's number ("req-N-"): the mock notes when that request reached it,
     * which splits a first token's time into before the upstream has the request and after its first chunk.
     */
    static final String MARK = "#SEQ#";

    /** For an upstream that is not the paced mock: first tokens are not split. */
    StreamLoad() {
        this(null, false);
    }

    StreamLoad(BenchUpstream upstream, boolean newConnections) {
        this.upstream = upstream;
        this.newConnections = newConnections;
        Thread check = new Thread(() -> {
            while (true) {
                long now = System.nanoTime();
                busy.forEach(c -> {
                    if (c.closeIfStalled(now, STALL_NANOS) && firstStall.compareAndSet(false, true)) stallProbe.run();
                });
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "stream-stall-check");
        check.setDaemon(true);
        check.start();
    }

    void onFirstStall(Runnable probe) {
        stallProbe = probe;
    }

    /** Kept-alive connections per URL and credentials, most recently used first. */
    private final Map<String, Deque<SseClient>> pools = new ConcurrentHashMap<>();

    /** C streams started at the same instant (a burst: the worst case for admission). */
    Result run(String url, String authorization, String body, int concurrency) throws InterruptedException {
        Timings t = new Timings();
        CountDownLatch start = new CountDownLatch(1);
        String[] auths = authorization.split("\\|");
        CountDownLatch done = clients(concurrency, i -> {
            start.await();
            stream(url, auths[i % auths.length], body, t);
        });
        long t0 = System.nanoTime();
        start.countDown();
        done.await();
        return t.result(concurrency, (System.nanoTime() - t0) / 1e9, concurrency);
    }

    /**
     * C streams in flight at all times for {@code measured} (closed loop: each of C clients starts its next stream
     * when the last one ends), as a load tool with C users measures. The clients start spread over one stream's
     * length, so streams begin and end at random moments as with real users; only streams started inside the
     * measured window, after {@code rampUp}, are timed.
     */
    Result sustain(String url, String authorization, String body, int concurrency, Duration spread, Duration rampUp,
                   Duration measured) throws InterruptedException {
        Timings timed = new Timings();
        Timings ignored = new Timings();
        long from = System.nanoTime() + spread.toNanos() + rampUp.toNanos();
        long until = from + measured.toNanos();
        String[] auths = authorization.split("\\|"); // one credential per user; client i is user i
        clients(concurrency, i -> {
            long offset = spread.toNanos() * i / concurrency;
            Thread.sleep(offset / 1_000_000, (int) (offset % 1_000_000));
            long now;
            String auth = auths[i % auths.length];
            while ((now = System.nanoTime()) < until) stream(url, auth, body, now >= from ? timed : ignored);
        }).await();
        return timed.result(concurrency, measured.toNanos() / 1e9, timed.count() + ignored.count());
    }

    /** What one of C clients does; {@code i} is its number. */
    private interface Client {
        void run(int i) throws InterruptedException;
    }

    /** Starts C client threads; the latch opens when all have ended. */
    private static CountDownLatch clients(int concurrency, Client client) {
        CountDownLatch done = new CountDownLatch(concurrency);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        for (int i = 0; i < concurrency; i++) {
            int n = i;
            pool.execute(() -> {
                try {
                    client.run(n);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        pool.shutdown(); // the submitted clients still run; the threads end with them
        return done;
    }

    /** One stream, timed into {@code t}: time to the first content event and to the end, or why it failed. */
    private void stream(String url, String authorization, String body, Timings t) throws InterruptedException {
        String key = url + " " + authorization;
        Deque<SseClient> idle = pools.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
        SseClient client = idle.pollFirst();
        // A connection idle for 10 s is not reused: Tomcat closes idle ones after 20 s, and a POST racing that close
        // would count as an error of the app.
        while (client != null && System.nanoTime() - client.lastUsedNanos > 10_000_000_000L) {
            client.close();
            client = idle.pollFirst();
        }
        if (client == null) client = new SseClient(URI.create(url), authorization, newConnections);
        busy.add(client);
        try {
            long n = streams.incrementAndGet();
            byte[] bytes = body.replace(MARK, "req-" + n + "-").getBytes(StandardCharsets.UTF_8);
            long startedAt = System.currentTimeMillis();
            long t0 = System.nanoTime();
            SseClient.Answer a = client.post(bytes);
            long end = System.nanoTime();
            if (a.status() != 200) {
                t.kinds.merge("HTTP " + a.status(), 1, Integer::sum);
            } else if (!a.sawDone() || a.error() != null || a.firstContentNanos() < 0) {
                t.kinds.merge(a.error() != null ? a.error() : !a.sawDone() ? "no [DONE]" : "no content", 1, Integer::sum);
            } else {
                t.started.add(new Started(startedAt, (a.firstContentNanos() - t0) / 1_000));
                t.total.add((end - t0) / 1_000);
                if (upstream != null) t.marks.add(new long[] {n, t0, a.firstContentNanos()});
            }
        } catch (Exception e) {
            client.close();
            String kind = client.stalled ? "no byte for 30 s " + client.stage() : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            t.kinds.merge(kind, 1, Integer::sum);
        } finally {
            busy.remove(client);
            if (!newConnections && client.reusable()) idle.offerFirst(client);
            else client.close();
        }
        if (Thread.currentThread().isInterrupted()) throw new InterruptedException();
    }

    /** What the streams of one run collected, from many client threads. */
    private final class Timings {
        final List<Long> total = Collections.synchronizedList(new ArrayList<>());
        final List<Long> toUpstream = Collections.synchronizedList(new ArrayList<>());
        final List<Long> fromUpstream = Collections.synchronizedList(new ArrayList<>());
        final List<Started> started = Collections.synchronizedList(new ArrayList<>());
        /** Per timed stream: its number, when it was sent and when its first content came (nanoTime). */
        final List<long[]> marks = Collections.synchronizedList(new ArrayList<>());
        final Map<String, Integer> kinds = new ConcurrentHashMap<>();

        /**
         * Splits each timed first token where its request reached the mock: asked once the streams have ended, so
         * asking a mock in another process costs no measured stream anything.
         */
        void split() {
            if (marks.isEmpty()) return;
            Map<Long, Long> reached = upstream.drainReceived();
            for (long[] m : marks) {
                Long at = reached.get(m[0]);
                if (at == null) continue;
                toUpstream.add((at - m[1]) / 1_000);
                fromUpstream.add((m[2] - at) / 1_000);
            }
            marks.clear();
        }

        int errors() {
            return kinds.values().stream().mapToInt(Integer::intValue).sum();
        }

        int count() {
            return total.size() + errors();
        }

        Result result(int concurrency, double seconds, int streamsRun) {
            split();
            return new Result(concurrency, new ArrayList<>(started), new ArrayList<>(total), errors(), seconds, new TreeMap<>(kinds), streamsRun,
                    new ArrayList<>(toUpstream), new ArrayList<>(fromUpstream));
        }
    }

    /** {@link #run} repeated until at least {@code minSamples} streams were timed (for low concurrency). */
    Result repeat(String url, String authorization, String body, int concurrency, int minSamples) throws InterruptedException {
        List<Long> total = new ArrayList<>();
        List<Long> to = new ArrayList<>();
        List<Long> from = new ArrayList<>();
        List<Started> started = new ArrayList<>();
        Map<String, Integer> kinds = new TreeMap<>();
        double seconds = 0;
        int errors = 0;
        int streams = 0;
        for (int n = 0; n < Math.max(1, minSamples); n += concurrency) {
            Result r = run(url, authorization, body, concurrency);
            total.addAll(r.totalMicros());
            to.addAll(r.toUpstreamMicros());
            from.addAll(r.fromUpstreamMicros());
            started.addAll(r.started());
            r.errorKinds().forEach((k, v) -> kinds.merge(k, v, Integer::sum));
            errors += r.errors();
            seconds += r.seconds();
            streams += r.streamsRun();
        }
        return new Result(concurrency, started, total, errors, seconds, kinds, streams, to, from);
    }

    static long percentile(List<Long> values, double p) {
        if (values.isEmpty()) return -1;
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
