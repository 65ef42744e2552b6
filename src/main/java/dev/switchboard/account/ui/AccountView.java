package dev.switchboard.account.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.switchboard.account.PasswordChange;
import dev.switchboard.account.PasswordChangeException;
import dev.switchboard.chat.ConversationHistory;
import dev.switchboard.security.ApiTokens;
import dev.switchboard.security.SecurityService;
import dev.switchboard.users.PasswordPolicy;
import dev.switchboard.users.UserAccount;
import jakarta.annotation.security.PermitAll;

/** The logged-in user's own account: change the password, manage personal API tokens, delete all conversations. */
@Route("account")
@PageTitle("My account · Switchboard")
@PermitAll
class AccountView extends VerticalLayout {

    final PasswordField current = new PasswordField("Current password");
    final PasswordField next = new PasswordField("New password");
    final PasswordField repeat = new PasswordField("Repeat the new password");
    private final PasswordChange passwords;
    private final String username;

    AccountView(SecurityService security, PasswordChange passwords, ApiTokens tokens, ConversationHistory conversations) {
        this.passwords = passwords;
        UserAccount me = security.currentAccount().orElseThrow(); // @PermitAll: always logged in here
        this.username = me.username();
        setMaxWidth("60rem");

        current.setAutocomplete(com.vaadin.flow.component.textfield.Autocomplete.CURRENT_PASSWORD);
        next.setAutocomplete(com.vaadin.flow.component.textfield.Autocomplete.NEW_PASSWORD);
        repeat.setAutocomplete(com.vaadin.flow.component.textfield.Autocomplete.NEW_PASSWORD);
        next.setHelperText("At least " + PasswordPolicy.MIN_LENGTH + " characters, not your username. "
                + "No other rules: a few random words make a good one.");
        Button change = new Button("Change password", e -> changePassword());
        change.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        FormLayout form = new FormLayout(current, next, repeat);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1));
        form.setMaxWidth("28rem");

        add(new H2("My account"),
                new Paragraph("Signed in as " + me.username()
                        + (me.displayName() == null ? "" : " (" + me.displayName() + ")") + ", role " + me.role() + "."),
                new H3("Change password"), form, change,
                new H3("API tokens"), new AccountTokens(tokens, username),
                new H3("Conversations"), deleteAll(conversations));
    }

    /** "Delete all my conversations", after a confirmation that says what goes. */
    private Button deleteAll(ConversationHistory conversations) {
        Button delete = new Button("Delete all my conversations", e -> {
            ConfirmDialog confirm = new ConfirmDialog("Delete all your conversations?",
                    "Every conversation and all its messages will be deleted, on every device. This cannot be undone.",
                    "Delete all", done -> {
                        int n = conversations.deleteAll(username);
                        notify(n == 1 ? "1 conversation was deleted." : n + " conversations were deleted.",
                                NotificationVariant.LUMO_SUCCESS);
                    });
            confirm.setConfirmButtonTheme("error primary");
            confirm.setCancelable(true);
            confirm.open();
        });
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
        delete.addClassName("sb-delete-all-conversations");
        return delete;
    }

    void changePassword() {
        for (PasswordField f : new PasswordField[] {current, next, repeat}) f.setInvalid(false);
        try {
            passwords.change(username, current.getValue(), next.getValue(), repeat.getValue());
        } catch (PasswordChangeException e) {
            PasswordField field = switch (e.field()) {
                case CURRENT -> current;
                case NEW -> next;
                case REPEAT -> repeat;
            };
            field.setErrorMessage(e.getMessage());
            field.setInvalid(true);
            notify(e.getMessage(), NotificationVariant.LUMO_ERROR);
            return;
        }
        current.clear();
        next.clear();
        repeat.clear();
        notify("Your password was changed.", NotificationVariant.LUMO_SUCCESS);
    }

    static void notify(String message, NotificationVariant variant) {
        Notification n = new Notification(message, variant == NotificationVariant.LUMO_ERROR ? 8000 : 3000,
                Notification.Position.BOTTOM_START);
        n.addThemeVariants(variant);
        n.open();
    }
}
