package dev.switchboard.testsupport;

import dev.switchboard.llm.offline.OfflineModelServer;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Points the app under test at a mock upstream on a real loopback socket, as {@code switchboard.upstreams[index]}. */
public final class MockUpstream {
    private MockUpstream() {}

    public static void register(DynamicPropertyRegistry registry, int index, String name, OfflineModelServer server) {
        String key = "switchboard.upstreams[" + index + "].";
        registry.add(key + "name", () -> name);
        registry.add(key + "base-url", server::baseUrl);
        registry.add(key + "api-key", server::apiKey);
    }
}
