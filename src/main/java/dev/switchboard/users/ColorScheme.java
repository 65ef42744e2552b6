package dev.switchboard.users;

/** A user's chosen colour scheme, stored by name in {@code users.color_scheme}; none stored follows the device. */
public enum ColorScheme {
    LIGHT,
    DARK
}
