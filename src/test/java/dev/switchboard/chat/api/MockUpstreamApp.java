package dev.switchboard.chat.api;

import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.testsupport.MockUpstream;
import org.springframework.test.context.DynamicPropertyRegistry;

/** One mock upstream on a real loopback socket, shared by a test class's app context. */
final class MockUpstreamApp {
    static final String ADMIN_PASSWORD = "admin-password-for-tests";

    private MockUpstreamApp() {}

    static void register(DynamicPropertyRegistry r, OfflineModelServer server, String dbName) {
        MockUpstream.register(r, 0, "mock", server);
        r.add("switchboard.models", () -> "gpt-5.5,gpt-4o-mini");
        r.add("switchboard.admin-password", () -> ADMIN_PASSWORD);
        r.add("spring.datasource.url", () -> "jdbc:h2:mem:" + dbName + ";DB_CLOSE_DELAY=-1");
    }

    static OfflineModelServer fastServer() {
        return OfflineModelServer.start(0, Behavior.fast());
    }
}
