package dev.switchboard.sso;

import dev.switchboard.users.Role;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which claims make the username and the role: the defaults, and other claim names by configuration. */
class SsoIdentityFromClaimsTest {

    private static OidcUser user(Map<String, Object> claims) {
        OidcIdToken token = OidcIdToken.withTokenValue("header.payload.signature")
                .issuer("https://idp.example/realms/corp").subject("sub-1")
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60))
                .claims(c -> c.putAll(claims)).build();
        return new DefaultOidcUser(List.of(), token);
    }

    private static SsoIdentity identity(OidcProperties properties, Map<String, Object> claims) {
        return new SsoUserService(null, properties).identity("corp", user(claims));
    }

    @Test
    void byDefaultTheUsernameIsPreferredUsernameAndRolesStayWithSwitchboard() {
        SsoIdentity id = identity(new OidcProperties("preferred_username", "groups", null),
                Map.of("preferred_username", "anna", "name", "Anna S", "groups", List.of("admins")));

        assertThat(id.username()).isEqualTo("anna");
        assertThat(id.displayName()).isEqualTo("Anna S");
        assertThat(id.role()).as("no admin group configured").isNull();
        assertThat(id.issuer()).isEqualTo("https://idp.example/realms/corp");
        assertThat(id.subject()).isEqualTo("sub-1");
    }

    @Test
    void otherClaimsCanNameTheUserAndCarryTheAdminGroupAsAListOrOneValue() {
        OidcProperties entraStyle = new OidcProperties("email", "roles", "llm-admins");

        assertThat(identity(entraStyle, Map.of("email", "bo@corp.example", "roles", List.of("staff", "llm-admins"))))
                .satisfies(id -> {
                    assertThat(id.username()).isEqualTo("bo@corp.example");
                    assertThat(id.role()).isEqualTo(Role.ADMIN);
                });
        assertThat(identity(entraStyle, Map.of("email", "bo@corp.example", "roles", "llm-admins")).role())
                .isEqualTo(Role.ADMIN);
        assertThat(identity(entraStyle, Map.of("email", "bo@corp.example", "roles", List.of("staff"))).role())
                .isEqualTo(Role.USER);
        assertThat(identity(entraStyle, Map.of("email", "bo@corp.example")).role()).as("no roles claim at all")
                .isEqualTo(Role.USER);
        assertThat(identity(entraStyle, Map.of("preferred_username", "bo")).username()).as("the configured claim only")
                .isNull();
    }
}
