package dev.switchboard.admin.users;

/** A refused admin action; the message is meant for the admin as is, the kind picks the HTTP status. */
public class UserAdminException extends RuntimeException {

    public enum Kind { INVALID, NOT_FOUND, CONFLICT }

    private final Kind kind;

    public UserAdminException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static UserAdminException invalid(String message) {
        return new UserAdminException(Kind.INVALID, message);
    }

    static UserAdminException conflict(String message) {
        return new UserAdminException(Kind.CONFLICT, message);
    }

    public static UserAdminException notFound(String username) {
        return new UserAdminException(Kind.NOT_FOUND, "There is no user '" + clip(username) + "'.");
    }

    static String clip(String s) {
        return s == null ? "" : s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
