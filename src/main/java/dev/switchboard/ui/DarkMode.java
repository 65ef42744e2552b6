package dev.switchboard.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.page.Inline;
import com.vaadin.flow.server.AppShellSettings;
import com.vaadin.flow.theme.lumo.Lumo;

import java.util.function.Consumer;

/**
 * Lumo's dark variant on the page. The server's word is the {@code dark} theme on the UI element ({@code <body>});
 * until the app has started, a script in {@code <head>} puts it on {@code <html>} from what this browser last knew
 * (the user's choice, kept in localStorage) or the device's {@code prefers-color-scheme}, so a dark page does not
 * flash white while it loads. Once the server has applied the user's stored choice both agree.
 */
final class DarkMode {
    static final String STORAGE_KEY = "sb-color-scheme";

    /** In {@code <head>}, before anything renders: the guess until the server answers (the login page keeps it). */
    static final String EARLY_JS = "try { const p = localStorage.getItem('" + STORAGE_KEY + "');"
            + " if (p ? p === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches)"
            + " document.documentElement.setAttribute('theme', 'dark'); } catch (e) { }";

    private static final String SYNC_JS = "const dark = $0, chosen = $1;"
            + " if (dark) document.documentElement.setAttribute('theme', 'dark');"
            + " else document.documentElement.removeAttribute('theme');"
            + " try { if (chosen) localStorage.setItem('" + STORAGE_KEY + "', dark ? 'dark' : 'light');"
            + " else localStorage.removeItem('" + STORAGE_KEY + "'); } catch (e) { }";

    private DarkMode() {}

    static void addEarlyScript(AppShellSettings settings) {
        settings.addInlineWithContents(Inline.Position.PREPEND, EARLY_JS, Inline.Wrapping.JAVASCRIPT);
    }

    /** Dark or light, as the user chose ({@code chosen}) or as the device prefers. */
    static void apply(UI ui, boolean dark, boolean chosen) {
        if (dark) ui.getElement().getThemeList().add(Lumo.DARK);
        else ui.getElement().getThemeList().remove(Lumo.DARK);
        ui.getPage().executeJs(SYNC_JS, dark, chosen);
    }

    /** No choice stored: asks the browser what the device prefers, applies it, then tells {@code then}. */
    static void followDevice(UI ui, Consumer<Boolean> then) {
        ui.getPage().executeJs("return matchMedia('(prefers-color-scheme: dark)').matches")
                .then(Boolean.class, dark -> {
                    apply(ui, Boolean.TRUE.equals(dark), false);
                    then.accept(Boolean.TRUE.equals(dark));
                });
    }

    static boolean isDark(UI ui) {
        return ui.getElement().getThemeList().contains(Lumo.DARK);
    }
}
