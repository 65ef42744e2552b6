package dev.switchboard.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard check reads metric names out of PromQL, and nothing else: functions, labels and values are not names. */
class GrafanaDashboardParsingTest {

    @Test
    void findsTheMetricNamesOfAnExpression() {
        assertThat(GrafanaDashboard.metricNames("histogram_quantile(0.95, sum by (le, upstream) "
                + "(rate(switchboard_time_to_first_token_seconds_bucket{upstream=~\"a|b\", le!=\"1e-3\"}[$__rate_interval])))"))
                .containsExactly("switchboard_time_to_first_token_seconds_bucket");
        assertThat(GrafanaDashboard.metricNames("sum(rate(a_total{x=\"y\"}[5m])) / on (job) group_left sum(b_total) > bool 1e3"))
                .containsExactly("a_total", "b_total");
        assertThat(GrafanaDashboard.metricNames("switchboard_generations_totl")).as("a typo is a name the scrape lacks")
                .containsExactly("switchboard_generations_totl");
    }
}
