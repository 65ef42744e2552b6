package dev.switchboard.chat.ui;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import dev.switchboard.chat.Conversation;
import dev.switchboard.ui.LightButton;

import java.util.function.Consumer;

/**
 * The shown conversation's title (renamed in place) and its actions: pin, export as Markdown or JSON, its own system
 * prompt, delete (after a confirmation). The actions are made when a stored conversation is first shown, so an idle
 * new chat keeps no state for them.
 */
final class ConversationHeader extends Div {
    /** What the view does for the header. */
    interface Actions {
        void rename(String title);
        void pin(boolean pinned);
        void delete();
        void systemPrompt(String prompt);
    }

    private final Actions actions;
    private final H2 title = new H2();
    private final Span tokens;
    private Div tools;
    private LightButton pin;
    private Anchor markdown, json;
    private TextField renaming;
    private Conversation shown;

    ConversationHeader(Actions actions, Span tokens) {
        this.actions = actions;
        this.tokens = tokens;
        addClassName("sb-pane-header");
        title.addClassName("sb-title");
        add(title, tokens);
    }

    /** Shows the conversation's title; its actions once it is stored. */
    void show(Conversation c) {
        shown = c;
        stopRenaming();
        title.setText(c.title());
        if (!c.stored()) {
            if (tools != null) tools.setVisible(false);
            return;
        }
        if (tools == null) makeTools();
        tools.setVisible(true);
        pin.setText(c.pinned() ? "Unpin" : "Pin");
        markdown.setHref("api/conversations/" + c.id() + "/export?format=markdown");
        json.setHref("api/conversations/" + c.id() + "/export?format=json");
    }

    String title() { return title.getText(); }

    void startRenaming() {
        if (renaming != null || shown == null) return;
        renaming = new TextField();
        renaming.setValue(shown.title());
        renaming.addClassName("sb-rename");
        renaming.setAriaLabel("Conversation title");
        renaming.addKeyPressListener(Key.ENTER, e -> finishRenaming());
        renaming.addKeyPressListener(Key.ESCAPE, e -> stopRenaming());
        renaming.addBlurListener(e -> finishRenaming());
        title.setVisible(false);
        addComponentAtIndex(0, renaming);
        renaming.focus();
    }

    void finishRenaming() {
        if (renaming == null) return;
        String value = renaming.getValue();
        stopRenaming();
        actions.rename(value);
    }

    TextField renameField() { return renaming; }

    private void stopRenaming() {
        if (renaming == null) return;
        remove(renaming);
        renaming = null;
        title.setVisible(true);
    }

    private void makeTools() {
        LightButton rename = tool("Rename", "vaadin:pencil", "sb-rename-button");
        rename.onClick(this::startRenaming);
        pin = tool("Pin", "vaadin:pin", "sb-pin");
        pin.onClick(() -> actions.pin(!shown.pinned()));
        markdown = download("Markdown", "sb-export-markdown");
        json = download("JSON", "sb-export-json");
        LightButton prompt = tool("System prompt", "vaadin:cog", "sb-system-prompt");
        prompt.onClick(this::editSystemPrompt);
        LightButton delete = tool("Delete", "vaadin:trash", "sb-delete");
        delete.withTheme("error");
        delete.onClick(this::confirmDelete);
        tools = new Div(rename, pin, markdown, json, prompt, delete);
        tools.addClassName("sb-conversation-tools");
        add(tools);
    }

    private void confirmDelete() {
        ConfirmDialog confirm = new ConfirmDialog("Delete this conversation?",
                "\u201c" + shown.title() + "\u201d and all its messages will be deleted. This cannot be undone.",
                "Delete", e -> actions.delete());
        confirm.setConfirmButtonTheme("error primary");
        confirm.setCancelable(true);
        confirm.addClassName("sb-confirm-delete");
        confirm.open();
    }

    private void editSystemPrompt() {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("System prompt of this conversation");
        TextArea area = new TextArea();
        area.setWidth("36rem");
        area.setMaxWidth("100%");
        area.setMinHeight("10rem");
        area.setValue(shown.systemPrompt() == null ? "" : shown.systemPrompt());
        area.setHelperText("Empty: the global system prompt applies.");
        area.addClassName("sb-system-prompt-text");
        LightButton save = new LightButton("Save").withTheme("primary");
        save.onClick(() -> {
            actions.systemPrompt(area.getValue());
            dialog.close();
        });
        LightButton cancel = new LightButton("Cancel").withTheme("tertiary");
        cancel.onClick(dialog::close);
        dialog.add(area);
        dialog.getFooter().add(cancel, save);
        dialog.open();
    }

    private static LightButton tool(String text, String icon, String className) {
        LightButton b = new LightButton(text).withIcon(icon).withTheme("tertiary", "small");
        b.addClassName(className);
        return b;
    }

    private static Anchor download(String text, String className) {
        Anchor a = new Anchor("", text);
        a.getElement().setAttribute("download", true);
        a.getElement().setAttribute("router-ignore", true);
        a.addClassName(className);
        a.addClassName("sb-download");
        // Inline: the stylesheet's .sb-download rule did not reach these links (the screenshot showed "MarkdownJSON").
        a.getStyle().set("padding", "0 var(--lumo-space-s)").set("font-size", "var(--lumo-font-size-s)");
        return a;
    }
}
