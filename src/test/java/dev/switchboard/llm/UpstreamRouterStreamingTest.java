package dev.switchboard.llm;

import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.llm.offline.OfflineModelServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamRouterStreamingTest {
    private final MockUpstreams mocks = new MockUpstreams();
    private final OfflineModelServer primary = OfflineModelServer.start(0, Behavior.fast());
    private final OfflineModelServer backup = OfflineModelServer.start(0, Behavior.fast());

    @AfterEach
    void close() {
        primary.close();
        backup.close();
        mocks.close();
    }

    private UpstreamRouter router() {
        return mocks.router(Clock.systemUTC(), Duration.ofSeconds(15), Duration.ofSeconds(2), Duration.ofSeconds(30),
                mocks.upstream("primary", primary, Duration.ofSeconds(2)), mocks.upstream("backup", backup, Duration.ofSeconds(2)));
    }

    private static CompletionRequest hello() {
        return new CompletionRequest("gpt-5.5", List.of(ChatMessage.system("sys"), ChatMessage.user("Hello there")));
    }

    @Test
    void streamsTheWholeReplyAndTheUpstreamUsageFromTheFirstUpstream() throws Exception {
        RecordingListener l = new RecordingListener();
        router().route(hello(), l);
        l.await();
        assertThat(l.events).containsExactly("started:primary", "completed");
        assertThat(l.text.toString()).contains("Offline model").contains("Hello there").contains("turn **1**");
        assertThat(l.usage.estimated()).isFalse();
        assertThat(l.usage.completionTokens()).isEqualTo(TokenCounter.countText("gpt-5.5", l.text.toString()));
        assertThat(primary.calls()).isEqualTo(1);
        assertThat(backup.calls()).isZero();
    }

    @Test
    void failsOverToTheBackupWhenThePrimaryAnswers503() throws Exception {
        primary.setBehavior(Behavior.failing(503));
        RecordingListener l = new RecordingListener();
        router().route(hello(), l);
        l.await();
        assertThat(l.events).containsExactly("failover:primary->backup:503", "started:backup", "completed");
        assertThat(primary.calls()).isEqualTo(1);
        assertThat(backup.calls()).isEqualTo(1);
    }

    @Test
    void aBrokenStreamAfterTheFirstTokenEndsInterruptedWithThePartialTextKept() throws Exception {
        primary.setBehavior(Behavior.fast().withDropAfter(5));
        RecordingListener l = new RecordingListener();
        router().route(hello(), l);
        l.await();
        assertThat(l.afterFirstToken).isTrue();
        assertThat(l.error.kind()).isEqualTo(UpstreamException.Kind.BROKEN_STREAM);
        assertThat(backup.calls()).isZero();
        assertThat(OfflineModelServerTokens.firstTokens(l.text.toString())).isEqualTo(5);
    }
}
