package dev.switchboard.admin.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import dev.switchboard.admin.users.NewUser;
import dev.switchboard.admin.users.UserAdminException;
import dev.switchboard.admin.users.UserAdministration;

import dev.switchboard.users.PasswordPolicy;
import dev.switchboard.users.Role;
import java.text.NumberFormat;
import java.util.Locale;
import java.util.function.Predicate;

/** The dialogs and notices of {@link UsersView}. A dialog stays open, with the reason shown, when an action is refused. */
final class UsersDialogs {
    private static final String PASSWORD_HELP = "At least " + PasswordPolicy.MIN_LENGTH
            + " characters, not the username. Long passphrases are welcome.";

    private UsersDialogs() {
    }

    static Dialog create(UserAdministration users, String actor, Runnable created) {
        TextField username = new TextField("Username");
        username.setRequired(true);
        username.setHelperText("Letters, digits, '.', '_', '@' or '-'");
        TextField displayName = new TextField("Display name");
        Select<Role> role = new Select<>();
        role.setLabel("Role");
        role.setItems(Role.values());
        role.setValue(Role.USER);
        PasswordField password = new PasswordField("Initial password");
        password.setRequired(true);
        password.setHelperText(PASSWORD_HELP);
        TextField quota = quotaField(null);

        Dialog dialog = new Dialog("New user");
        dialog.add(new FormLayout(username, displayName, role, password, quota));
        Button save = new Button("Create", e -> {
            try {
                Long q = parseQuota(quota.getValue());
                users.create(actor, new NewUser(username.getValue(), displayName.getValue(), password.getValue(),
                        role.getValue(), q));
                dialog.close();
                success("Created " + username.getValue().strip() + ".");
                created.run();
            } catch (UserAdminException ex) {
                error(ex.getMessage());
            }
        });
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", e -> dialog.close()), save);
        return dialog;
    }

    /** Asks for a new password; {@code apply} returns true when the password was accepted. */
    static Dialog password(String username, Predicate<String> apply) {
        PasswordField password = new PasswordField("New password");
        password.setHelperText(PASSWORD_HELP);
        password.setWidthFull();
        Dialog dialog = new Dialog("Reset the password of " + username);
        dialog.add(password);
        Button save = new Button("Set password", e -> {
            if (apply.test(password.getValue())) dialog.close();
        });
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", e -> dialog.close()), save);
        return dialog;
    }

    /** Asks for a daily token quota, empty for no limit; {@code apply} returns true when it was accepted. */
    static Dialog quota(String username, Long current, Predicate<Long> apply) {
        TextField quota = quotaField(current);
        quota.setWidthFull();
        Dialog dialog = new Dialog("Daily token quota of " + username);
        dialog.add(quota);
        Button save = new Button("Save", e -> {
            try {
                if (apply.test(parseQuota(quota.getValue()))) dialog.close();
            } catch (UserAdminException ex) {
                error(ex.getMessage());
            }
        });
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", e -> dialog.close()), save);
        return dialog;
    }

    static String formatQuota(Long quota) {
        return quota == null ? "no limit" : NumberFormat.getIntegerInstance(Locale.ENGLISH).format(quota);
    }

    static void success(String message) {
        Notification n = new Notification(message, 3000, Notification.Position.BOTTOM_START);
        n.addThemeVariants(NotificationVariant.LUMO_SUCCESS);
        n.open();
    }

    static void error(String message) {
        Notification n = new Notification(message, 8000, Notification.Position.MIDDLE);
        n.addThemeVariants(NotificationVariant.LUMO_ERROR);
        n.open();
    }

    private static TextField quotaField(Long current) {
        TextField quota = new TextField("Daily token quota");
        quota.setAllowedCharPattern("[0-9]");
        quota.setHelperText("Tokens per UTC day; empty for no limit");
        quota.setValue(current == null ? "" : current.toString());
        return quota;
    }

    private static Long parseQuota(String value) {
        String v = value == null ? "" : value.strip().replace(",", "");
        if (v.isEmpty()) return null;
        try {
            long q = Long.parseLong(v);
            if (q >= 0) return q;
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new UserAdminException(UserAdminException.Kind.INVALID,
                "The daily token quota must be a whole number, 0 or more (or empty for no limit).");
    }
}
