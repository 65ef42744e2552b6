package dev.switchboard.usage.ui;

import dev.switchboard.usage.UsageRow;
import dev.switchboard.usage.UsageTotals;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class UsageSummaryTest {

    private static String shown(long requests, long unpriced) {
        UsageSummary summary = new UsageSummary();
        summary.show(new UsageTotals(new UsageRow(null, requests, 25, 112, BigDecimal.ZERO, unpriced, 0, 0, 0, 0), 700L, false));
        return summary.getElement().getTextRecursively();
    }

    @Test
    void oneRequestWithoutAPriceIsSingular() {
        assertThat(shown(1, 1)).contains("1 request without a price").doesNotContain("1 requests");
        assertThat(shown(3, 2)).contains("2 requests without a price");
        assertThat(shown(3, 0)).doesNotContain("without a price");
    }
}
