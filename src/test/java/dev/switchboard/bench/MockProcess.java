package dev.switchboard.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link PacedMockUpstream} in a JVM of its own (bench.mockProcess=true), so the mock's CPU and GC are not in the
 * bench client's process; started as AppProcess starts the app. The mock uses only the JDK, so its classpath is the
 * directory (or jar) its class came from. Its arrival times come over {@code GET /bench/received}, once per run,
 * after the streams ended: no request of it falls into a measured stream.
 */
final class MockProcess implements BenchUpstream {
    private final Process process;
    private final String baseUrl;
    private final String apiKey;
    private final HttpClient http = HttpClient.newHttpClient();

    MockProcess(int tokens, double tokensPerSecond, long firstTokenMillis, boolean keepAlive) throws IOException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        String classpath;
        try {
            classpath = Path.of(PacedMockUpstream.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        // Serial GC and a small heap: the mock allocates little, and one GC thread leaves the cores to the app.
        process = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", classpath,
                PacedMockUpstream.class.getName(), "0", Integer.toString(tokens), Double.toString(tokensPerSecond),
                Long.toString(firstTokenMillis), Boolean.toString(keepAlive)))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("MOCK ")) System.out.println("# mock: " + line);
        if (line == null) throw new IllegalStateException("the mock process ended before it listened");
        String[] f = line.split(" ");
        baseUrl = f[1];
        apiKey = f[2];
        Thread drain = new Thread(() -> { // later output (errors) to our stdout, so a full pipe never blocks the mock
            try {
                for (String l; (l = out.readLine()) != null; ) System.out.println("# mock: " + l);
            } catch (IOException ignored) {
                // the mock ended
            }
        }, "mock-output");
        drain.setDaemon(true);
        drain.start();
    }

    @Override
    public String baseUrl() { return baseUrl; }

    @Override
    public String apiKey() { return apiKey; }

    @Override
    public Map<Long, Long> drainReceived() {
        Map<Long, Long> at = new HashMap<>();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl.replaceFirst("/v1$", "") + "/bench/received")).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String l : r.body().split("\n")) {
                int space = l.indexOf(' ');
                if (space > 0) at.put(Long.parseLong(l.substring(0, space)), Long.parseLong(l.substring(space + 1)));
            }
        } catch (IOException e) {
            System.out.println("# the mock's arrival times: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return at;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close(); // the mock ends when its stdin closes
        } catch (IOException ignored) {
            // ending it anyway
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
