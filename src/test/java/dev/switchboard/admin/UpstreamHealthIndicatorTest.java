package dev.switchboard.admin;

import dev.switchboard.llm.ChatMessage;
import dev.switchboard.llm.CompletionRequest;
import dev.switchboard.llm.MockUpstreams;
import dev.switchboard.llm.RecordingListener;
import dev.switchboard.llm.TestClock;
import dev.switchboard.llm.UpstreamRouter;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** UP while at least one upstream is usable, DOWN when all are cooling down, UP again when a trial is due. */
class UpstreamHealthIndicatorTest {
    private final MockUpstreams mocks = new MockUpstreams();
    private final OfflineModelServer primary = OfflineModelServer.start(0, Behavior.failing(503));
    private final OfflineModelServer backup = OfflineModelServer.start(0, Behavior.fast());
    private final TestClock clock = new TestClock();
    private final UpstreamRouter router = mocks.router(clock, Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(30),
            mocks.upstream("primary", primary, Duration.ofSeconds(5)), mocks.upstream("backup", backup, Duration.ofSeconds(5)));
    private final UpstreamHealthIndicator indicator = new UpstreamHealthIndicator(router);

    @AfterEach
    void close() {
        primary.close();
        backup.close();
        mocks.close();
    }

    private void chat() throws InterruptedException {
        RecordingListener l = new RecordingListener();
        router.route(new CompletionRequest("gpt-5.5", List.of(ChatMessage.user("hi"))), l);
        l.await();
    }

    @Test
    void staysUpWhileOneUpstreamIsUsableAndGoesDownWhenNoneIs() throws Exception {
        for (int i = 0; i < 3; i++) chat();
        Health up = indicator.health();
        assertThat(up.getStatus()).isEqualTo(Status.UP);
        assertThat(state(up, "primary")).isEqualTo("cooling down");
        assertThat(state(up, "backup")).isEqualTo("healthy");

        backup.setBehavior(Behavior.failing(502));
        for (int i = 0; i < 3; i++) chat();
        Health down = indicator.health();
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(state(down, "backup")).isEqualTo("cooling down");

        clock.advance(Duration.ofSeconds(31));
        assertThat(indicator.health().getStatus()).as("a trial is due").isEqualTo(Status.UP);
        assertThat(state(indicator.health(), "primary")).isEqualTo("trial");
    }

    @SuppressWarnings("unchecked")
    private static String state(Health h, String upstream) {
        Map<String, Map<String, Object>> chain = (Map<String, Map<String, Object>>) h.getDetails().get("chain");
        return (String) chain.get(upstream).get("state");
    }
}
