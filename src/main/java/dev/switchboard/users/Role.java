package dev.switchboard.users;

/** The two roles; Spring Security sees them as authorities {@code ROLE_USER} and {@code ROLE_ADMIN}. */
public enum Role {
    USER,
    ADMIN;

    /** The Spring authority name, e.g. {@code ROLE_ADMIN}. */
    public String authority() {
        return "ROLE_" + name();
    }
}
