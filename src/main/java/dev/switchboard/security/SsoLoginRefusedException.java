package dev.switchboard.security;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;

/**
 * A single sign-on that the identity provider accepted and Switchboard refuses: the account is disabled, the provider
 * sent no usable username, or the username belongs to an account not linked to this identity. The error code says
 * which; {@code username} (may be null) is for the audit log.
 */
public class SsoLoginRefusedException extends OAuth2AuthenticationException {
    public static final String ACCOUNT_DISABLED = "account_disabled";
    public static final String USERNAME_MISSING = "username_missing";
    public static final String USERNAME_TAKEN = "username_taken";

    private final String username;

    public SsoLoginRefusedException(String code, String username, String description) {
        super(new OAuth2Error(code, description, null), description);
        this.username = username;
    }

    public String username() {
        return username;
    }
}
