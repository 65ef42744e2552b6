package dev.switchboard.security.ui;

import com.github.mvysny.kaributesting.v10.LocatorJ;
import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.github.mvysny.kaributesting.v10.Routes;
import com.github.mvysny.kaributesting.v10.spring.MockSpringServlet;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.router.QueryParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.annotation.DirtiesContext;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Karibu: with a single sign-on provider configured (its endpoints named, so nothing is fetched at start) and the
 * password form switched off, the login view offers "Sign in with <provider>" alone, and explains a refused sign-in
 * with a fixed text per reason, never the query's own words.
 */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:sso-page-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1",
        "switchboard.login.form-enabled=false",
        "spring.security.oauth2.client.registration.corp.client-id=switchboard",
        "spring.security.oauth2.client.registration.corp.client-secret=not-used-here",
        "spring.security.oauth2.client.registration.corp.client-name=Corporate SSO",
        "spring.security.oauth2.client.registration.corp.scope=openid",
        "spring.security.oauth2.client.registration.corp.authorization-grant-type=authorization_code",
        "spring.security.oauth2.client.registration.corp.redirect-uri={baseUrl}/login/oauth2/code/{registrationId}",
        "spring.security.oauth2.client.provider.corp.authorization-uri=https://idp.invalid/authorize",
        "spring.security.oauth2.client.provider.corp.token-uri=https://idp.invalid/token",
        "spring.security.oauth2.client.provider.corp.jwk-set-uri=https://idp.invalid/jwks",
        "spring.security.oauth2.client.provider.corp.user-name-attribute=sub"})
@DirtiesContext
class SingleSignOnLoginPageTest {

    @Autowired
    ApplicationContext ctx;

    @BeforeEach
    void setUp() {
        SecurityContextHolder.clearContext();
        Routes routes = new Routes().autoDiscoverViews("dev.switchboard");
        routes.getRoutes().add(LoginView.class);
        MockVaadin.setup(UI::new, new MockSpringServlet(routes, ctx, UI::new));
    }

    @AfterEach
    void tearDown() {
        MockVaadin.tearDown();
    }

    @Test
    void theLoginViewOffersTheProviderAndHidesTheSwitchedOffForm() {
        UI.getCurrent().navigate("login");

        assertThat(LocatorJ._find(LoginForm.class)).as("hidden: Karibu finds visible components only").isEmpty();
        List<Anchor> links = LocatorJ._find(Anchor.class).stream().filter(a -> a.hasClassName("sb-sso")).toList();
        assertThat(links).hasSize(1);
        assertThat(links.get(0).getHref()).isEqualTo("oauth2/authorization/corp");
        assertThat(links.get(0).getElement().getAttribute("router-ignore")).isNotNull();
        Button button = LocatorJ._get(links.get(0), Button.class);
        assertThat(button.getText()).isEqualTo("Sign in with Corporate SSO");
        assertThat(button.getThemeName()).contains("primary");
        assertThat(LocatorJ._find(Paragraph.class)).noneMatch(p -> p.hasClassName("sb-sso-error"));
    }

    @Test
    void aRefusedSignInIsExplainedOnTheLoginPage() {
        UI.getCurrent().navigate("login", QueryParameters.of(LoginViews.SSO_PARAMETER, LoginViews.SSO_DISABLED));
        assertThat(error()).isEqualTo("Your Switchboard account is disabled. Ask an administrator to enable it.");

        UI.getCurrent().navigate("login", QueryParameters.of(LoginViews.SSO_PARAMETER, LoginViews.SSO_USERNAME_TAKEN));
        assertThat(error()).contains("already exists and is not linked");

        UI.getCurrent().navigate("login", QueryParameters.of(LoginViews.SSO_PARAMETER, "<b>Call 555-0100</b>"));
        assertThat(error()).startsWith("Single sign-on did not succeed.").doesNotContain("555");
    }

    private static String error() {
        return LocatorJ._get(Paragraph.class, spec -> spec.withClasses("sb-sso-error")).getText();
    }
}
