package dev.switchboard.bench;

import dev.switchboard.llm.offline.Behavior;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one-command benchmark (README, "Performance"): the production jar and a fast mock upstream on a real socket;
 * the same streams straight to the mock and through POST /api/chat at each concurrency; then failover latency and the
 * browser-side probes. Prints a markdown table. Not a test: numbers are printed, never asserted.
 *
 * <p>System properties: bench.concurrency (1,64,256,1000; empty: no streams), bench.tokens (50), bench.tps (100, tokens/s
 * per stream), bench.ttftMs (0), bench.heap (512m), bench.rounds (3), bench.seconds (30, per sustained run), bench.jar
 * (target/switchboard-*.jar), bench.browser (true), bench.failover (true), bench.appArgs (more arguments for the app, to
 * try a setting), bench.warmBurstSeconds (120, the most burst warm-up), bench.warmSeconds (900, the most sustained
 * warm-up) and bench.warmJit (0.005: it ends once a 10 s round costs the JIT less of a core than this), and:
 * <ul>
 * <li>bench.users (1): the streams' users, client i being user i modulo this; with more than one, each is a new USER
 *     with a token, so per-user limits (a quota, a rate) apply per user as with real traffic.</li>
 * <li>bench.db (h2): {@code postgres} runs the app on PostgreSQL ({@link BenchDatabase}); with a quota and a rate limit
 *     in bench.appArgs, every request then checks both there, and usage rows are written there.</li>
 * <li>bench.streams (true): false skips the stream measurements (no mock, no app for them), so the browser probe
 *     and the failover probe can run alone; an empty bench.concurrency does the same.</li>
 * <li>bench.bursts (true): false measures sustained load only.</li>
 * <li>bench.mockProcess (true): the paced mock in a JVM of its own ({@link MockProcess}), so its CPU and GC are not in
 *     the client's JVM; false runs it in the bench's JVM as before. The split of the first token where the request
 *     reaches the mock works either way (the mock reports its arrival times over HTTP after each run).</li>
 * <li>bench.newConnections (false): every stream on a new TCP connection with {@code Connection: close}, as curl and
 *     HTTP/1.0 clients do, and the mock closes its connection after each stream (no keep-alive), so the app opens a
 *     new upstream connection per stream as well.</li>
 * </ul>
 *
 * <p>The stream tables end with one summary line per sustained concurrency, the line an A/B comparison needs:
 * {@code RESULT C=256 sustained added p50 / p99: 0.80 / 4.10 ms, app CPU per stream: 1.50 ms (0 errors, jar …)}.
 *
 * <p><b>Quick A/B pair</b> (C=256 sustained, ≤ 4 minutes a run; build both jars first and copy them out of target/):
 * <pre>
 * Q="-Dbench.concurrency=256 -Dbench.bursts=false -Dbench.warmBurstSeconds=15 -Dbench.warmSeconds=40 -Dbench.seconds=30
 *    -Dbench.browser=false -Dbench.failover=false"
 * ./mvnw -q -Pbench -DskipTests test-compile exec:java@benchmark $Q -Dbench.jar=/tmp/a.jar | grep RESULT
 * ./mvnw -q -Pbench -DskipTests test-compile exec:java@benchmark $Q -Dbench.jar=/tmp/b.jar | grep RESULT
 * </pre>
 * About 3.5 minutes a run plus Maven's start (the same with warmSeconds=60 took 242 s on a loaded machine); the
 * last line says how long it took. Run the pair twice, as A B B A: one run's p50 moves by a few tenths of a
 * millisecond with this machine's hour.
 *
 * <p>Only the browser and failover probes: {@code -Dbench.streams=false}; only the failover probe: add
 * {@code -Dbench.browser=false}. Only Send → first token visible in the browser (BrowserProbe#sendLatency):
 * {@code -Dbench.streams=false -Dbench.failover=false -Dbench.tabs=0 -Dbench.pushRate=false} (bench.sends, 30, sets
 * the number of sends; bench.sendDetail=true prints each send's timeline).
 */
public final class Benchmark {
    /** Low concurrencies repeat rounds so percentiles rest on at least this many streams (C=1: 20 in a row). */
    private static final int MIN_SAMPLES = 20;
    /**
     * Every concurrency is measured as this many bursts (bench.rounds): one burst of 256 gave an added TTFT p50
     * anywhere from 2 to 115 ms from run to run, depending on where GC and the JIT fell.
     */
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final String CHAT = "{\"model\": \"gpt-5.5\", \"messages\": [{\"role\": \"user\", \"content\": \"" + StreamLoad.MARK + "Benchmark me, please.\"}]}";
    /**
     * bench.api: the endpoint measured through the app: {@code chat} (POST /api/chat, the default), {@code v1}
     * (POST /v1/chat/completions, streamed) or {@code v1-sync} (the same, not streamed: its "first token" is the
     * whole answer, so compare its "stream p50" with the direct stream's end).
     */
    private static final String API = System.getProperty("bench.api", "chat");
    private static final String APP_PATH = API.startsWith("v1") ? "/v1/chat/completions" : "/api/chat";
    private static final String APP_BODY = switch (API) {
        case "v1" -> CHAT.replace("{\"model\"", "{\"stream\": true, \"model\"");
        case "v1-sync" -> CHAT.replace("{\"model\"", "{\"stream\": false, \"model\"");
        default -> CHAT;
    };

    public static void main(String[] args) throws Exception {
        long began = System.nanoTime();
        int[] levels = Arrays.stream(System.getProperty("bench.concurrency", "1,64,256,1000").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        boolean streams = Boolean.parseBoolean(System.getProperty("bench.streams", "true")) && levels.length > 0;
        int tokens = Integer.getInteger("bench.tokens", 50);
        double tps = Double.parseDouble(System.getProperty("bench.tps", "100"));
        long ttftMs = Long.getLong("bench.ttftMs", 0);
        String heap = System.getProperty("bench.heap", "512m");
        Path jar = findJar();
        Behavior behavior = Behavior.fast().withReplyTokens(tokens).withTokensPerSecond(tps)
                .withFirstTokenDelay(Duration.ofMillis(ttftMs));

        System.out.printf("# Switchboard benchmark, %s, %d cores, %s; mock: %d tokens at %.0f tokens/s, TTFT %d ms; app -Xmx%s on %s; jar %s%n%n",
                LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), tokens, tps, ttftMs, heap,
                BenchDatabase.postgres() ? "PostgreSQL" : "H2", jar);
        if (streams) streams(jar, heap, levels, tokens, tps, ttftMs);
        if (Boolean.parseBoolean(System.getProperty("bench.browser", "true"))) {
            // A fresh app: after 1,000 streams the heap still shrinks for a while (pools, queues), which made the
            // per-tab difference meaningless when measured on the loaded instance.
            BrowserProbe.run(jar, heap);
        }
        if (Boolean.parseBoolean(System.getProperty("bench.failover", "true"))) FailoverProbe.report(jar, heap, behavior);
        BenchDatabase.close(); // not left to its shutdown hook: exec:java closes the classes it needs first
        System.out.printf("Benchmark took %.0f s.%n", (System.nanoTime() - began) / 1e9);
    }

    /** The stream tables: the same streams straight to the mock and through the app, sustained and in bursts. */
    private static void streams(Path jar, String heap, int[] levels, int tokens, double tps, long ttftMs) throws Exception {
        boolean mockProcess = Boolean.parseBoolean(System.getProperty("bench.mockProcess", "true"));
        boolean newConnections = Boolean.parseBoolean(System.getProperty("bench.newConnections", "false"));
        System.out.printf("Through the app: POST %s%s. Mock upstream %s; %s.%n%n", APP_PATH,
                "v1-sync".equals(API) ? ", not streamed (its first token is the whole answer)" : "", mockProcess ? "in its own JVM" : "in the bench's JVM",
                newConnections ? "a new connection per stream (the client sends Connection: close, the mock closes after each stream)"
                        : "connections kept alive (client → app, app → mock, client → mock)");
        try (BenchUpstream mock = mockProcess ? new MockProcess(tokens, tps, ttftMs, !newConnections)
                : new PacedMockUpstream(0, tokens, tps, ttftMs, !newConnections);
             AppProcess app = new AppProcess(jar, heap, upstreamArgs(0, "mock", mock.baseUrl(), mock.apiKey()))) {
            String bearer = app.bearerTokens(Integer.getInteger("bench.users", 1));
            String direct = mock.baseUrl() + "/chat/completions";
            String directBody = "{\"model\": \"gpt-5.5\", \"stream\": true, \"stream_options\": {\"include_usage\": true}, "
                    + "\"messages\": [{\"role\": \"user\", \"content\": \"" + StreamLoad.MARK + "Benchmark me, please.\"}]}";
            StreamLoad load = new StreamLoad(mock, newConnections);
            load.onFirstStall(app::dumpThreads);
            // Warm up both paths (JIT, pools) before measuring, as a server that has run for a while is: profiles
            // of a fixed short warm-up showed the JIT compilers using a quarter of the CPU during the measured runs.
            // Rounds at C=256 go on until a round costs the JIT under 2 % of one core (at most 2 minutes).
            List<String> errors = new ArrayList<>();
            for (int c : new int[] {32, 64, 128}) {
                warm(errors, "direct", load.run(direct, "Bearer " + mock.apiKey(), directBody, c));
                warm(errors, "app", load.run(app.base() + APP_PATH, bearer, APP_BODY, c));
            }
            Settled bursts = settle(app, 0.02, Duration.ofSeconds(Long.getLong("bench.warmBurstSeconds", 120)), () -> { }, () -> {
                warm(errors, "direct", load.run(direct, "Bearer " + mock.apiKey(), directBody, 256));
                warm(errors, "app", load.run(app.base() + APP_PATH, bearer, APP_BODY, 256));
            });
            Duration streamLength = Duration.ofMillis((long) (tokens * 1000 / tps));
            // Then sustained load, 10 s per path at a time, until the JIT is done: streams starting and ending at
            // random moments take paths that bursts do not, and the usage writer's and H2's code, run ~10 times a
            // second, reaches the C2 thresholds only after many minutes. Ended at 3 % of a core, the measured windows
            // still had 1-6 % (C2 compiling on one of two cores); a server that has run for a while no longer
            // compiles, so the warm-up goes on until a round costs the JIT under 0.5 % (bench.warmJit,
            // bench.warmSeconds).
            double jitSettled = Double.parseDouble(System.getProperty("bench.warmJit", "0.005"));
            Settled sustained = settle(app, jitSettled, Duration.ofSeconds(Long.getLong("bench.warmSeconds", 900)),
                    () -> warm(errors, "direct", load.sustain(direct, "Bearer " + mock.apiKey(), directBody, 256, streamLength, Duration.ZERO, Duration.ofSeconds(10))),
                    () -> warm(errors, "app", load.sustain(app.base() + APP_PATH, bearer, APP_BODY, 256, streamLength, Duration.ZERO, Duration.ofSeconds(10))));
            System.out.printf("Warm-up: 3 rounds at C=32/64/128, then %d bursts at C=256 (%.0f s) until the JIT took %.1f %% of a core, "
                    + "then %d rounds of 10 s sustained at C=256 per path (%.0f s) until it took %.1f %%.%n%n",
                    bursts.rounds(), bursts.seconds(), bursts.jitShare() * 100, sustained.rounds(), sustained.seconds(),
                    sustained.jitShare() * 100);
            // 30 s: p99 at C=256 is then the 150th slowest of ~15,000 streams and spans ~7 young GCs. Over 10 s
            // windows of one run it ranged 3.2-6.0 ms, as 2 or 3 pauses fell into the window.
            Duration window = Duration.ofSeconds(Long.getLong("bench.seconds", 30));
            System.out.printf("Sustained: C streams in flight at all times for %d s (each client starts its next stream when "
                    + "the last ends; clients started spread over %d ms, 2 s ramp-up not timed).%n%n", window.toSeconds(), streamLength.toMillis());
            Target target = new Target(app, bearer, direct, "Bearer " + mock.apiKey(), directBody);
            List<Row> sustainedRows = measure(levels, target, errors, "sustained", (url, auth, body, c) ->
                    load.sustain(url, auth, body, c, streamLength, Duration.ofSeconds(2), window));
            if (Boolean.parseBoolean(System.getProperty("bench.bursts", "true"))) {
                System.out.printf("%nBursts: C streams started at the same instant, %d bursts per C (C=1: %d in a row).%n%n", ROUNDS, MIN_SAMPLES);
                measure(levels, target, errors, "burst", (url, auth, body, c) ->
                        load.repeat(url, auth, body, c, Math.max(MIN_SAMPLES, ROUNDS * c)));
            }
            errors.forEach(e -> System.out.println("- " + e));
            System.out.println();
            // The line an A/B comparison of two jars needs, per sustained concurrency (grep RESULT).
            for (Row r : sustainedRows) {
                System.out.printf("RESULT C=%d sustained added p50 / p99: %.2f / %.2f ms, app CPU per stream: %.2f ms (%d errors%s, jar %s)%n",
                        r.concurrency(), r.addedP50Micros() / 1000.0, r.addedP99Micros() / 1000.0, r.cpuPerStreamMillis(), r.errors(),
                        newConnections ? ", new connection per stream" : "", jar.getFileName());
            }
            System.out.println();
        }
    }

    /** What the A/B summary line takes from a table row. */
    private record Row(int concurrency, long addedP50Micros, long addedP99Micros, double cpuPerStreamMillis, int errors) { }

    /** One step of a warm-up round. */
    private interface Step {
        void run() throws InterruptedException;
    }

    /** How a warm-up ended: after how many rounds and seconds, with the JIT's last share of a core. */
    private record Settled(int rounds, double seconds, double jitShare) { }

    /**
     * Warm-up rounds ({@code before}, then {@code measured}) until the app's JIT compilers take at most
     * {@code maxShare} of a core while {@code measured} runs, or {@code limit} has passed.
     */
    private static Settled settle(AppProcess app, double maxShare, Duration limit, Step before, Step measured) throws Exception {
        long start = System.nanoTime();
        int rounds = 0;
        double share;
        do {
            before.run();
            long jit0 = app.jitCpuMillis();
            long t0 = System.nanoTime();
            measured.run();
            share = Math.max(0, app.jitCpuMillis() - jit0) / ((System.nanoTime() - t0) / 1e6);
            rounds++;
        } while (share > maxShare && System.nanoTime() - start < limit.toNanos());
        return new Settled(rounds, (System.nanoTime() - start) / 1e9, share);
    }

    /** Warm-up errors are listed with the others: they would otherwise only show as a slow warm-up. */
    private static void warm(List<String> errors, String path, StreamLoad.Result r) {
        r.errorKinds().forEach((k, n) -> errors.add("warm-up C=" + r.concurrency() + " " + path + ": " + n + " × " + k));
    }

    /** One way of loading the app and the mock, the same for both. */
    private interface Load {
        StreamLoad.Result run(String url, String authorization, String body, int concurrency) throws InterruptedException;
    }

    /** The same streams straight to the mock, then through the app, per concurrency: one table row each. */
    private static List<Row> measure(int[] levels, Target target, List<String> errors, String mode, Load load) throws Exception {
        List<Row> rows = new ArrayList<>();
        System.out.println("| C | TTFT p50 direct | TTFT p50 app | added p50 | TTFT p99 direct | TTFT p99 app | added p99 "
                + "| stream p50 | stream p99 | streams/s | errors | heap after young GC | threads | app CPU | of which JIT | app CPU per stream, JIT aside | machine busy |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        AppProcess app = target.app();
        List<String> split = new ArrayList<>();
        List<String> gc = new ArrayList<>();
        for (int c : levels) {
            StreamLoad.Result d = load.run(target.direct(), target.directAuth(), target.directBody(), c);
            long cpu0 = app.cpuMillis();
            long jit0 = app.jitCpuMillis();
            long[] machine0 = machineTicks();
            int[] peakThreads = {app.liveThreads()};
            Thread sampler = sampleThreads(app, peakThreads);
            long t0 = System.nanoTime();
            StreamLoad.Result a = load.run(app.base() + APP_PATH, target.bearer(), APP_BODY, c);
            double seconds = (System.nanoTime() - t0) / 1e9;
            sampler.interrupt();
            long[] machine1 = machineTicks();
            double ticks = Math.max(1, machine1[1] - machine0[1]);
            long cpu = app.cpuMillis() - cpu0;
            long jit = Math.max(0, app.jitCpuMillis() - jit0);
            // Not a forced full GC: it shrank the heap for the next concurrency (GcPauses.usedAfterLastYoungKb).
            List<GcPauses.Pause> pauses = GcPauses.read(app.gcLog);
            long heapKb = GcPauses.usedAfterLastYoungKb(pauses, System.currentTimeMillis());
            System.out.printf("| %d | %s | %s | %s | %s | %s | %s | %s | %s | %.0f | %d | %d MB | %d | %.0f%% of 1 core | %.0f%% | %.2f ms | %.0f%% (%.0f%% steal) |%n",
                    c, ms(p(d.ttftMicros(), 50)), ms(p(a.ttftMicros(), 50)), ms(p(a.ttftMicros(), 50) - p(d.ttftMicros(), 50)),
                    ms(p(d.ttftMicros(), 99)), ms(p(a.ttftMicros(), 99)), ms(p(a.ttftMicros(), 99) - p(d.ttftMicros(), 99)),
                    ms(p(a.totalMicros(), 50)), ms(p(a.totalMicros(), 99)), a.streamsPerSecond(), a.errors() + d.errors(),
                    heapKb / 1024, peakThreads[0], 100.0 * cpu / (seconds * 1000), 100.0 * jit / (seconds * 1000),
                    // The steadiest measure of the app's own cost: the JIT's share and the load's timing vary by run.
                    (double) (cpu - jit) / Math.max(1, a.streamsRun()),
                    // App, mock and client share the cores: near 100 % every new stream queues for a CPU.
                    100.0 * (machine1[0] - machine0[0]) / ticks, 100.0 * (machine1[2] - machine0[2]) / ticks);
            System.out.flush();
            rows.add(new Row(c, p(a.ttftMicros(), 50) - p(d.ttftMicros(), 50), p(a.ttftMicros(), 99) - p(d.ttftMicros(), 99),
                    (double) (cpu - jit) / Math.max(1, a.streamsRun()), a.errors() + d.errors()));
            split.add(String.format("| %d | %s | %s | %s | %s |", c, p50p99(d.toUpstreamMicros()), p50p99(a.toUpstreamMicros()),
                    p50p99(d.fromUpstreamMicros()), p50p99(a.fromUpstreamMicros())));
            gc.add(GcPauses.row(c, pauses, a.started(), p(d.ttftMicros(), 50)));
            d.errorKinds().forEach((k, n) -> errors.add("C=" + c + " " + mode + " direct: " + n + " × " + k));
            a.errorKinds().forEach((k, n) -> errors.add("C=" + c + " " + mode + " app: " + n + " × " + k));
        }
        // The mock notes when each request reached it (System.nanoTime: one clock for all processes on Linux): the app's added time
        // before the upstream has the request (Tomcat, security, the call) and after its first chunk (relay, write).
        System.out.printf("%nFirst token, %s, split where the request reaches the mock (p50 / p99):%n%n", mode);
        System.out.println("| C | client → mock, direct | client → mock, through the app | mock's first chunk → client, direct | mock's first chunk → client, through the app |");
        System.out.println("|---|---|---|---|---|");
        split.forEach(System.out::println);
        System.out.printf("%nLate first tokens, %s, and the app's GC pauses (late: %d ms more than the direct p50; at a pause: "
                + "still waiting for its first token when a pause began, or started up to %d ms after one ended):%n%n",
                mode, GcPauses.LATE_MICROS / 1000, GcPauses.AFTERMATH_MILLIS);
        System.out.println("| C | GC pauses in the window | heap committed | late first tokens | of which at a pause |");
        System.out.println("|---|---|---|---|---|");
        gc.forEach(System.out::println);
        return rows;
    }

    /** The app and the mock both loads go to. */
    private record Target(AppProcess app, String bearer, String direct, String directAuth, String directBody) { }

    static List<String> upstreamArgs(int index, String name, String baseUrl, String key) {
        String p = "--switchboard.upstreams[" + index + "].";
        return new ArrayList<>(List.of(p + "name=" + name, p + "base-url=" + baseUrl, p + "api-key=" + key));
    }

    private static Thread sampleThreads(AppProcess app, int[] peak) {
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    peak[0] = Math.max(peak[0], app.liveThreads());
                    Thread.sleep(100);
                }
            } catch (Exception ignored) {
                // interrupted: the run is over
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Busy, total and stolen CPU ticks of the whole machine, all cores (/proc/stat). */
    private static long[] machineTicks() throws java.io.IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length && i <= 8; i++) total += Long.parseLong(f[i]);
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle + iowait
        // Steal: time the hypervisor gave this VM's cores to others. It counts as busy, and when it is high the same
        // work takes longer on both paths: printed, so a slow run says why.
        return new long[] {total - idle, total, Long.parseLong(f[8])};
    }

    static long p(List<Long> micros, double pct) {
        return StreamLoad.percentile(micros, pct);
    }

    private static String p50p99(List<Long> micros) {
        return ms(p(micros, 50)) + " / " + ms(p(micros, 99));
    }

    static String ms(long micros) {
        return String.format("%.2f ms", micros / 1000.0);
    }

    private static Path findJar() throws Exception {
        String given = System.getProperty("bench.jar");
        if (given != null) return Path.of(given);
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("switchboard-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("build the jar first: ./mvnw -DskipTests package"));
        }
    }
}
