package dev.switchboard.chat.ui;

import com.vaadin.flow.component.messages.MessageListItem;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.textfield.TextArea;
import dev.switchboard.chat.Conversation;
import dev.switchboard.ui.LightButton;

import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * One of the user's messages: the bubble, Edit (the text in place, sent again as a new version) and the version
 * switch. An edit that cannot be sent keeps its text in the editor.
 */
final class UserMessageView extends Div {
    private final Conversation.Entry entry;
    private final Div footer = new Div();
    private final BiConsumer<Long, String> onEdit;
    private Div editor;
    private TextArea area;

    UserMessageView(String userName, Conversation.Entry entry, BiConsumer<Long, String> onEdit, IntConsumer onVersion) {
        this.entry = entry;
        this.onEdit = onEdit;
        addClassNames("sb-message", "sb-user-message");
        getElement().setAttribute("data-id", Long.toString(entry.id()));
        LightButton edit = new LightButton("Edit").withIcon("vaadin:pencil").withTheme("tertiary", "small");
        edit.addClassName("sb-edit");
        edit.onClick(this::openEditor);
        VersionSwitch versions = new VersionSwitch(onVersion);
        versions.show(entry.version(), entry.versions());
        footer.addClassName("sb-message-footer");
        footer.getElement().appendChild(ReadingAids.copyButton());
        footer.add(edit, versions);
        MessageListItem item = Bubble.user(userName, entry.text());
        item.setTime(entry.at());
        add(Bubble.of(item), footer);
    }

    long messageId() { return entry.id(); }

    /** The editor's text while open (null when closed). */
    TextArea editor() { return area; }

    void openEditor() {
        if (editor != null) return;
        area = new TextArea();
        area.setValue(entry.text());
        area.setWidthFull();
        area.addClassName("sb-edit-text");
        area.setAriaLabel("Edit your message");
        LightButton send = new LightButton("Save & send").withTheme("primary", "small");
        send.addClassName("sb-edit-send");
        send.onClick(() -> onEdit.accept(entry.id(), area.getValue()));
        LightButton cancel = new LightButton("Cancel").withTheme("tertiary", "small");
        cancel.onClick(this::closeEditor);
        Div buttons = new Div(send, cancel);
        buttons.addClassName("sb-edit-buttons");
        editor = new Div(area, buttons);
        editor.addClassName("sb-editor");
        footer.setVisible(false);
        add(editor);
        area.focus();
    }

    void closeEditor() {
        if (editor == null) return;
        remove(editor);
        editor = null;
        area = null;
        footer.setVisible(true);
    }
}
