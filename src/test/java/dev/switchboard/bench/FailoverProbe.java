package dev.switchboard.bench;

import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Failover latency: the time to the first token from the backup when the primary answers 503 or refuses the
 * connection, against the same app with the backup alone. Sequential requests; cooldown off so each one fails over.
 */
final class FailoverProbe {
    private static final String CHAT = "{\"messages\": [{\"role\": \"user\", \"content\": \"failover\"}]}";
    private static final int RUNS = 30;

    private FailoverProbe() {}

    static void report(Path jar, String heap, Behavior behavior) throws Exception {
        System.out.println("| failover case | TTFT p50 | TTFT p99 | added vs. backup alone (p50) | errors |");
        System.out.println("|---|---|---|---|---|");
        try (OfflineModelServer backup = OfflineModelServer.start(0, behavior);
             OfflineModelServer failing = OfflineModelServer.start(0, Behavior.failing(503))) {
            StreamLoad.Result alone = measure(jar, heap, Benchmark.upstreamArgs(0, "backup", backup.baseUrl(), backup.apiKey()));
            row("backup alone (baseline)", alone, alone);
            List<String> on503 = Benchmark.upstreamArgs(0, "primary", failing.baseUrl(), failing.apiKey());
            on503.addAll(Benchmark.upstreamArgs(1, "backup", backup.baseUrl(), backup.apiKey()));
            row("primary answers 503", measure(jar, heap, on503), alone);
            List<String> refused = Benchmark.upstreamArgs(0, "primary", "http://127.0.0.1:" + AppProcess.freePort() + "/v1", "none");
            refused.addAll(Benchmark.upstreamArgs(1, "backup", backup.baseUrl(), backup.apiKey()));
            row("primary refuses the connection", measure(jar, heap, refused), alone);
        }
        System.out.println();
    }

    private static StreamLoad.Result measure(Path jar, String heap, List<String> upstreams) throws Exception {
        List<String> args = new ArrayList<>(upstreams);
        args.add("--switchboard.cooldown=0s"); // every request meets the failing primary first
        try (AppProcess app = new AppProcess(jar, heap, args)) {
            String bearer = app.bearerToken();
            StreamLoad load = new StreamLoad();
            load.repeat(app.base() + "/api/chat", bearer, CHAT, 1, 5); // warm-up
            return load.repeat(app.base() + "/api/chat", bearer, CHAT, 1, RUNS);
        }
    }

    private static void row(String name, StreamLoad.Result r, StreamLoad.Result baseline) {
        System.out.printf("| %s | %s | %s | %s | %d |%n", name, Benchmark.ms(Benchmark.p(r.ttftMicros(), 50)),
                Benchmark.ms(Benchmark.p(r.ttftMicros(), 99)),
                Benchmark.ms(Benchmark.p(r.ttftMicros(), 50) - Benchmark.p(baseline.ttftMicros(), 50)), r.errors());
    }
}
