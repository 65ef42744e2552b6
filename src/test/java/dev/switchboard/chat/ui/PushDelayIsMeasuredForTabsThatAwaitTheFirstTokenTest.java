package dev.switchboard.chat.ui;

import com.vaadin.flow.component.UI;
import dev.switchboard.llm.offline.Behavior;
import dev.switchboard.testsupport.Karibu;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * switchboard_push_delay_seconds: the time from a reply's first token to a tab showing it, measured once per tab
 * that followed the reply from its start; a tab that opens the reply later (a reload, a second tab) is not a
 * first-token delay and is not measured.
 */
class PushDelayIsMeasuredForTabsThatAwaitTheFirstTokenTest extends ChatUiTestBase {

    @Autowired
    MeterRegistry registry;

    private long measured() {
        return registry.get("switchboard.push.delay").timer().count();
    }

    @Test
    void theSendingTabIsMeasuredOnceAndATabOpenedMidStreamIsNot() {
        upstream.setBehavior(Behavior.fast().withFirstTokenDelay(Duration.ofMillis(300))
                .withTokensPerSecond(50).withReplyTokens(60)); // the tab subscribes before the first token
        long before = measured();
        send("Measure me");
        ReplyView reply = lastReply();
        Karibu.await("the first token shown", () -> !reply.text().isEmpty());
        assertThat(measured()).isEqualTo(before + 1);
        double seconds = registry.get("switchboard.push.delay").timer().max(java.util.concurrent.TimeUnit.SECONDS);
        assertThat(seconds).as("shown within a second of its arrival").isPositive().isLessThan(1);

        UI second = Karibu.openSecondTab();
        assertThat(lastReply(second).text()).isNotEmpty();
        awaitEnd(reply);
        assertThat(measured()).as("neither more tokens nor a later tab add one").isEqualTo(before + 1);
    }

    @Test
    void aFirstTokenAlreadyInWhenTheSendingTabSubscribesIsMeasuredToo() {
        upstream.setBehavior(Behavior.fast()); // often in before the tab has subscribed
        long before = measured();
        send("Fast");
        awaitEnd(lastReply());
        assertThat(measured()).isEqualTo(before + 1);
    }
}
