package dev.switchboard.config;

import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.lang.management.ManagementFactory;

/**
 * Run in a JVM of its own by {@link HeapRetentionTest}: applies {@link HeapRetention} as the app's start does (its
 * arguments are the app's), makes garbage, runs a full GC and prints the flag and the heap committed after it.
 */
public final class HeapRetentionProbe {
    static volatile Object sink;

    public static void main(String[] args) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        HeapRetention.apply(env);
        for (int i = 0; i < 50_000; i++) sink = new byte[1024]; // ~50 MB of garbage, as a start-up makes
        System.gc();
        var vm = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        System.out.println("flag=" + vm.getVMOption(HeapRetention.FLAG).getValue());
        System.out.println("committedMb=" + (ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() >> 20));
    }
}
