package dev.switchboard.sso;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code switchboard.oidc.*}: how a single sign-on identity becomes a Switchboard user. The provider itself is
 * configured the Spring way ({@code spring.security.oauth2.client.registration.<id>.*} and {@code .provider.<id>.*}).
 *
 * @param usernameClaim the claim whose value is the username of an account made at its first sign-in
 * @param groupsClaim   the claim listing the user's groups (or roles)
 * @param adminGroup    when set, the role follows it at every sign-in: ADMIN in this group, USER otherwise; when
 *                      not set, new accounts are USER and roles are managed in Switchboard
 */
@ConfigurationProperties(prefix = "switchboard.oidc")
public record OidcProperties(
        @DefaultValue("preferred_username") String usernameClaim,
        @DefaultValue("groups") String groupsClaim,
        String adminGroup) {

    public boolean rolesFromGroups() {
        return adminGroup != null && !adminGroup.isBlank();
    }
}
