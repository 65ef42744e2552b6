package dev.switchboard.usage.ui;

import dev.switchboard.usage.UsageDayModel;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The server-rendered chart: bars stacked per day, escaped names, an honest empty state. */
class UsageChartTest {
    private static final LocalDate D1 = LocalDate.parse("2026-03-01");

    @Test
    void stacksModelsPerDayAndEscapesNames() {
        String svg = UsageChart.svg(List.of(
                new UsageDayModel(D1, "gpt-5.5", 300, new BigDecimal("0.5"), 0),
                new UsageDayModel(D1, "<script>", 100, null, 2),
                new UsageDayModel(D1.plusDays(2), "gpt-5.5", 50, new BigDecimal("0.1"), 0)), D1, D1.plusDays(6), UsageChart.Metric.TOKENS);
        assertThat(svg).startsWith("<svg").endsWith("</svg>");
        assertThat(svg).doesNotContain("<script>").contains("&lt;script&gt;");
        assertThat(svg.split("<rect ", -1).length - 1).as("2 legend swatches + 3 bar segments").isEqualTo(5);
        assertThat(svg).contains("2026-03-01 · gpt-5.5: 300 tokens");
        assertThat(svg).contains("Mar 1");
    }

    @Test
    void costChartLeavesUnpricedModelsOutAndSaysSo() {
        String svg = UsageChart.svg(List.of(new UsageDayModel(D1, "free", 100, null, 1),
                new UsageDayModel(D1, "paid", 100, new BigDecimal("1.25"), 0)), D1, D1, UsageChart.Metric.COST);
        assertThat(svg).contains("paid: $1.25").doesNotContain("free: $").contains("priced requests only");
    }

    @Test
    void emptyRangeSaysSo() {
        assertThat(UsageChart.svg(List.of(), D1, D1.plusDays(29), UsageChart.Metric.TOKENS)).contains("No usage in this range");
    }

    @Test
    void smallCostsGetTheDecimalsTheirGridStepNeeds() {
        // Costs of a few tenths of a cent: every tick read "$0.00" before.
        String svg = UsageChart.svg(List.of(new UsageDayModel(D1, "paid", 100, new BigDecimal("0.0031"), 0)),
                D1, D1, UsageChart.Metric.COST);
        assertThat(svg).contains(">$0<", ">$0.001<", ">$0.002<", ">$0.003<", ">$0.004<").doesNotContain(">$0.00<");
        assertThat(UsageChart.axis(0.05, 0.05, UsageChart.Metric.COST)).isEqualTo("$0.05");
        assertThat(UsageChart.axis(0.5, 0.5, UsageChart.Metric.COST)).isEqualTo("$0.50");
        assertThat(UsageChart.axis(0.0015, 0.0005, UsageChart.Metric.COST)).isEqualTo("$0.0015");
        assertThat(UsageChart.axis(2500, 500, UsageChart.Metric.COST)).isEqualTo("$2.5k");
    }

    @Test
    void aModelHasTheSameColourInTokensAndCostAndWhateverTheOtherModels() {
        // "cheap" has the most tokens, "dear" the highest cost: the two metrics order them differently.
        List<UsageDayModel> data = List.of(new UsageDayModel(D1, "cheap", 10_000, new BigDecimal("0.01"), 0),
                new UsageDayModel(D1, "dear", 100, new BigDecimal("2.00"), 0));
        String tokens = UsageChart.svg(data, D1, D1, UsageChart.Metric.TOKENS);
        String cost = UsageChart.svg(data, D1, D1, UsageChart.Metric.COST);
        assertThat(fillOf(tokens, "cheap")).isEqualTo(fillOf(cost, "cheap"));
        assertThat(fillOf(tokens, "dear")).isEqualTo(fillOf(cost, "dear")).isNotEqualTo(fillOf(tokens, "cheap"));

        var alone = UsageChart.colors(List.of("gpt-5.5"));
        var many = UsageChart.colors(List.of("a", "b", "c", "d", "e", "f", "g", "gpt-5.5"));
        assertThat(many.values()).as("all different while the palette lasts").doesNotHaveDuplicates();
        assertThat(UsageChart.colors(List.of("gpt-5.5", "local"))).containsEntry("gpt-5.5", alone.get("gpt-5.5"));
        assertThat(UsageChart.colors(List.of("local", "gpt-5.5"))).isEqualTo(UsageChart.colors(List.of("gpt-5.5", "local")));
    }

    /** The fill of the bar segment whose tooltip names {@code model}. */
    private static String fillOf(String svg, String model) {
        int title = svg.indexOf("· " + model + ":");
        int rect = svg.lastIndexOf("<rect ", title);
        String tag = svg.substring(rect, svg.indexOf('>', rect));
        return tag.replaceAll(".*fill=\"([^\"]+)\".*", "$1");
    }

    @Test
    void niceSteps() {
        assertThat(UsageChart.niceStep(1000)).isEqualTo(500); // 1000 / 4 = 250, rounded up to 5 x 100
        assertThat(UsageChart.niceStep(40)).isEqualTo(10);
        assertThat(UsageChart.niceStep(7)).isEqualTo(2);
    }
}
