package dev.switchboard.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.testsupport.Chromium;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** What a browser feels: heap retained per idle chat tab, and push messages per second while a fast model streams. */
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
        run(java.nio.file.Path.of(System.getProperty("bench.jar", "target/switchboard-0.1.0-SNAPSHOT.jar")),
                System.getProperty("bench.heap", "512m"));
    }

    /** The browser probes against a fresh app and mock. */
    static void run(java.nio.file.Path jar, String heap) throws Exception {
        try (OfflineModelServer mock = OfflineModelServer.start(0, Behavior.fast());
             AppProcess app = new AppProcess(jar, heap, Benchmark.upstreamArgs(0, "mock", mock.baseUrl(), mock.apiKey()))) {
            report(app, mock);
        }
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
            heapPerTab(app, ctx, first);
            pushRate(app, mock, first);
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
}
