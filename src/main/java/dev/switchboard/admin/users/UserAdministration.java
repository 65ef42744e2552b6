package dev.switchboard.admin.users;

import dev.switchboard.users.PasswordPolicy;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccount;
import dev.switchboard.users.UserAccounts;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What admins do to users, for the admin view and the REST API alike: checks first, then the change and its
 * audit row in one transaction, so a refused or failed action leaves neither. Refusals are
 * {@link UserAdminException}s whose message can be shown as is.
 */
@Service
public class UserAdministration {

    static final int MAX_DISPLAY_NAME = 128;

    private final UserAccounts accounts;
    private final AuditLog audit;

    public UserAdministration(UserAccounts accounts, AuditLog audit) {
        this.accounts = accounts;
        this.audit = audit;
    }

    public List<UserAccount> list() {
        return accounts.list();
    }

    public Optional<UserAccount> find(String username) {
        return accounts.findByUsername(username);
    }

    @Transactional
    public UserAccount create(String actor, NewUser user) {
        if (user.role() == null) {
            throw UserAdminException.invalid("Choose a role: USER or ADMIN.");
        }
        checkQuota(user.dailyTokenQuota());
        String displayName = checkDisplayName(user.displayName());
        if (user.username() != null && accounts.findByUsername(user.username()).isPresent()) {
            throw UserAdminException.conflict("The username '" + user.username().strip() + "' is already taken.");
        }
        UserAccount created = invalidIfRefused(() -> accounts.create(user.username(), displayName, user.password(), user.role()));
        if (user.dailyTokenQuota() != null) {
            accounts.setDailyTokenQuota(created.username(), user.dailyTokenQuota());
        }
        audit.record(actor, AuditAction.USER_CREATED, created.username(), "role=" + created.role()
                + (displayName == null ? "" : ", display name=" + displayName)
                + (user.dailyTokenQuota() == null ? "" : ", daily token quota=" + user.dailyTokenQuota()));
        return accounts.findByUsername(created.username()).orElseThrow();
    }

    /** Applies all changes or none; each actual change gets its own audit row. */
    @Transactional
    public UserAccount update(String actor, String username, UserChanges changes) {
        UserAccount account = accounts.findByUsername(username).orElseThrow(() -> UserAdminException.notFound(username));
        String name = account.username();
        if (changes.password() != null) {
            invalidIfRefused(() -> PasswordPolicy.check(name, changes.password()));
        }
        if (changes.changeQuota()) {
            checkQuota(changes.dailyTokenQuota());
        }
        String displayName = changes.displayName() == null ? null : checkDisplayName(changes.displayName());
        protectAdmins(actor, account, changes);

        if (changes.role() != null && changes.role() != account.role()) {
            invalidIfRefused(() -> accounts.setRole(name, changes.role()));
            audit.record(actor, AuditAction.ROLE_CHANGED, name, account.role() + " → " + changes.role());
        }
        if (changes.enabled() != null && changes.enabled() != account.enabled()) {
            invalidIfRefused(() -> accounts.setEnabled(name, changes.enabled()));
            audit.record(actor, changes.enabled() ? AuditAction.USER_ENABLED : AuditAction.USER_DISABLED, name, null);
        }
        if (changes.changeQuota() && !Objects.equals(changes.dailyTokenQuota(), account.dailyTokenQuota())) {
            accounts.setDailyTokenQuota(name, changes.dailyTokenQuota());
            audit.record(actor, AuditAction.QUOTA_CHANGED, name,
                    quota(account.dailyTokenQuota()) + " → " + quota(changes.dailyTokenQuota()));
        }
        if (changes.password() != null) {
            invalidIfRefused(() -> accounts.changePassword(name, changes.password()));
            audit.record(actor, AuditAction.PASSWORD_RESET, name, null);
        }
        if (changes.displayName() != null && !Objects.equals(displayName, account.displayName())) {
            accounts.setDisplayName(name, displayName);
            audit.record(actor, AuditAction.DISPLAY_NAME_CHANGED, name, displayName == null ? "(cleared)" : displayName);
        }
        return accounts.findByUsername(name).orElseThrow();
    }

    public UserAccount setEnabled(String actor, String username, boolean enabled) {
        return update(actor, username, UserChanges.none().withEnabled(enabled));
    }

    public UserAccount setRole(String actor, String username, Role role) {
        return update(actor, username, UserChanges.none().withRole(Objects.requireNonNull(role, "role")));
    }

    public UserAccount resetPassword(String actor, String username, String newPassword) {
        if (newPassword == null) {
            throw UserAdminException.invalid("The password must not be empty.");
        }
        return update(actor, username, UserChanges.none().withPassword(newPassword));
    }

    /** {@code null} removes the limit. */
    public UserAccount setDailyTokenQuota(String actor, String username, Long quota) {
        return update(actor, username, UserChanges.none().withQuota(quota));
    }

    /**
     * The last enabled admin can be neither disabled nor demoted (else nobody could administer the app), and an
     * admin cannot disable the account they are using. Checked here for a clear 409; UserAccounts checks again.
     */
    private void protectAdmins(String actor, UserAccount account, UserChanges changes) {
        boolean disabling = Boolean.FALSE.equals(changes.enabled()) && account.enabled();
        boolean demoting = changes.role() != null && changes.role() != Role.ADMIN && account.isAdmin();
        if (account.isAdmin() && account.enabled() && (disabling || demoting)) {
            boolean another = accounts.list().stream()
                    .anyMatch(u -> u.isAdmin() && u.enabled() && u.id() != account.id());
            if (!another) {
                throw UserAdminException.conflict("'" + account.username() + "' is the last enabled admin: it cannot be "
                        + (disabling ? "disabled" : "demoted") + ". Make another user an admin first.");
            }
        }
        if (disabling && actor != null && actor.equalsIgnoreCase(account.username())) {
            throw UserAdminException.conflict("You cannot disable your own account.");
        }
    }

    private static void checkQuota(Long quota) {
        if (quota != null && quota < 0) {
            throw UserAdminException.invalid("The daily token quota must be 0 or more (or empty for no limit).");
        }
    }

    /** Blank means none; control characters are refused rather than stored. */
    private static String checkDisplayName(String displayName) {
        if (displayName == null || displayName.isBlank()) {
            return null;
        }
        String d = displayName.strip();
        if (d.length() > MAX_DISPLAY_NAME) {
            throw UserAdminException.invalid("The display name must be at most " + MAX_DISPLAY_NAME + " characters long.");
        }
        if (d.chars().anyMatch(Character::isISOControl)) {
            throw UserAdminException.invalid("The display name must not contain control characters.");
        }
        return d;
    }

    private static String quota(Long q) {
        return q == null ? "no limit" : q.toString();
    }

    /** UserAccounts refuses with IllegalArgumentException (and InvalidPasswordException); all are the caller's fault. */
    private static <T> T invalidIfRefused(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (IllegalArgumentException e) {
            throw UserAdminException.invalid(e.getMessage());
        }
    }

    private static void invalidIfRefused(Runnable action) {
        invalidIfRefused(() -> {
            action.run();
            return null;
        });
    }
}
