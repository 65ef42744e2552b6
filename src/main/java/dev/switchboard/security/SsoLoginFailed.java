package dev.switchboard.security;

/**
 * A single sign-on that failed, published for the audit log: refused by Switchboard, or by Spring Security's checks
 * of what the identity provider sent (e.g. {@code invalid_id_token} for a bad signature or an expired ID token).
 *
 * @param registration the {@code spring.security.oauth2.client.registration} id, or null if unknown
 * @param username     who tried, when known (null otherwise)
 * @param reason       an OAuth2 error code, and for a refused ID token Spring's reason (it holds no token)
 * @param remoteAddress the client's address
 */
public record SsoLoginFailed(String registration, String username, String reason, String remoteAddress) {
}
