package dev.switchboard.chat.ui;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The highlight.js files the page loads are in the WebJar on the class path (pom.xml and the version agree). */
class ReadingAidsTest {
    @Test
    void theHighlighterAndItsStyleAreServedFromTheWebJar() {
        for (String file : new String[] {ReadingAids.SCRIPT, ReadingAids.STYLE}) {
            assertThat(getClass().getClassLoader().getResource("META-INF/resources/" + file)).as(file).isNotNull();
        }
    }
}
