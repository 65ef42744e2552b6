package dev.switchboard.account;

import dev.switchboard.account.PasswordChangeException.Field;
import dev.switchboard.security.LoginThrottle;
import dev.switchboard.security.LoginThrottledException;
import dev.switchboard.users.InvalidPasswordException;
import dev.switchboard.users.PasswordPolicy;
import dev.switchboard.users.UserAccounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * A user changes their own password: the current one must be given. Checking it goes through the same
 * {@link LoginThrottle} as the login, so a stolen session cannot be used to guess the password faster than the
 * login form allows.
 */
@Service
public class PasswordChange {
    private static final Logger log = LoggerFactory.getLogger(PasswordChange.class);

    private final UserAccounts accounts;
    private final LoginThrottle throttle;

    public PasswordChange(UserAccounts accounts, LoginThrottle throttle) {
        this.accounts = accounts;
        this.throttle = throttle;
    }

    /** @throws PasswordChangeException with a message for the user when the change is refused */
    public void change(String username, String current, String next, String repeat) {
        if (current == null || current.isEmpty()) {
            throw new PasswordChangeException(Field.CURRENT, "Enter your current password.");
        }
        // Cheap checks first: they cost no password hash and no attempt.
        try {
            PasswordPolicy.check(username, next);
        } catch (InvalidPasswordException e) {
            throw new PasswordChangeException(Field.NEW, e.getMessage());
        }
        if (!next.equals(repeat)) {
            throw new PasswordChangeException(Field.REPEAT, "The two new passwords do not match.");
        }
        try {
            throttle.attempt(username, () -> {
                if (!accounts.passwordMatches(username, current)) {
                    throw new PasswordChangeException(Field.CURRENT, "The current password is not correct.");
                }
                return true;
            });
        } catch (LoginThrottledException e) {
            throw new PasswordChangeException(Field.CURRENT, "Too many wrong passwords. Try again in "
                    + LoginThrottledException.describe(e.retryAfter()) + ".");
        }
        if (next.equals(current)) {
            throw new PasswordChangeException(Field.NEW, "The new password must differ from the current one.");
        }
        accounts.changePassword(username, next);
        log.info("User '{}' changed their password", username);
    }
}
