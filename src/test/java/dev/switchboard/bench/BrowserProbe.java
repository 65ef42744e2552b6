package dev.switchboard.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.testsupport.Chromium;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a browser feels: heap retained per idle chat tab, push messages per second while a fast model streams, and
 * the time from Send to the first token visible, stage by stage ({@link #sendLatency}).
 */
final class BrowserProbe {
    private static final int TABS = Integer.getInteger("bench.tabs", 40);
    /**
     * Tabs opened (and kept open) before the baseline. Serving the first tabs fills per-thread caches on each
     * Tomcat worker (Jackson's buffer recyclers, commons-io's char[8192]): ~16 KB "per tab" at 40 tabs on a fresh
     * app in a heap dump, yet bounded by the thread count, not by tabs. Warm tabs keep them out of the per-tab figure.
     */
    private static final int WARM_TABS = Integer.getInteger("bench.warmTabs", 10);

    private BrowserProbe() {}

    /**
     * Only the browser probes, against the production jar: {@code java -cp ... -Dbench.jar=target/switchboard-*.jar
     * dev.switchboard.bench.BrowserProbe}. bench.heap (512m), bench.tabs (40), bench.histogramRows (12).
     */
    public static void main(String[] args) throws Exception {
        if (Boolean.parseBoolean(System.getProperty("bench.sendOnly", "false"))) {
            sendLatency(Path.of(System.getProperty("bench.jar", "target/switchboard-0.1.0-SNAPSHOT.jar")), System.getProperty("bench.heap", "512m"));
            return;
        }
        run(java.nio.file.Path.of(System.getProperty("bench.jar", "target/switchboard-0.1.0-SNAPSHOT.jar")),
                System.getProperty("bench.heap", "512m"));
    }

    /** The browser probes against a fresh app and mock; then the send latency against another fresh app. */
    static void run(java.nio.file.Path jar, String heap) throws Exception {
        if (TABS > 0 || Boolean.parseBoolean(System.getProperty("bench.pushRate", "true"))) {
            try (OfflineModelServer mock = OfflineModelServer.start(0, Behavior.fast());
                 AppProcess app = new AppProcess(jar, heap, Benchmark.upstreamArgs(0, "mock", mock.baseUrl(), mock.apiKey()))) {
                report(app, mock);
            }
        }
        if (Integer.getInteger("bench.sends", 30) > 0) sendLatency(jar, heap);
    }

    static void report(AppProcess app, OfflineModelServer mock) throws Exception {
        if (!Chromium.installed()) {
            System.out.println("(browser probes skipped: /usr/bin/chromium is missing; apt-get install -y chromium)\n");
            return;
        }
        try (Chromium chromium = Chromium.launch()) {
            Browser browser = chromium.browser();
            BrowserContext ctx = browser.newContext();
            Page first = ctx.newPage();
            login(first, app.base());
            if (TABS > 0) heapPerTab(app, ctx, first);
            if (Boolean.parseBoolean(System.getProperty("bench.pushRate", "true"))) pushRate(app, mock, first);
        }
    }

    private static void send(Page page, String text) {
        page.fill("vaadin-message-input textarea", text);
        page.keyboard().press("Enter");
    }

    /** Waits until the message list has {@code count} messages and the last one contains {@code end}; returns when
     * its first token ("tok0") became visible (nanoTime). */
    private static long awaitReply(Page page, int count, String end) throws InterruptedException {
        long firstVisible = -1;
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            Object text = page.evaluate("n => { const m = document.querySelectorAll('vaadin-message-list vaadin-message'); "
                    + "return m.length >= n ? m[m.length - 1].textContent : ''; }", count);
            if (firstVisible < 0 && text != null && text.toString().contains("tok0")) firstVisible = System.nanoTime();
            if (text != null && text.toString().contains(end)) break;
            Thread.sleep(2);
        }
        return firstVisible;
    }

    private static void login(Page page, String base) {
        page.navigate(base + "/login");
        Chromium.logIn(page, "admin", AppProcess.PASSWORD);
        page.waitForSelector("vaadin-message-input textarea");
    }

    private static void heapPerTab(AppProcess app, BrowserContext ctx, Page first) throws Exception {
        List<Page> warm = new ArrayList<>();
        for (int i = 0; i < WARM_TABS; i++) warm.add(openChat(ctx, app));
        Thread.sleep(2000);
        long before = app.heapAfterGcKb();
        Map<String, Long> histBefore = app.classHistogram();
        List<Page> tabs = new ArrayList<>();
        for (int i = 0; i < TABS; i++) tabs.add(openChat(ctx, app));
        Thread.sleep(2000);
        long after = app.heapAfterGcKb();
        System.out.printf("| idle chat tabs (after %d warm ones) | heap after GC before | after | per tab |%n|---|---|---|---|%n| %d | %d KB | %d KB | %.0f KB |%n%n",
                WARM_TABS, TABS, before, after, (after - before) / (double) TABS);
        // Where the per-tab bytes go: the classes that grew most, per tab.
        Map<String, Long> histAfter = app.classHistogram();
        System.out.println("| class (growth per tab) | bytes |\n|---|---|");
        // The sum over all classes: the same growth counted from the histograms, a cross-check of the heap figures.
        long total = histAfter.entrySet().stream().mapToLong(e -> e.getValue() - histBefore.getOrDefault(e.getKey(), 0L)).sum();
        System.out.printf("| (all classes) | %d |%n", total / TABS);
        histAfter.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - histBefore.getOrDefault(e.getKey(), 0L)))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(Integer.getInteger("bench.histogramRows", 12))
                .forEach(e -> System.out.printf("| %s | %d |%n", e.getKey(), e.getValue() / TABS));
        System.out.println();
        String dump = System.getProperty("bench.heapDump");
        if (dump != null) { // -Dbench.heapDump=/tmp/tabs.hprof: live objects with the tabs open, for a dominator look
            new ProcessBuilder("jcmd", Long.toString(app.pid()), "GC.heap_dump", dump).inheritIO().start().waitFor();
        }
        for (Page p : tabs) p.close();
        for (Page p : warm) p.close();
    }

    private static Page openChat(BrowserContext ctx, AppProcess app) {
        Page p = ctx.newPage();
        p.navigate(app.base() + "/");
        p.waitForSelector("vaadin-message-input textarea");
        return p;
    }

    /** Counts push frames to one tab while a fast model streams 1,000 tokens at 500 tokens/s. */
    private static void pushRate(AppProcess app, OfflineModelServer mock, Page page) throws Exception {
        List<Long> frames = new CopyOnWriteArrayList<>();
        page.onWebSocket(ws -> ws.onFrameReceived(f -> frames.add(System.nanoTime())));
        page.navigate(app.base() + "/");
        page.waitForSelector("vaadin-message-input textarea");
        // A first short chat warms the path (the mock's tokenizer, the app's first generation): without it the
        // first-token delay measured a one-time warm-up of ~1 s, not push.
        mock.setBehavior(Behavior.fast().withReplyTokens(5));
        send(page, "warm up");
        awaitReply(page, 2, "tok4");
        mock.setBehavior(Behavior.fast().withReplyTokens(1000).withTokensPerSecond(500));
        Thread.sleep(500);
        frames.clear();
        long t0 = System.nanoTime();
        send(page, "stream fast, please");
        long firstVisible = awaitReply(page, 4, "tok999");
        long t1 = System.nanoTime();
        double seconds = (t1 - t0) / 1e9;
        List<Long> during = frames.stream().filter(t -> t >= t0 && t <= t1).toList();
        System.out.printf("| push probe (1,000 tokens at 500 tokens/s) | value |%n|---|---|%n");
        System.out.printf("| send → first token visible | %.1f ms |%n", firstVisible < 0 ? -1 : (firstVisible - t0) / 1e6);
        System.out.printf("| push frames received | %d in %.2f s |%n| push messages per second per tab | %.1f |%n%n",
                during.size(), seconds, during.size() / seconds);
    }

    // ---- Send → first token visible, stage by stage ----

    /**
     * Installed in the page before Vaadin loads: every websocket message (Vaadin's push) timed as the page receives
     * it, and the Enter key timed as the page sees it (capture phase, before the message input's own handler).
     */
    private static final String PAGE_PROBE = """
            window.__sb = { ws: [], keys: [] };
            const Native = window.WebSocket;
            class TimedWebSocket extends Native {
              constructor(...args) {
                super(...args);
                this.addEventListener('message', e => {
                  const d = typeof e.data === 'string' ? e.data : '';
                  window.__sb.ws.push([performance.now(), d.length, d.indexOf('tok0') >= 0]);
                });
              }
            }
            window.WebSocket = TimedWebSocket;
            window.addEventListener('keydown', e => { if (e.key === 'Enter') window.__sb.keys.push(performance.now()); }, true);
            """;

    /**
     * Before one send: forgets earlier timings and watches for the new reply's first token. {@code n} is the number
     * of messages shown before the send: the user's message comes at n, the reply at n + 1. When its text first
     * has tok0 (a MutationObserver: the DOM has it), and the next animation frame (the frame that paints it).
     */
    private static final String ARM = """
            n => {
              const s = window.__sb;
              s.ws = []; s.keys = []; s.mutation = -1; s.frame = -1;
              performance.clearResourceTimings();
              performance.setResourceTimingBufferSize(10000);
              const check = () => {
                const m = document.querySelectorAll('vaadin-message-list vaadin-message');
                return m.length > n + 1 && m[n + 1].textContent.indexOf('tok0') >= 0;
              };
              const o = new MutationObserver(() => {
                if (s.mutation >= 0 || !check()) return;
                s.mutation = performance.now();
                o.disconnect();
                requestAnimationFrame(() => { s.frame = performance.now(); });
              });
              o.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
            }
            """;

    /** After one send: the page's timings, relative to the Enter key (ms), and the page's clock origin. */
    private static final String COLLECT = """
            () => {
              const s = window.__sb, key = s.keys.length ? s.keys[0] : -1;
              const uidl = performance.getEntriesByType('resource').filter(e => e.name.indexOf('v-r=uidl') >= 0 && e.startTime >= key)
                  .sort((a, b) => a.startTime - b.startTime);
              const x = uidl.length ? uidl[0] : null;
              const push = s.ws.filter(w => w[0] >= key && w[2]);
              const firstPush = s.ws.filter(w => w[0] >= key);
              return [key, performance.timeOrigin,
                      x ? x.startTime - key : -1, x ? x.responseStart - key : -1, x ? x.responseEnd - key : -1,
                      firstPush.length ? firstPush[0][0] - key : -1, push.length ? push[0][0] - key : -1,
                      s.mutation >= 0 ? s.mutation - key : -1, s.frame >= 0 ? s.frame - key : -1, uidl.length,
                      s.ws.filter(w => w[0] >= key && (!push.length || w[0] <= push[0][0])).length,
                      'uidl ' + uidl.map(e => (e.startTime - key).toFixed(1) + '..' + (e.responseStart - key).toFixed(1) + '..' + (e.responseEnd - key).toFixed(1)).join(' ')
                      + ' | ws ' + s.ws.filter(w => w[0] >= key).map(w => (w[0] - key).toFixed(1) + ':' + w[1] + (w[2] ? '*' : '')).join(' ')
                      + ' | dom ' + (s.mutation - key).toFixed(1)];
            }
            """;

    /** One send's stages, in ms from the Enter key the page saw (-1: not seen). */
    private record Send(double xhrStart, double xhrFirstByte, double xhrEnd, double firstPush, double tokenPush, double inDom,
                        double frame, int uidlRequests, int pushesUntilToken, double serverBegin, double serverEnd,
                        double upstreamReached, double tokenFrameNet) { }

    /**
     * Send → first token visible, over bench.sends sends (30; the first 5 not counted) to an upstream that answers at
     * once (the paced mock, TTFT 0), all measured in the page: performance.now() at the Enter key against a
     * MutationObserver seeing the reply's first token. The stages in between: the UIDL request of the send (resource
     * timing), the push that brought the token (the page's websocket, wrapped), and from the server side Tomcat's
     * access log (the UIDL request's begin and end, in ms) and the mock (when the upstream request reached it).
     */
    static void sendLatency(Path jar, String heap) throws Exception {
        if (!Chromium.installed()) return;
        int sends = Integer.getInteger("bench.sends", 30);
        int skip = Math.min(5, sends / 4);
        Path logs = Files.createTempDirectory("switchboard-bench-access");
        try (PacedMockUpstream mock = new PacedMockUpstream(0, 10, 1000, 0, true)) {
            List<String> args = Benchmark.upstreamArgs(0, "mock", mock.baseUrl(), mock.apiKey());
            // The UIDL request's begin (ms since the epoch), time taken (µs) and time to commit (ms), as Tomcat saw them.
            args.addAll(List.of("--server.tomcat.accesslog.enabled=true", "--server.tomcat.accesslog.directory=" + logs,
                    "--server.tomcat.accesslog.prefix=access", "--server.tomcat.accesslog.suffix=.log",
                    "--server.tomcat.accesslog.file-date-format=", "--server.tomcat.accesslog.rotate=false",
                    "--server.tomcat.accesslog.buffered=false",
                    "--server.tomcat.accesslog.pattern=%{begin:msec}t %D %F %r"));
            // The mock's arrival times are System.nanoTime of this JVM: this offset makes them ms since the epoch.
            long nanoToEpochMicros = System.currentTimeMillis() * 1000 - System.nanoTime() / 1000;
            try (AppProcess app = new AppProcess(jar, heap, args); Chromium chromium = Chromium.launch()) {
                BrowserContext ctx = chromium.browser().newContext();
                ctx.addInitScript(PAGE_PROBE);
                Page page = ctx.newPage();
                // The network's view of the websocket (Chromium's DevTools protocol): when a push frame arrived, before
                // the page's main thread got to its message event. Its clock is monotonic; a request's wallTime maps it.
                List<double[]> frames = new CopyOnWriteArrayList<>();
                double[] monoToEpochMs = {Double.NaN};
                com.microsoft.playwright.CDPSession cdp = ctx.newCDPSession(page);
                cdp.send("Network.enable");
                cdp.on("Network.requestWillBeSent", e -> {
                    if (e.has("wallTime")) monoToEpochMs[0] = e.get("wallTime").getAsDouble() * 1000 - e.get("timestamp").getAsDouble() * 1000;
                });
                cdp.on("Network.webSocketFrameReceived", e -> {
                    String data = e.getAsJsonObject("response").get("payloadData").getAsString();
                    frames.add(new double[] {e.get("timestamp").getAsDouble() * 1000, data.contains("tok0") ? 1 : 0});
                });
                login(page, app.base());
                page.navigate(app.base() + "/");
                page.waitForSelector("vaadin-message-input textarea");
                List<Send> all = new ArrayList<>();
                for (int i = 0; i < sends; i++) {
                    int before = ((Number) page.evaluate("() => document.querySelectorAll('vaadin-message-list vaadin-message').length")).intValue();
                    long n = 1_000_000 + i;
                    page.fill("vaadin-message-input textarea", "req-" + n + "- hello");
                    mock.drainReceived();
                    frames.clear();
                    page.evaluate(ARM, before);
                    page.keyboard().press("Enter");
                    awaitReply(page, before + 2, "tok9");
                    // Ready for the next send: the input is enabled again once the reply ended.
                    page.waitForSelector("vaadin-message-input:not([disabled]) textarea");
                    Thread.sleep(100);
                    List<?> t = (List<?>) page.evaluate(COLLECT);
                    double key = num(t.get(0));
                    double keyEpochMs = num(t.get(1)) + key;
                    double[] server = serverSide(logs, keyEpochMs);
                    if (Boolean.getBoolean("bench.sendDetail")) {
                        System.out.println("# send " + i + " (key at " + String.format("%.1f", keyEpochMs) + " ms since the epoch): " + t.get(11)
                                + " | token frame on the network " + String.format("%.1f", frames.stream().filter(f -> f[1] > 0)
                                        .mapToDouble(f -> f[0] + monoToEpochMs[0] - keyEpochMs).min().orElse(-1)) + " | server " + serverDetail(logs, keyEpochMs));
                    }
                    Long reached = mock.drainReceived().get(n);
                    double upstream = reached == null ? -1 : (reached / 1000 + nanoToEpochMicros) / 1000.0 - keyEpochMs;
                    double net = frames.stream().filter(f -> f[1] > 0).mapToDouble(f -> f[0] + monoToEpochMs[0] - keyEpochMs)
                            .filter(x -> x >= 0).min().orElse(-1);
                    all.add(new Send(num(t.get(2)), num(t.get(3)), num(t.get(4)), num(t.get(5)), num(t.get(6)), num(t.get(7)),
                            num(t.get(8)), ((Number) t.get(9)).intValue(), ((Number) t.get(10)).intValue(), server[0], server[1], upstream, net));
                }
                report(all.subList(skip, all.size()), skip);
            }
        } finally {
            try (var files = Files.walk(logs)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static double num(Object o) {
        return o == null ? -1 : ((Number) o).doubleValue();
    }

    /** Tomcat's begin (ms since the epoch), time taken (µs) and time to commit (ms) of a UIDL request. */
    private static final Pattern ACCESS = Pattern.compile("^(\\d+) (\\d+) (\\S+) POST \\S*v-r=uidl\\S* ", Pattern.MULTILINE);

    /** Every UIDL request Tomcat began within 2 s of the key: begin..end, ms from the key. */
    private static String serverDetail(Path logs, double keyEpochMs) throws java.io.IOException {
        Path log = logs.resolve("access.log");
        if (!Files.exists(log)) return "";
        Matcher m = ACCESS.matcher(Files.readString(log));
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            long begin = Long.parseLong(m.group(1));
            if (begin < keyEpochMs - 1 || begin > keyEpochMs + 2_000) continue;
            b.append(String.format("%.1f..%.1f ", begin - keyEpochMs, begin - keyEpochMs + Long.parseLong(m.group(2)) / 1000.0));
        }
        return b.toString();
    }

    /** The first UIDL request Tomcat began at or after the key (1 ms of clock slack): its begin and end, ms from the key. */
    private static double[] serverSide(Path logs, double keyEpochMs) throws java.io.IOException {
        Path log = logs.resolve("access.log");
        if (!Files.exists(log)) return new double[] {-1, -1};
        Matcher m = ACCESS.matcher(Files.readString(log));
        double[] best = {-1, -1};
        while (m.find()) {
            long begin = Long.parseLong(m.group(1));
            if (begin >= keyEpochMs - 1 && begin < keyEpochMs + 5_000 && (best[0] < 0 || begin - keyEpochMs < best[0])) {
                best = new double[] {begin - keyEpochMs, begin - keyEpochMs + Long.parseLong(m.group(2)) / 1000.0};
            }
        }
        return best;
    }

    private static void report(List<Send> s, int skipped) {
        System.out.printf("Send → first token visible, %d sends (after %d not counted), upstream TTFT 0 (the paced mock, 10 tokens "
                + "at 1,000 tokens/s); ms from the Enter key as the page saw it (performance.now()); p50 / p99 / max:%n%n", s.size(), skipped);
        System.out.println("| stage (from the Enter key) | p50 | p99 | max |\n|---|---|---|---|");
        row("UIDL request of the send starts (browser)", s, Send::xhrStart);
        row("the server begins it (Tomcat, ms clock)", s, Send::serverBegin);
        row("the upstream request reaches the mock", s, Send::upstreamReached);
        row("the server ends the UIDL request (Tomcat, ms clock)", s, Send::serverEnd);
        row("UIDL response's first byte (browser)", s, Send::xhrFirstByte);
        row("UIDL response's end (browser)", s, Send::xhrEnd);
        row("first push message after the key (page's websocket)", s, Send::firstPush);
        row("the push with the first token reaches the browser (network, DevTools)", s, Send::tokenFrameNet);
        row("the push with the first token (page's websocket message event)", s, Send::tokenPush);
        row("first token in the DOM (MutationObserver)", s, Send::inDom);
        row("**first token visible (next animation frame)**", s, Send::frame);
        System.out.println();
        System.out.println("| between stages | p50 | p99 |\n|---|---|---|");
        between("key → UIDL request starts (client: the input's submit, Flow's send)", s, Send::xhrStart, x -> 0);
        between("UIDL request starts → the mock has the upstream request", s, Send::upstreamReached, Send::xhrStart);
        between("the mock has it → the push with the token reaches the browser (network)", s, Send::tokenFrameNet, Send::upstreamReached);
        between("UIDL response's end → the push with the token reaches the browser (network)", s, Send::tokenFrameNet, Send::xhrEnd);
        between("the push reaches the browser → the page's message event (main thread busy)", s, Send::tokenPush, Send::tokenFrameNet);
        between("the push arrives → the token is in the DOM (client: Flow applies it, the list renders)", s, Send::inDom, Send::tokenPush);
        between("in the DOM → next animation frame", s, Send::frame, Send::inDom);
        System.out.printf("%nUIDL requests per send: %s; push messages up to the one with the token: %s%n%n",
                s.stream().map(x -> Integer.toString(x.uidlRequests())).distinct().sorted().toList(),
                s.stream().map(x -> Integer.toString(x.pushesUntilToken())).distinct().sorted().toList());
    }

    private static void row(String name, List<Send> s, java.util.function.ToDoubleFunction<Send> f) {
        List<Double> v = s.stream().mapToDouble(f).filter(x -> x >= 0).boxed().sorted().toList();
        if (v.isEmpty()) {
            System.out.printf("| %s | - | - | - |%n", name);
            return;
        }
        System.out.printf("| %s | %.1f ms | %.1f ms | %.1f ms |%n", name, pct(v, 50), pct(v, 99), v.get(v.size() - 1));
    }

    private static void between(String name, List<Send> s, java.util.function.ToDoubleFunction<Send> to,
                                java.util.function.ToDoubleFunction<Send> from) {
        List<Double> v = s.stream().filter(x -> to.applyAsDouble(x) >= 0 && from.applyAsDouble(x) >= 0)
                .map(x -> to.applyAsDouble(x) - from.applyAsDouble(x)).sorted().toList();
        System.out.printf(v.isEmpty() ? "| %s | - | - |%n" : "| %s | %.1f ms | %.1f ms |%n", name,
                v.isEmpty() ? 0 : pct(v, 50), v.isEmpty() ? 0 : pct(v, 99));
    }

    private static double pct(List<Double> sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
