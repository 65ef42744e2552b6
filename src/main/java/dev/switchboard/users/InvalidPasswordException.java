package dev.switchboard.users;

/** A password that breaks {@link PasswordPolicy}; the message is meant to be shown to the user as is. */
public class InvalidPasswordException extends IllegalArgumentException {
    public InvalidPasswordException(String message) {
        super(message);
    }
}
