package dev.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The app's GC pauses (its -Xlog:gc file) against a sustained run's streams: how many of the streams whose first
 * token came late started while the app was paused or just after, when the work that waited through the pause is
 * still being caught up. Says how much of a p99 is GC and how much is the cores' queue or the hypervisor.
 */
final class GcPauses {
    /** A stream is late when its first token took this much longer than the direct path's median. */
    static final long LATE_MICROS = 5_000;
    /** After a pause, the app's threads and 256 readers' backlog queue for the cores this long (seen in timelines). */
    static final long AFTERMATH_MILLIS = 150;

    private static final Pattern PAUSE = Pattern.compile("^\\[(\\S+)].*GC\\(\\d+\\) Pause (\\S+).* \\d+([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\) ([0-9.]+)ms$");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    /**
     * One pause, wall clock, the heap it left in use (young pauses leave old garbage: a server's own view) and the
     * heap G1 had committed: G1 gives the young generation up to 60 % of that, so it sets how often young pauses come.
     */
    record Pause(long startMillis, double millis, boolean young, long usedAfterKb, long committedKb) {
        long endMillis() { return startMillis + (long) Math.ceil(millis); }
    }

    static List<Pause> read(Path gcLog) throws IOException {
        List<Pause> pauses = new ArrayList<>();
        if (!Files.exists(gcLog)) return pauses;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = PAUSE.matcher(line);
            if (!m.find()) continue;
            double millis = Double.parseDouble(m.group(8));
            long end = OffsetDateTime.parse(m.group(1), TIME).toInstant().toEpochMilli();
            pauses.add(new Pause(end - (long) millis, millis, m.group(2).equals("Young"), kb(m.group(4), m.group(5)),
                    kb(m.group(6), m.group(7))));
        }
        return pauses;
    }

    private static long kb(String amount, String unit) {
        return Long.parseLong(amount) * switch (unit) {
            case "K" -> 1;
            case "M" -> 1024;
            default -> 1024 * 1024;
        };
    }

    /**
     * Heap in use after the last young pause before {@code untilMillis}, in KB; -1 if none. The bench once forced a
     * full GC after each concurrency for this: G1 then gave back half the heap (454 to 227 MB committed) and did not
     * take it again, so the next concurrency ran with half the young generation and young pauses 2.5 times as often.
     */
    static long usedAfterLastYoungKb(List<Pause> all, long untilMillis) {
        long used = -1;
        for (Pause p : all) if (p.young() && p.endMillis() <= untilMillis) used = p.usedAfterKb();
        return used;
    }

    /**
     * One markdown row: C, pauses in the window, the heap committed at the last, late streams, and how many of those a
     * pause explains.
     */
    static String row(int concurrency, List<Pause> all, List<StreamLoad.Started> streams, long directP50Micros) {
        if (streams.isEmpty()) return "| " + concurrency + " | – | – | – | – |";
        long from = streams.stream().mapToLong(StreamLoad.Started::epochMillis).min().orElseThrow();
        long to = streams.stream().mapToLong(StreamLoad.Started::epochMillis).max().orElseThrow();
        List<Pause> pauses = all.stream().filter(p -> p.endMillis() >= from && p.startMillis() <= to).toList();
        List<Double> lengths = pauses.stream().map(Pause::millis).sorted().toList();
        int late = 0;
        int atPause = 0;
        for (StreamLoad.Started s : streams) {
            if (s.ttftMicros() - directP50Micros <= LATE_MICROS) continue;
            late++;
            long start = s.epochMillis();
            // Started in a pause, or waiting for its first token when one began, or just after one ended.
            long waitedUntil = start + s.ttftMicros() / 1000;
            if (pauses.stream().anyMatch(p -> p.startMillis() <= waitedUntil && start <= p.endMillis() + AFTERMATH_MILLIS)) atPause++;
        }
        double pausedMs = lengths.stream().mapToDouble(Double::doubleValue).sum();
        String pauseText = lengths.isEmpty() ? "none" : String.format("%d (%s ms; %.1f %% of the window)", pauses.size(),
                lengths.size() == 1 ? String.format("%.0f", lengths.get(0))
                        : String.format("%.0f–%.0f", lengths.get(0), lengths.get(lengths.size() - 1)),
                100.0 * pausedMs / Math.max(1, to - from));
        String committed = pauses.isEmpty() ? "–" : pauses.get(pauses.size() - 1).committedKb() / 1024 + " MB";
        return String.format("| %d | %s | %s | %d of %d (%.2f %%) | %d (%.0f %%) |", concurrency, pauseText, committed, late,
                streams.size(), 100.0 * late / streams.size(), atPause, late == 0 ? 0 : 100.0 * atPause / late);
    }
}
