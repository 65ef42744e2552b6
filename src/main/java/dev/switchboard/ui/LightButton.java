package dev.switchboard.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasStyle;
import com.vaadin.flow.component.HasText;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.dom.Element;
import com.vaadin.flow.shared.Registration;

import java.util.List;

/**
 * A {@code vaadin-button} that keeps only what a button in a chat tab needs on the server: its text, classes and one
 * click listener. Every open tab keeps its components' state while it is open, and a {@link Button} keeps ~4 KB: its
 * disable-on-click controller and each click listener each register a DOM listener that asks the browser for ten
 * properties of every click (coordinates, modifier keys), held per listener as a set and as JSON. This one asks for
 * none. The browser's button is the same web component: keyboard, focus and theme work as before; {@link MainLayout}
 * has its frontend code loaded.
 */
@Tag("vaadin-button")
public final class LightButton extends Component implements HasText, HasStyle {

    public LightButton(String text) {
        setText(text);
    }

    /** Adds a Vaadin icon before the text ({@code "vaadin:plus"}): a plain element, not an {@link Icon} component. */
    public LightButton withIcon(String icon) {
        getElement().appendChild(new Element("vaadin-icon").setAttribute("icon", icon).setAttribute("slot", "prefix"));
        return this;
    }

    /** Adds theme variants of the web component ({@code "contrast"}, {@code "tertiary"}, {@code "error"}). */
    public LightButton withTheme(String... variants) {
        getElement().getThemeList().addAll(List.of(variants));
        return this;
    }

    /** Runs {@code action} on a click, or Enter or Space while focused (the web component turns those into a click). */
    public Registration onClick(Runnable action) {
        return getElement().addEventListener("click", e -> action.run());
    }
}
