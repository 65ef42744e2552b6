package dev.switchboard.users;

/**
 * What a login session of an enabled user may hold: the user's role, and the version of their rights and
 * credentials, which every change of role, status or password moves on.
 */
public record SessionGrant(Role role, int version) {
}
