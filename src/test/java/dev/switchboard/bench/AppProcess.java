package dev.switchboard.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The production jar in its own JVM, as users run it, plus what jcmd and /proc tell about it. */
final class AppProcess implements AutoCloseable {
    static final String PASSWORD = "bench-admin-password";

    private final Process process;
    final int port;
    final Path log;
    final Path gcLog;
    private final Path dataDir;

    AppProcess(Path jar, String heap, List<String> args) throws IOException, InterruptedException {
        this.port = freePort();
        this.log = Files.createTempFile("switchboard-bench", ".log");
        // A database file, as users run it (usage rows, accounts, tokens): an in-memory database kept every usage row
        // on the heap, where each young GC copied the new ones.
        this.dataDir = Files.createTempDirectory("switchboard-bench-data");
        // One line per GC pause, so the bench can tell which slow first tokens met one (GcPauses).
        this.gcLog = Files.createTempFile("switchboard-bench-gc", ".log");
        // The JVM options and H2 settings of the Dockerfile (JAVA_TOOL_OPTIONS, SPRING_DATASOURCE_URL).
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx" + heap, "-XX:MaxHeapFreeRatio=100",
                "-Dorg.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE=2048", "-Xlog:gc:file=" + gcLog + ":time"));
        // -Dbench.jvmArgs="-XX:StartFlightRecording=filename=app.jfr,settings=profile" profiles the app under load.
        String extra = System.getProperty("bench.jvmArgs", "").trim();
        if (!extra.isEmpty()) cmd.addAll(List.of(extra.split("\\s+")));
        cmd.addAll(List.of("-jar", jar.toString(), "--server.port=" + port));
        cmd.addAll(BenchDatabase.appArgs(dataDir));
        cmd.addAll(List.of("--switchboard.admin-password=" + PASSWORD, "--logging.level.root=WARN"));
        cmd.addAll(args);
        // -Dbench.appArgs="--some.key=value ..." tries a setting of the app under the same load.
        String appArgs = System.getProperty("bench.appArgs", "").trim();
        if (!appArgs.isEmpty()) cmd.addAll(List.of(appArgs.split("\\s+")));
        this.process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        waitUntilUp();
    }

    long pid() { return process.pid(); }

    String base() { return "http://127.0.0.1:" + port; }

    /** A personal API token, so the measured requests pay no password hash. */
    String bearerToken() throws IOException, InterruptedException {
        return bearerToken("admin", PASSWORD);
    }

    /**
     * The admin's token for one user; for {@code users} > 1, that many new users (role USER) and a token each, joined
     * by '|' ({@link StreamLoad} gives client i the i-th): per-user limits (quota, rate) then apply per user.
     */
    String bearerTokens(int users) throws IOException, InterruptedException {
        if (users <= 1) return bearerToken();
        String basic = Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        List<String> tokens = new java.util.ArrayList<>();
        for (int i = 1; i <= users; i++) {
            String name = "bench-" + i, password = "Bench-user-password-" + i;
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + "/api/admin/users"))
                    .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\": \"" + name + "\", \"password\": \"" + password
                            + "\", \"role\": \"USER\"}")).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) throw new IllegalStateException("no user: " + r.statusCode() + " " + r.body());
            tokens.add(bearerToken(name, password));
        }
        return String.join("|", tokens);
    }

    private String bearerToken(String user, String password) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + "/api/tokens"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"bench\"}")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
        if (!m.find()) throw new IllegalStateException("no token: " + r.statusCode() + " " + r.body());
        return "Bearer " + m.group(1);
    }

    /** Heap used after a full GC, in KB. */
    long heapAfterGcKb() throws IOException, InterruptedException {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Live bytes per class (jcmd GC.class_histogram forces a full GC first). */
    java.util.Map<String, Long> classHistogram() throws IOException, InterruptedException {
        java.util.Map<String, Long> bytes = new java.util.HashMap<>();
        Matcher m = Pattern.compile("^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)", Pattern.MULTILINE).matcher(jcmd("GC.class_histogram"));
        while (m.find()) bytes.merge(m.group(2), Long.parseLong(m.group(1)), Long::sum);
        return bytes;
    }

    int liveThreads() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
            if (line.startsWith("Threads:")) return Integer.parseInt(line.substring(8).trim());
        }
        return -1;
    }

    /** CPU time (user + system) of the app's JVM so far, in milliseconds. */
    long cpuMillis() throws IOException {
        return cpuMillis(Files.readString(Path.of("/proc/" + pid() + "/stat")));
    }

    /** User + system time from a /proc stat line (process or thread), in milliseconds. */
    private static long cpuMillis(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // USER_HZ is 100 on Linux
    }

    /**
     * CPU time (user + system) of the JIT compiler threads alive now, in milliseconds. HotSpot's java.ci.totalTime
     * would not do: it counts the compilers' wall time, waits included.
     */
    long jitCpuMillis() throws IOException {
        long millis = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid() + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (!comm.startsWith("C1 Compiler") && !comm.startsWith("C2 Compiler")) continue;
                    millis += cpuMillis(stat);
                } catch (IOException threadEnded) {
                    // compiler threads come and go with the JIT's load
                }
            }
        }
        return millis;
    }

    /** The app's threads, to a file named on stdout: what a stalled stream's server side was doing. */
    void dumpThreads() {
        try {
            Path dump = Files.createTempFile("switchboard-bench-stall", ".txt");
            Files.writeString(dump, jcmd("Thread.print"));
            System.out.println("# a stream stalled: the app's threads are in " + dump + ", its log in " + log);
        } catch (IOException | InterruptedException e) {
            System.out.println("# a stream stalled; no thread dump: " + e);
        }
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jcmdBin(), Long.toString(pid()), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private void waitUntilUp() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("the app died: " + Files.readString(log));
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the app did not start within 3 minutes");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    private static String jcmdBin() {
        String jdk = System.getProperty("java.home") + File.separator + "bin" + File.separator + "jcmd";
        return new File(jdk).exists() ? jdk : "jcmd";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind
        }
    }
}
