package dev.switchboard.sso;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;

import java.io.Serial;
import java.util.Collection;

/**
 * A user signed in through single sign-on: the provider's claims, the account's role as authority, and the
 * account's username as the principal's name (which the rest of the app knows users by).
 */
final class SsoUser extends DefaultOidcUser {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String username;

    SsoUser(String username, Collection<? extends GrantedAuthority> authorities, OidcIdToken idToken,
            OidcUserInfo userInfo) {
        super(authorities, idToken, userInfo);
        this.username = username;
    }

    @Override
    public String getName() {
        return username;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SsoUser other && super.equals(o) && username.equals(other.username);
    }

    @Override
    public int hashCode() {
        return super.hashCode() * 31 + username.hashCode();
    }
}
