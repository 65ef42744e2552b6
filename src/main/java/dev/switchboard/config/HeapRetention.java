package dev.switchboard.config;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * Keeps the heap the JVM has committed instead of giving it back after every marking cycle: sets the manageable
 * {@code MaxHeapFreeRatio} to 100 as the app starts, unless the operator set it or {@code switchboard.gc.keep-heap}
 * is false.
 *
 * <p>Why: at the end of each concurrent marking cycle G1 shrinks the heap until no more than MaxHeapFreeRatio (70 %)
 * of it is free. Its first cycle runs during start-up, when little is live: under {@code -Xmx512m} the benchmark saw
 * the heap cut from 378 MB to 54–60 MB before the first request, then regrown in steps by later pauses to anything
 * from 185 to 468 MB, another size each run. The young generation is a share of the heap, so under the same load
 * one run paused twice as often as the next, and each young pause delays the first tokens waiting behind it. A server
 * given {@code -Xmx} is meant to use it.
 */
public final class HeapRetention implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {
    static final String PROPERTY = "switchboard.gc.keep-heap";
    static final String FLAG = "MaxHeapFreeRatio";
    static final String KEEP = "100";
    private static final Logger log = LoggerFactory.getLogger(HeapRetention.class);

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        apply(event.getEnvironment());
    }

    static void apply(Environment env) {
        if (!env.getProperty(PROPERTY, Boolean.class, true)) return;
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            VMOption current = vm == null ? null : vm.getVMOption(FLAG);
            valueFor(current).ifPresent(v -> {
                vm.setVMOption(FLAG, v);
                log.info("The heap stays as committed (-XX:{}={} at start, was {}); {}=false leaves it to the JVM",
                        FLAG, v, current.getValue(), PROPERTY);
            });
        } catch (RuntimeException notHotSpot) { // another JVM, or a flag it does not have or let us change
            log.debug("{} left as it is: {}", FLAG, notHotSpot.toString());
        }
    }

    /** 100 when the flag is the JVM's own default and may be changed; the operator's choice otherwise. */
    static Optional<String> valueFor(VMOption current) {
        if (current == null || !current.isWriteable() || current.getOrigin() != VMOption.Origin.DEFAULT
                || KEEP.equals(current.getValue())) {
            return Optional.empty();
        }
        return Optional.of(KEEP);
    }
}
