package dev.switchboard.account.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import dev.switchboard.security.ApiTokens;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The user's personal API tokens: create (the token is shown once, in a dialog), list, revoke. Only the name and
 * dates are ever shown again; the token itself is not stored in a form that could be.
 */
final class AccountTokens extends VerticalLayout {
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    final TextField name = new TextField("Token name");
    final Grid<ApiTokens.TokenInfo> grid = new Grid<>();
    private final ApiTokens tokens;
    private final String username;

    AccountTokens(ApiTokens tokens, String username) {
        this.tokens = tokens;
        this.username = username;
        setPadding(false);
        name.setPlaceholder("e.g. laptop script");
        name.setMaxLength(ApiTokens.MAX_NAME_LENGTH);
        Button create = new Button("Create token", e -> create());
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout form = new HorizontalLayout(name, create);
        form.setAlignItems(FlexComponent.Alignment.BASELINE);

        grid.addColumn(ApiTokens.TokenInfo::name).setHeader("Name").setFlexGrow(2).setKey("name");
        grid.addColumn(t -> at(t.createdAt())).setHeader("Created (UTC)").setAutoWidth(true).setKey("created");
        grid.addColumn(t -> t.lastUsedAt() == null ? "never" : at(t.lastUsedAt())).setHeader("Last used (UTC)")
                .setAutoWidth(true).setKey("lastUsed");
        grid.addComponentColumn(t -> {
            Button revoke = new Button("Revoke", e -> confirmRevoke(t));
            revoke.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
            return revoke;
        }).setHeader("").setAutoWidth(true).setFlexGrow(0).setKey("revoke");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.setAllRowsVisible(true);
        grid.setEmptyStateText("No API tokens yet.");

        add(new Paragraph("Programs call the API (e.g. POST /api/chat) with the header 'Authorization: Bearer <token>'. "
                + "A token acts as you; revoke it when it is no longer needed."), form, grid);
        refresh();
    }

    void refresh() {
        grid.setItems(tokens.list(username));
    }

    void create() {
        ApiTokens.CreatedToken created;
        try {
            created = tokens.create(username, name.getValue());
        } catch (IllegalArgumentException e) {
            AccountView.notify(e.getMessage(), NotificationVariant.LUMO_ERROR);
            return;
        }
        name.clear();
        refresh();
        shown(created).open();
    }

    /** The one and only time the token is visible. */
    private static Dialog shown(ApiTokens.CreatedToken created) {
        TextField token = new TextField("Token");
        token.setValue(created.token());
        token.setReadOnly(true);
        token.setAutoselect(true);
        token.setWidthFull();
        Dialog dialog = new Dialog("Your new API token: " + created.name());
        dialog.setWidth("36rem");
        Button copy = new Button("Copy", e -> {
            // Works on https and localhost; elsewhere the hint below applies.
            token.getElement().executeJs("if (navigator.clipboard) navigator.clipboard.writeText($0)", created.token());
            AccountView.notify("Copied to the clipboard.", NotificationVariant.LUMO_SUCCESS);
        });
        dialog.add(new Paragraph("Copy it now: it is shown only this once and cannot be recovered. "
                + "Select the text and press Ctrl+C (⌘C) if Copy does not work."), token);
        Button done = new Button("I have copied it", e -> dialog.close());
        done.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(copy, done);
        dialog.setCloseOnOutsideClick(false); // a stray click must not lose the token
        return dialog;
    }

    private void confirmRevoke(ApiTokens.TokenInfo token) {
        Dialog dialog = new Dialog("Revoke '" + token.name() + "'?");
        dialog.add(new Paragraph("Programs that use this token stop working at once. This cannot be undone."));
        Button revoke = new Button("Revoke", e -> {
            dialog.close();
            if (tokens.revoke(username, token.id())) {
                AccountView.notify("Revoked '" + token.name() + "'.", NotificationVariant.LUMO_SUCCESS);
            }
            refresh();
        });
        revoke.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_ERROR);
        dialog.getFooter().add(new Button("Cancel", e -> dialog.close()), revoke);
        dialog.open();
    }

    private static String at(Instant t) {
        return AT.format(t);
    }
}
