package dev.switchboard.security;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;

import static org.assertj.core.api.Assertions.assertThat;

/** switchboard.login.form-enabled=false hides the password form only when there is a provider to sign in with. */
class LoginFormSwitchTest {

    private static SingleSignOn sso(boolean formEnabled, ClientRegistration... registrations) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        if (registrations.length > 0) beans.addBean("clients", new InMemoryClientRegistrationRepository(registrations));
        return new SingleSignOn(beans.getBeanProvider(ClientRegistrationRepository.class), new LoginProperties(formEnabled));
    }

    private static ClientRegistration corp() {
        return ClientRegistration.withRegistrationId("corp").clientId("switchboard").clientName("Corporate SSO")
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}").scope("openid")
                .authorizationUri("https://idp.example/authorize").tokenUri("https://idp.example/token")
                .jwkSetUri("https://idp.example/jwks").build();
    }

    @Test
    void theFormIsHiddenWhenSwitchedOffAndAProviderIsThere() {
        SingleSignOn sso = sso(false, corp());
        assertThat(sso.formShown()).isFalse();
        assertThat(sso.providers()).containsExactly(new SingleSignOn.Provider("corp", "Corporate SSO", "oauth2/authorization/corp"));
    }

    @Test
    void withoutAProviderTheFormStaysWhateverTheSwitchSays() {
        assertThat(sso(false).formShown()).as("or nobody could sign in").isTrue();
        assertThat(sso(false).providers()).isEmpty();
        assertThat(sso(true, corp()).formShown()).isTrue();
    }
}
