package dev.switchboard.admin.ui;

import com.github.mvysny.kaributesting.v10.HasValueUtilsKt;
import com.github.mvysny.kaributesting.v10.Routes;
import com.vaadin.flow.component.Svg;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import dev.switchboard.testsupport.Karibu;
import dev.switchboard.usage.JdbcUsageRecorder;
import dev.switchboard.usage.UsageRecords;
import dev.switchboard.usage.UsageRow;
import dev.switchboard.usage.ui.UsageGrid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

/** Karibu: the dashboard shows the rows in its totals, grids and chart; a non-admin cannot open it. */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:usage-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1",
        "switchboard.prices[gpt-5.5].input-per-million=1",
        "switchboard.prices[gpt-5.5].output-per-million=2"})
@DirtiesContext
class UsageViewTest {
    private static Routes routes;
    private static boolean loaded;

    @Autowired
    ApplicationContext ctx;
    @Autowired
    JdbcUsageRecorder recorder;

    @BeforeAll
    static void routes() {
        routes = Karibu.routes(UsageView.class);
        loaded = false;
    }

    @BeforeEach
    void data() {
        if (loaded) return;
        loaded = true;
        Instant now = Instant.now();
        recorder.record(UsageRecords.of("alice", "gpt-5.5", "mock", 1_000_000, 500_000, "completed", 120L, now.minus(1, ChronoUnit.HOURS)));
        recorder.record(UsageRecords.of("alice", "gpt-5.5", null, 10, 0, "failed", null, now.minus(2, ChronoUnit.DAYS)));
        recorder.record(UsageRecords.of("bob", "free-model", "mock", 300, 700, "completed", 80L, now.minus(3, ChronoUnit.DAYS)));
        recorder.record(UsageRecords.of("old", "gpt-5.5", "mock", 5, 5, "completed", 1L, now.minus(40, ChronoUnit.DAYS)));
        recorder.flush();
    }

    @AfterEach
    void tearDown() {
        Karibu.tearDown();
    }

    @Test
    void adminSeesTotalsGridsAndChartOfTheLast30Days() {
        Karibu.setUpLoggedIn(ctx, routes, "admin", "ADMIN");
        UI.getCurrent().navigate("admin/usage");
        UsageView view = _get(UsageView.class);

        assertThat(card(view, "Requests")).isEqualTo("3");
        assertThat(card(view, "Prompt tokens")).isEqualTo("1,000,310");
        assertThat(card(view, "Completion tokens")).isEqualTo("500,700");
        assertThat(card(view, "Cost")).isEqualTo("$2.00"); // 1M * $1 + 0.5M * $2 (+ $0.00001 for the failed one)
        assertThat(card(view, "Error rate")).isEqualTo("33.3 %");
        assertThat(card(view, "Median time to first token")).isEqualTo("100 ms");

        List<UsageGrid> grids = _find(UsageGrid.class);
        assertThat(grids).hasSize(2);
        assertThat(items(grids.get(0))).extracting(UsageRow::group).containsExactly("alice", "bob");
        assertThat(items(grids.get(1))).extracting(UsageRow::group).containsExactly("gpt-5.5", "free-model");
        assertThat(grids.get(1).getColumnByKey("cost").getRenderer()).isNotNull();
        assertThat(items(grids.get(1)).get(1).costUsd()).as("unpriced model").isNull();

        String svg = _get(Svg.class).getElement().getProperty("innerHTML");
        assertThat(svg).contains("<svg").contains("gpt-5.5").contains("free-model").contains("<rect");
    }

    @Test
    void filtersNarrowEverything() {
        Karibu.setUpLoggedIn(ctx, routes, "admin", "ADMIN");
        UI.getCurrent().navigate("admin/usage");
        UsageView view = _get(UsageView.class);
        @SuppressWarnings("unchecked")
        ComboBox<String> user = _get(ComboBox.class, spec -> spec.withLabel("User"));
        assertThat(com.github.mvysny.kaributesting.v10.ComboBoxKt.getSuggestionItems(user)).containsExactly("alice", "bob");
        HasValueUtilsKt._setValue(user, "bob"); // as if the user picked it
        assertThat(card(view, "Requests")).isEqualTo("1");
        assertThat(card(view, "Cost")).isEqualTo("—");
    }

    @Test
    void aUserWhoIsNotAdminCannotOpenTheDashboard() {
        Karibu.setUpLoggedIn(ctx, routes, "ursula", "USER");
        UI.getCurrent().navigate("admin/usage");
        // Vaadin reroutes to its error view (AccessDeniedException): the dashboard is never created.
        Object shown = UI.getCurrent().getInternals().getActiveRouterTargetsChain().get(0);
        assertThat(shown).isNotInstanceOf(UsageView.class);
        assertThat(((com.vaadin.flow.component.Component) shown).getElement().getTextRecursively()).contains("AccessDenied");
    }

    private static String card(UsageView view, String label) {
        return view.getElement().getChildren().toList().stream().flatMap(e -> e.getChildren())
                .filter(e -> label.equals(e.getAttribute("data-label"))).findFirst()
                .map(e -> e.getChild(1).getText()).orElseThrow(() -> new AssertionError("no card " + label));
    }

    @SuppressWarnings("unchecked")
    private static List<UsageRow> items(Grid<UsageRow> grid) {
        return com.github.mvysny.kaributesting.v10.GridKt._findAll(grid);
    }
}
