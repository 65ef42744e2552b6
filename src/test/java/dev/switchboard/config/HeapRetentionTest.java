package dev.switchboard.config;

import com.sun.management.VMOption;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app keeps the heap its JVM committed: G1 gives none of it back after a collection, unless the operator chose
 * otherwise. Each JVM is started with 128 MB committed, 256 MB at most, and collects ~50 MB of garbage.
 */
class HeapRetentionTest {

    @Test
    void theJvmsOwnDefaultIsRaisedSoNothingIsGivenBack() {
        assertThat(HeapRetention.valueFor(new VMOption("MaxHeapFreeRatio", "70", true, VMOption.Origin.DEFAULT)))
                .contains("100");
    }

    @Test
    void aValueTheOperatorSetIsLeftAlone() {
        assertThat(HeapRetention.valueFor(new VMOption("MaxHeapFreeRatio", "70", true, VMOption.Origin.VM_CREATION)))
                .isEmpty();
        assertThat(HeapRetention.valueFor(new VMOption("MaxHeapFreeRatio", "70", true, VMOption.Origin.ENVIRON_VAR)))
                .isEmpty();
    }

    @Test
    void afterAFullCollectionTheCommittedHeapIsKept() throws Exception {
        Map<String, String> kept = probe(List.of(), List.of());
        assertThat(kept).containsEntry("flag", "100");
        assertThat(Long.parseLong(kept.get("committedMb"))).isGreaterThanOrEqualTo(128);
    }

    /** The control: without it, the same JVM shrinks its heap, so the test above can fail. */
    @Test
    void turnedOffTheJvmShrinksTheHeapAsBefore() throws Exception {
        Map<String, String> shrunk = probe(List.of(), List.of("--switchboard.gc.keep-heap=false"));
        assertThat(shrunk).containsEntry("flag", "70");
        assertThat(Long.parseLong(shrunk.get("committedMb"))).isLessThan(128);
    }

    @Test
    void anOperatorsMaxHeapFreeRatioWins() throws Exception {
        Map<String, String> operator = probe(List.of("-XX:MaxHeapFreeRatio=50"), List.of());
        assertThat(operator).containsEntry("flag", "50");
        assertThat(Long.parseLong(operator.get("committedMb"))).isLessThan(128);
    }

    private static Map<String, String> probe(List<String> jvmArgs, List<String> appArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-XX:+UseG1GC", "-XX:InitialHeapSize=128m", "-Xmx256m"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), HeapRetentionProbe.class.getName()));
        cmd.addAll(appArgs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Map<String, String> values = new HashMap<>();
        out.lines().filter(l -> l.matches("\\w+=\\S+")).forEach(l -> values.put(l.split("=")[0], l.split("=")[1]));
        return values;
    }
}
