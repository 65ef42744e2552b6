package dev.switchboard.usage.ui;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.github.mvysny.kaributesting.v10.Routes;
import com.vaadin.flow.component.UI;
import dev.switchboard.testsupport.Karibu;
import dev.switchboard.usage.JdbcUsageRecorder;
import dev.switchboard.usage.UsageRecords;
import dev.switchboard.usage.UsageRow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

/** Karibu: "My usage" shows the logged-in user's own rows and nobody else's. */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:usage-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1"})
@DirtiesContext
class MyUsageViewTest {
    @Autowired
    ApplicationContext ctx;
    @Autowired
    JdbcUsageRecorder recorder;

    @AfterEach
    void tearDown() {
        Karibu.tearDown();
    }

    @Test
    void showsOnlyTheUsersOwnUsage() {
        Instant now = Instant.now().minus(1, ChronoUnit.HOURS);
        recorder.record(UsageRecords.of("alice", "gpt-5.5", "mock", 100, 50, "completed", 10L, now));
        recorder.record(UsageRecords.of("alice", "gpt-4.1", "mock", 10, 5, "completed", 30L, now));
        recorder.record(UsageRecords.of("bob", "gpt-5.5", "mock", 9_999, 9_999, "completed", 10L, now));
        recorder.flush();

        Routes routes = Karibu.routes(MyUsageView.class);
        Karibu.setUpLoggedIn(ctx, routes, "alice", "USER");
        UI.getCurrent().navigate("usage");
        MyUsageView view = _get(MyUsageView.class);
        String text = _get(UsageSummary.class).getElement().getTextRecursively();
        assertThat(text).contains("Requests2").contains("Prompt tokens110").contains("Completion tokens55")
                .contains("Cost—").doesNotContain("9,999");
        assertThat(GridKt._findAll(_get(UsageGrid.class))).extracting(UsageRow::group).containsExactly("gpt-5.5", "gpt-4.1");
        assertThat(view).isNotNull();
    }
}
