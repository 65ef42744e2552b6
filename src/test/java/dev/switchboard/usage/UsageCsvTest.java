package dev.switchboard.usage;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The CSV export's cells: formula guard, RFC 4180 quoting, empty cost, CRLF, header even with no rows. */
class UsageCsvTest {
    private static UsageRow row(String group, BigDecimal cost) {
        return new UsageRow(group, 2, 10, 20, cost, cost == null ? 2 : 0, 1, 0, 0, 1);
    }

    @Test
    void aHeaderAndOneCrlfLinePerRow() {
        assertThat(UsageCsv.of(List.of(row("alice", new BigDecimal("0.00610000")), row("bob", null))))
                .isEqualTo(UsageCsv.HEADER + "\r\nalice,2,10,20,30,0.00610000,0,1,0,0,1\r\nbob,2,10,20,30,,2,1,0,0,1\r\n");
    }

    @Test
    void noRowsIsTheHeaderAlone() {
        assertThat(UsageCsv.of(List.of())).isEqualTo(UsageCsv.HEADER + "\r\n");
        assertThat(UsageCsv.withSections(List.of())).isEqualTo("section," + UsageCsv.HEADER + "\r\n");
    }

    @Test
    void cellsThatAFormulaCouldStartWithAreDefused() {
        for (String start : List.of("=", "+", "-", "@")) {
            assertThat(UsageCsv.of(List.of(row(start + "1+1", null)))).as(start)
                    .contains("\r\n\"'" + start + "1+1\",2,"); // Jackson quotes a cell with a ' in it: still RFC 4180
        }
        assertThat(UsageCsv.withSections(List.of(new UsageCsv.Section("=totals", List.of(row("a", null))))))
                .contains("\r\n\"'=totals\",a,");
        assertThat(UsageCsv.of(List.of(row("a-b=c", null)))).as("only a first character").contains("\r\na-b=c,2,");
    }

    @Test
    void commasQuotesAndLineBreaksAreQuoted() {
        String csv = UsageCsv.of(List.of(row("bob, the \"second\"", null), row("two\nlines", null), row("cr\rlf", null)));
        assertThat(csv).contains("\r\n\"bob, the \"\"second\"\"\",2,")
                .contains("\r\n\"two\nlines\",2,")
                .contains("\r\n\"cr\rlf\",2,");
    }

    @Test
    void sectionsComeFirst() {
        assertThat(UsageCsv.withSections(List.of(new UsageCsv.Section("users", List.of(row("alice", null))),
                new UsageCsv.Section("models", List.of(row("gpt-5.5", BigDecimal.ONE))))))
                .isEqualTo("section," + UsageCsv.HEADER + "\r\nusers,alice,2,10,20,30,,2,1,0,0,1\r\n"
                        + "models,gpt-5.5,2,10,20,30,1,0,1,0,0,1\r\n");
    }
}
