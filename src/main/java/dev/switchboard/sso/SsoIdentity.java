package dev.switchboard.sso;

import dev.switchboard.users.Role;

/**
 * Who the identity provider says signed in.
 *
 * @param registration the registration id it came through (for the audit log)
 * @param issuer       the ID token's issuer and {@code subject} its subject: the identity's lasting key
 * @param username     the configured claim's value, or null when missing
 * @param role         from the admin group, or null when roles are not taken from the provider
 */
record SsoIdentity(String registration, String issuer, String subject, String username, String displayName, Role role) {
}
