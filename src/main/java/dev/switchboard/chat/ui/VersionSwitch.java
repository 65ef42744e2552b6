package dev.switchboard.chat.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import dev.switchboard.ui.LightButton;

import java.util.function.IntConsumer;

/** "‹ 2/3 ›" under a message with several versions (regenerated replies, edited questions); hidden with one. */
final class VersionSwitch extends Div {
    private final LightButton previous = new LightButton("‹").withTheme("tertiary", "small", "icon");
    private final LightButton next = new LightButton("›").withTheme("tertiary", "small", "icon");
    private final Span position = new Span();

    /** @param onStep gets -1 for the previous version, +1 for the next */
    VersionSwitch(IntConsumer onStep) {
        addClassName("sb-versions");
        previous.getElement().setAttribute("aria-label", "Previous version");
        next.getElement().setAttribute("aria-label", "Next version");
        previous.addClassName("sb-version-previous");
        next.addClassName("sb-version-next");
        position.addClassName("sb-version");
        previous.onClick(() -> onStep.accept(-1));
        next.onClick(() -> onStep.accept(1));
        add(previous, position, next);
        setVisible(false);
    }

    void show(int version, int versions) {
        setVisible(versions > 1);
        position.setText(version + "/" + versions);
        previous.getElement().setEnabled(version > 1);
        next.getElement().setEnabled(version < versions);
        previous.getElement().setAttribute("disabled", version <= 1);
        next.getElement().setAttribute("disabled", version >= versions);
    }

    String text() { return position.getText(); }
}
