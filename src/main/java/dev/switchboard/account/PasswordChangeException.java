package dev.switchboard.account;

/** A refused password change; {@link #field()} says which input is wrong, the message is for the user as is. */
public class PasswordChangeException extends RuntimeException {

    public enum Field { CURRENT, NEW, REPEAT }

    private final Field field;

    public PasswordChangeException(Field field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    public Field field() {
        return field;
    }
}
