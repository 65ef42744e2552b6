package dev.switchboard.security;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * For the login view: the single sign-on providers configured the Spring way
 * ({@code spring.security.oauth2.client.registration.<id>.*}), and whether the password form is shown.
 */
@Component
public class SingleSignOn {

    /** One provider: its registration id, the name shown ("Sign in with <name>") and where signing in starts (relative). */
    public record Provider(String id, String name, String loginUrl) {
    }

    /** Spring's authorization endpoint, relative to the app (the page's base), so a context path is kept. */
    private static final String LOGIN_BASE =
            OAuth2AuthorizationRequestRedirectFilter.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI.substring(1) + "/";

    private final List<Provider> providers;
    private final boolean formShown;

    SingleSignOn(ObjectProvider<ClientRegistrationRepository> registrations, LoginProperties properties) {
        List<Provider> found = new ArrayList<>();
        // Spring Boot's repository lists its registrations; another kind is not asked for a list it may not have.
        if (registrations.getIfAvailable() instanceof Iterable<?> all) {
            for (Object o : all) {
                if (o instanceof ClientRegistration r && "authorization_code".equals(r.getAuthorizationGrantType().getValue())) {
                    found.add(new Provider(r.getRegistrationId(), r.getClientName(), LOGIN_BASE + r.getRegistrationId()));
                }
            }
        }
        this.providers = List.copyOf(found);
        this.formShown = properties.formEnabled() || providers.isEmpty();
    }

    public List<Provider> providers() {
        return providers;
    }

    /** False only when {@code switchboard.login.form-enabled=false} and a provider is configured. */
    public boolean formShown() {
        return formShown;
    }
}
