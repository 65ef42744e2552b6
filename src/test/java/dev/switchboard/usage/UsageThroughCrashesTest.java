package dev.switchboard.usage;

import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app as users run it, in its own JVM on its default H2 file database: no usage row is lost when the process is
 * killed (kill -9) or stopped (SIGTERM) with streams in flight.
 */
class UsageThroughCrashesTest {
    private static final String PASSWORD = "crash-admin-password";
    private static final String CHAT = "{\"messages\": [{\"role\": \"user\", \"content\": \"Tell me a long story\"}]}";
    private static final int STREAMS = 20;

    private OfflineModelServer upstream;
    private Path workDir;
    private Process app;
    private int port;
    private Path log;
    private int starts = 1;

    @BeforeEach
    void setUp() throws IOException {
        workDir = Files.createTempDirectory("switchboard-crash");
        log = workDir.resolve("app.log");
    }

    @AfterEach
    void tearDown() {
        if (app != null) app.destroyForcibly();
        if (upstream != null) upstream.close();
    }

    private void start(String... extra) throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), "dev.switchboard.SwitchboardApplication",
                "--server.port=" + port, "--switchboard.admin-password=" + PASSWORD,
                "--switchboard.upstreams[0].name=mock", "--switchboard.upstreams[0].base-url=" + upstream.baseUrl(),
                "--switchboard.upstreams[0].api-key=" + upstream.apiKey(), "--switchboard.usage.progress-interval=1s"));
        cmd.addAll(List.of(extra));
        // The default database URL (./data/switchboard, with its durability settings), in a folder of its own.
        app = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertThat(app.isAlive()).as("the app runs: %s", Files.readString(log)).isTrue();
            try {
                // Up, and done starting (the web server answers before the last of the start-up is done).
                if (http.send(HttpRequest.newBuilder(URI.create(base() + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200
                        && Files.readString(log).split("Started SwitchboardApplication", -1).length > starts) {
                    starts++;
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the app did not start: " + Files.readString(log));
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    /** One streaming chat: every SSE data line, as it comes; {@code firstToken} counts down at the first content. */
    private CompletableFuture<List<String>> stream(HttpClient http, CountDownLatch firstToken) {
        String basic = Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + "/api/chat"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).thenApply(r -> {
            List<String> lines = new ArrayList<>();
            boolean counted = false;
            try (InputStream in = r.body(); BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    if (!line.startsWith("data: ")) continue;
                    lines.add(line.substring(6));
                    if (!counted && line.contains("\"content\"")) {
                        counted = true;
                        firstToken.countDown();
                    }
                }
            } catch (IOException cut) {
                lines.add("<connection cut>");
            }
            return lines;
        });
    }

    /**
     * Generation id and status of every usage row, read from the database file once the app is gone: those in
     * usage_records, and those in usage_running (running, or saved with their end and not yet moved).
     */
    private Map<String, String> rows() throws Exception {
        Map<String, String> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + workDir.resolve("data/switchboard"), "sa", "");
             ResultSet rs = c.createStatement().executeQuery("""
                     SELECT generation_id, status, completion_tokens FROM usage_records
                     UNION ALL SELECT generation_id, COALESCE(status, 'running'), completion_tokens FROM usage_running""")) {
            while (rs.next()) rows.put(rs.getString(1), rs.getString(2) + ":" + rs.getLong(3));
        }
        return rows;
    }

    private static long count(Map<String, String> rows, String status) {
        return rows.values().stream().filter(v -> v.startsWith(status + ":")).count();
    }

    @Test
    void killedWithStreamsInFlightEveryStreamHasARowAfterTheRestart() throws Exception {
        upstream = OfflineModelServer.start(0, Behavior.fast().withTokensPerSecond(10).withReplyTokens(600));
        start();
        HttpClient http = HttpClient.newHttpClient();
        CountDownLatch firstTokens = new CountDownLatch(STREAMS);
        List<CompletableFuture<List<String>>> streams = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) streams.add(stream(http, firstTokens));
        assertThat(firstTokens.await(60, TimeUnit.SECONDS)).as("every stream got its first token").isTrue();
        Thread.sleep(1500); // a progress save or so

        app.destroyForcibly().waitFor(); // kill -9
        assertThat(rows()).as("written at their start, running when killed").hasSize(STREAMS)
                .allSatisfy((id, row) -> assertThat(row).startsWith("running:"));

        start(); // the rows of the dead server end as interrupted once they are three intervals old
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Map<String, String> rows;
        do {
            Thread.sleep(1000);
            app.destroy();
            app.waitFor();
            rows = rows();
            if (count(rows, "interrupted") == STREAMS || System.nanoTime() > deadline) break;
            start();
        } while (true);
        System.out.println("After kill -9 and a restart: " + rows);
        assertThat(count(rows, "interrupted")).isEqualTo(STREAMS);
        assertThat(rows.values()).as("the tokens last saved are kept").allSatisfy(v -> assertThat(v).doesNotEndWith(":0"));
    }

    @Test
    void killedRightAfterTheUsageEventsTheirRowsAreStored() throws Exception {
        upstream = OfflineModelServer.start(0, Behavior.fast());
        start();
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<List<String>>> streams = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) streams.add(stream(http, new CountDownLatch(1)));
        for (CompletableFuture<List<String>> s : streams) {
            assertThat(s.get(30, TimeUnit.SECONDS)).anySatisfy(l -> assertThat(l).contains("\"usage\"")).endsWith("[DONE]");
        }
        app.destroyForcibly().waitFor(); // at once, as the last client read its [DONE]
        Map<String, String> rows = rows();
        assertThat(count(rows, "completed")).as("%s", rows).isEqualTo(STREAMS);
    }

    @Test
    void sigtermMidStreamEndsTheStreamsWithAnErrorAndDoneAndStoresTheirRows() throws Exception {
        upstream = OfflineModelServer.start(0, Behavior.fast().withTokensPerSecond(10).withReplyTokens(600));
        start("--spring.lifecycle.timeout-per-shutdown-phase=2s");
        HttpClient http = HttpClient.newHttpClient();
        CountDownLatch firstTokens = new CountDownLatch(STREAMS);
        List<CompletableFuture<List<String>>> streams = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) streams.add(stream(http, firstTokens));
        assertThat(firstTokens.await(60, TimeUnit.SECONDS)).isTrue();

        long t0 = System.nanoTime();
        app.destroy(); // SIGTERM
        for (CompletableFuture<List<String>> s : streams) {
            List<String> lines = s.get(60, TimeUnit.SECONDS);
            assertThat(lines).as("the end of %s", lines.subList(Math.max(0, lines.size() - 3), lines.size()))
                    .endsWith("[DONE]");
            assertThat(lines.get(lines.size() - 2)).contains("\"error\"").contains("shutting down");
        }
        assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
        System.out.printf("SIGTERM to exit: %d ms%n", Duration.ofNanos(System.nanoTime() - t0).toMillis());
        Map<String, String> rows = rows();
        assertThat(count(rows, "interrupted")).as("%s", rows).isEqualTo(STREAMS);
    }
}
