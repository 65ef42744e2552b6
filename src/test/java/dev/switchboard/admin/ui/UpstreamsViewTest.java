package dev.switchboard.admin.ui;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.github.mvysny.kaributesting.v10.Routes;
import com.vaadin.flow.component.UI;
import dev.switchboard.admin.UpstreamAttempts;
import dev.switchboard.llm.ChatMessage;
import dev.switchboard.llm.CompletionRequest;
import dev.switchboard.llm.RecordingListener;
import dev.switchboard.llm.UpstreamHealth;
import dev.switchboard.llm.UpstreamRouter;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import dev.switchboard.testsupport.Karibu;
import dev.switchboard.testsupport.MockUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Karibu: an admin sees each upstream's state and the latest attempts; anyone else is turned away. */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:upstreams-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Upstreams-admin-password-1"})
@DirtiesContext
class UpstreamsViewTest {
    static final OfflineModelServer primary = OfflineModelServer.start(0, Behavior.failing(503));
    static final OfflineModelServer backup = OfflineModelServer.start(0, Behavior.fast());
    private static final Routes routes = Karibu.routes(UpstreamsView.class);

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry r) {
        r.add("switchboard.upstreams[0].name", () -> "primary");
        r.add("switchboard.upstreams[0].base-url", primary::baseUrl);
        r.add("switchboard.upstreams[0].api-key", () -> "sk-rotated-away"); // the server says 401
        MockUpstream.register(r, 1, "backup", backup);
    }

    @AfterAll
    static void stop() {
        primary.close();
        backup.close();
    }

    @Autowired ApplicationContext ctx;
    @Autowired UpstreamRouter router;
    @Autowired JdbcClient jdbc;

    @AfterEach
    void tearDown() {
        Karibu.tearDown();
    }

    @Test
    void anAdminSeesTheChainWithStatesAndTheLatestAttempts() throws Exception {
        RecordingListener l = new RecordingListener();
        router.route(new CompletionRequest("gpt-5.5", List.of(ChatMessage.user("hi"))), l);
        l.await();
        for (int i = 0; i < 60; i++) {
            jdbc.sql("INSERT INTO upstream_attempts (generation_id, upstream, outcome, latency_ms, at) VALUES (?, ?, ?, ?, ?)")
                    .params("g-" + i, i % 2 == 0 ? "primary" : "backup", i % 2 == 0 ? "401 (key rejected)" : "ok", 10 + i,
                            OffsetDateTime.of(2026, 11, 25, 12, 0, i % 60, 0, ZoneOffset.UTC)).update();
        }

        Karibu.setUpLoggedIn(ctx, routes, "admin", "ADMIN");
        UI.getCurrent().navigate("admin/upstreams");
        UpstreamsView view = _get(UpstreamsView.class);

        List<UpstreamHealth.Snapshot> rows = GridKt._findAll(view.upstreams);
        assertThat(rows).extracting(UpstreamHealth.Snapshot::name).containsExactly("primary", "backup");
        assertThat(GridKt._getFormatted(view.upstreams, 0, "state")).startsWith("key rejected (trial at ");
        assertThat(GridKt._getFormatted(view.upstreams, 0, "recent")).contains("HTTP 401");
        assertThat(GridKt._getFormatted(view.upstreams, 1, "state")).isEqualTo("healthy");
        assertThat(GridKt._getFormatted(view.upstreams, 1, "calls")).isEqualTo("1");
        assertThat(GridKt._getFormatted(view.upstreams, 1, "latency")).endsWith(" ms");

        List<UpstreamAttempts.Attempt> attempts = GridKt._findAll(view.attempts);
        assertThat(attempts).hasSize(UpstreamsView.ATTEMPTS);
        assertThat(attempts.get(0).generationId()).isEqualTo("g-59");
        assertThat(GridKt._getFormatted(view.attempts, 0, "outcome")).isEqualTo("ok");
        assertThat(GridKt._getFormatted(view.attempts, 1, "outcome")).isEqualTo("401 (key rejected)");
    }

    @Test
    void aUserWhoIsNotAdminCannotOpenIt() {
        Karibu.setUpLoggedIn(ctx, routes, "ursula", "USER");
        // Karibu reports the access-denied reroute as an error (on navigate or on the next lookup).
        Throwable denied = catchThrowable(() -> {
            UI.getCurrent().navigate("admin/upstreams");
            _find(UpstreamsView.class);
        });
        assertThat(denied).hasMessageContaining("AccessDeniedException");
        assertThat(UI.getCurrent().getInternals().getActiveRouterTargetsChain()).noneMatch(c -> c instanceof UpstreamsView);
    }
}
