package dev.switchboard.users;

import java.nio.charset.StandardCharsets;

/** Password rules, shared by the UI, the API and the admin bootstrap. */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 12;
    /** BCrypt only looks at the first 72 bytes; longer passwords are refused rather than silently cut. */
    public static final int MAX_BYTES = 72;

    private PasswordPolicy() {
    }

    /**
     * Checks a new password for a user.
     *
     * @throws InvalidPasswordException with a message fit for the user when the password is not acceptable
     */
    public static void check(String username, String password) {
        if (password == null || password.isBlank()) {
            throw new InvalidPasswordException("The password must not be empty.");
        }
        if (password.codePointCount(0, password.length()) < MIN_LENGTH) {
            throw new InvalidPasswordException("The password must be at least " + MIN_LENGTH + " characters long.");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new InvalidPasswordException("The password must be at most " + MAX_BYTES + " bytes long.");
        }
        if (username != null && password.strip().equalsIgnoreCase(username.strip())) {
            throw new InvalidPasswordException("The password must not be the same as the username.");
        }
    }
}
