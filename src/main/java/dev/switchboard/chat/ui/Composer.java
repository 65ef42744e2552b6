package dev.switchboard.chat.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.messages.MessageInput;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.select.SelectVariant;
import dev.switchboard.ui.LightButton;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where the user writes: the message input, Stop while a reply streams, the model picker and the offline badge.
 * The length limit is checked here (and live in the browser) so an over-long message is never lost.
 */
final class Composer extends Div {
    // Marks the text area invalid with a counter while over the limit and refuses to submit then; inline
    // executeJs on the existing component, so the pre-compiled frontend bundle stays as it is.
    private static final String LIMIT_JS = """
            const host = this, max = $0;
            const install = () => {
              const ta = host.querySelector('vaadin-text-area');
              if (!ta) { setTimeout(install, 50); return; }
              const first = ta.__sbMax === undefined;
              ta.__sbMax = max;
              if (!first) return;
              const len = () => (ta.value || '').length;
              const show = () => {
                const over = len() > ta.__sbMax;
                ta.invalid = over;
                ta.errorMessage = over ? `${len()} / ${ta.__sbMax} characters: too long to send` : '';
              };
              ta.checkValidity = () => len() <= ta.__sbMax;
              ta.addEventListener('value-changed', show);
              const submit = host.__submit;
              host.__submit = function () { if (len() > ta.__sbMax) { show(); return; } return submit.call(this); };
            };
            install();
            """;

    // Esc with the model picker open closes the picker, and only that. The chat's Esc-stops-the-reply shortcut listens
    // on <body> and stops the key there, before the picker's overlay (which listens on document) sees it; this runs
    // first (capture phase on window), so the key reaches neither.
    private static final String PICKER_ESC_JS = """
            const select = this;
            if (select.__sbEsc) return;
            select.__sbEsc = true;
            const onKey = e => {
              if (!select.isConnected) { window.removeEventListener('keydown', onKey, true); select.__sbEsc = false; return; }
              if (e.key !== 'Escape' || !select.opened) return;
              e.stopPropagation();
              e.preventDefault();
              select.opened = false;
            };
            window.addEventListener('keydown', onKey, true);
            """;

    private final MessageInput input = new MessageInput();
    private final Div row;
    private final Runnable onStop;
    /** Created when a reply first streams in this tab: until then an idle tab keeps no server-side state for it. */
    private LightButton stop;
    private final Select<String> model = new Select<>();
    private final Span limitError = new Span();
    private final int maxChars;
    private final Consumer<String> onSend;

    Composer(List<String> models, String defaultModel, boolean offline, int maxChars,
             Consumer<String> onSend, Runnable onStop) {
        this.maxChars = maxChars;
        this.onSend = onSend;
        this.onStop = onStop;
        addClassName("sb-composer");

        input.addClassName("sb-input");
        // A submit that arrives while the input is disabled (a reply streams): another window of the session started
        // one just before, and Vaadin drops a disabled component's events, which lost the text. This listener hears
        // it (registered first, so it sees the state before the event), and the send is refused visibly, the text
        // given back. An enabled input's submit goes to the submit listener below.
        input.getElement().addEventListener("submit", e -> {
                    if (!input.isEnabled()) submit(e.getEventData().getString("event.detail.value"));
                })
                .addEventData("event.detail.value")
                .setDisabledUpdateMode(com.vaadin.flow.dom.DisabledUpdateMode.ALWAYS);
        input.addSubmitListener(e -> submit(e.getValue()));
        row = new Div(input);
        row.addClassName("sb-composer-row");

        model.setItems(models);
        model.setValue(models.contains(defaultModel) ? defaultModel : models.get(0));
        model.setEmptySelectionAllowed(false);
        model.addThemeVariants(SelectVariant.LUMO_SMALL);
        model.setAriaLabel("Model");
        model.setTooltipText("Model");
        model.addClassName("sb-model");
        Div tools = new Div(model);
        tools.addClassName("sb-composer-tools");
        if (offline) {
            Span badge = new Span("Offline model");
            badge.getElement().getThemeList().add("badge contrast small");
            badge.getElement().setAttribute("title", "No upstream is configured: a built-in model answers locally.");
            badge.addClassName("sb-offline");
            tools.add(badge);
        }
        limitError.addClassName("sb-limit-error");
        limitError.getElement().setAttribute("role", "alert");
        limitError.setVisible(false);
        tools.add(limitError);
        add(row, tools);
    }

    @Override
    protected void onAttach(AttachEvent e) {
        input.getElement().executeJs(LIMIT_JS, maxChars);
        model.getElement().executeJs(PICKER_ESC_JS);
    }

    String model() { return model.getValue(); }

    /** Shows a conversation's remembered model (one no longer offered leaves the picker as it is). */
    void setModel(String m) {
        if (m != null && !m.equals(model.getValue()) && model.getListDataView().contains(m)) model.setValue(m);
    }

    /** {@code listener} hears the user pick another model. */
    void onModelPicked(Consumer<String> listener) {
        model.addValueChangeListener(e -> {
            if (e.isFromClient()) listener.accept(e.getValue());
        });
    }

    /** While a reply streams: no sending, Stop shown. */
    void setStreaming(boolean streaming) {
        input.setEnabled(!streaming);
        if (streaming && stop == null) {
            stop = new LightButton("Stop").withIcon("vaadin:stop").withTheme("error");
            stop.onClick(onStop);
            stop.addClassName("sb-stop");
            row.add(stop);
        }
        if (stop != null) stop.setVisible(streaming);
        if (!streaming) input.focus();
    }

    /** Puts text back into the input after it could not be sent (the input empties itself on submit). */
    void restore(String text) {
        input.getElement().executeJs("this.value = $0", text);
    }

    private void submit(String text) {
        if (text.length() > maxChars) {
            limitError.setText("Your message has " + text.length() + " characters; the limit is " + maxChars + ".");
            limitError.setVisible(true);
            restore(text);
            return;
        }
        limitError.setVisible(false);
        onSend.accept(text);
    }
}
