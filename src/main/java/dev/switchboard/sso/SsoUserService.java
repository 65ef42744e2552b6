package dev.switchboard.sso;

import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccount;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.List;

/**
 * Spring Security's OIDC login asks this bean (found by its type) for the user after it has checked the ID token
 * (signature, issuer, audience, expiry, nonce): Spring's own service reads the claims (and the user-info endpoint
 * when configured), then {@link SsoAccounts} finds or makes the Switchboard account. The principal carries the
 * account's username and role.
 */
@Component
class SsoUserService implements OAuth2UserService<OidcUserRequest, OidcUser> {

    private final OidcUserService provider = new OidcUserService();
    private final SsoAccounts accounts;
    private final OidcProperties properties;

    SsoUserService(SsoAccounts accounts, OidcProperties properties) {
        this.accounts = accounts;
        this.properties = properties;
    }

    @Override
    public OidcUser loadUser(OidcUserRequest request) {
        OidcUser user = provider.loadUser(request);
        UserAccount account = accounts.signIn(identity(request.getClientRegistration().getRegistrationId(), user));
        return new SsoUser(account.username(), List.of(new SimpleGrantedAuthority(account.role().authority())),
                user.getIdToken(), user.getUserInfo());
    }

    SsoIdentity identity(String registration, OidcUser user) {
        Object name = user.getClaims().get(properties.usernameClaim());
        Role role = properties.rolesFromGroups()
                ? (groups(user.getClaims().get(properties.groupsClaim())).contains(properties.adminGroup()) ? Role.ADMIN : Role.USER)
                : null;
        return new SsoIdentity(registration, user.getIdToken().getIssuer().toString(), user.getSubject(),
                name instanceof String s ? s : null, user.getFullName(), role);
    }

    /** A groups claim: a JSON array of names, or one name. */
    static List<String> groups(Object claim) {
        if (claim instanceof Collection<?> all) return all.stream().map(String::valueOf).toList();
        if (claim instanceof String one) return List.of(one);
        return List.of();
    }
}
