package dev.switchboard.chat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Titles are the first message as plain text: no markdown marks, one line, short. */
class TitlesTest {

    @Test
    void markdownIsStrippedToItsText() {
        assertThat(Titles.fromMessage("Plan a *trip* to `Rome`")).isEqualTo("Plan a trip to Rome");
        assertThat(Titles.fromMessage("# Heading\n\n**bold** and [a link](http://x.test)")).isEqualTo("Heading bold and a link");
        assertThat(Titles.fromMessage("- one\n- two")).isEqualTo("one two");
    }

    @Test
    void longOrBlankTitlesAreClipped() {
        assertThat(Titles.fromMessage("word ".repeat(30))).hasSize(Titles.MAX_CHARS).endsWith("…");
        assertThat(Titles.fromMessage("   ")).isEqualTo(Titles.NEW);
        assertThat(Titles.clip("  a\n b ", 200)).isEqualTo("a b");
    }
}
