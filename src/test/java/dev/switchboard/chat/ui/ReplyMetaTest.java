package dev.switchboard.chat.ui;

import dev.switchboard.chat.GenerationState;
import dev.switchboard.chat.GenerationStatus;
import dev.switchboard.llm.TokenUsage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The small line under a reply says who answered, how it ended and what it cost, and notes a failover. */
class ReplyMetaTest {

    private static GenerationState state(String upstream, GenerationStatus status, List<String> failovers, TokenUsage usage) {
        return new GenerationState("g", "text", upstream, "gpt-5.5", "offline".equals(upstream), status, null, failovers, usage);
    }

    @Test
    void completedReplyShowsUpstreamModelAndTokens() {
        var s = state("offline", GenerationStatus.COMPLETED, List.of(), new TokenUsage(12, 48, false));
        assertThat(ReplyMeta.line(s)).isEqualTo("offline · gpt-5.5 · 12 + 48 tokens");
        assertThat(ReplyMeta.failover(s)).isNull();
    }

    @Test
    void runningReplyShowsWhoAnswersWithoutTokens() {
        var s = state("mock", GenerationStatus.RUNNING, List.of(), new TokenUsage(12, 0, true));
        assertThat(ReplyMeta.line(s)).isEqualTo("mock · gpt-5.5");
    }

    @Test
    void stoppedReplyIsMarkedAndEstimatedTokensAreFlagged() {
        var s = state("mock", GenerationStatus.STOPPED, List.of(), new TokenUsage(10, 5, true));
        assertThat(ReplyMeta.line(s)).isEqualTo("mock · gpt-5.5 · stopped · ~10 + 5 tokens");
        assertThat(ReplyMeta.retryable(GenerationStatus.STOPPED)).isTrue();
        assertThat(ReplyMeta.retryable(GenerationStatus.COMPLETED)).isFalse();
    }

    @Test
    void failoverNamesTheBackupAndWhyThePrimaryFailed() {
        var s = state("backup", GenerationStatus.COMPLETED, List.of("primary: 503"), null);
        assertThat(ReplyMeta.failover(s)).isEqualTo("answered by backup; primary: 503");
    }
}
