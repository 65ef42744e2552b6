package dev.switchboard.security.ui;

import com.github.mvysny.kaributesting.v10.LocatorJ;
import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.github.mvysny.kaributesting.v10.Routes;
import com.github.mvysny.kaributesting.v10.spring.MockSpringServlet;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.RouteConfiguration;
import jakarta.annotation.security.PermitAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/** Karibu: an anonymous visitor who opens "" ends up on the login view, which shows login errors. */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:sec-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1"})
@DirtiesContext
class AnonymousRedirectTest {

    /**
     * Stands in for the chat view at "" if that does not exist (yet). Deliberately without @Route, so that
     * the app's own route scan never sees it; it is registered by hand only when "" is free.
     */
    @PermitAll
    public static class HomeStub extends Div {
    }

    private static Routes routes;

    @Autowired
    ApplicationContext ctx;

    @BeforeAll
    static void discoverRoutes() {
        routes = new Routes().autoDiscoverViews("dev.switchboard");
        // Karibu's scan sees only public classes; the views are package-private.
        routes.getRoutes().add(LoginView.class);
    }

    @BeforeEach
    void setUp() {
        SecurityContextHolder.clearContext();
        MockVaadin.setup(UI::new, new MockSpringServlet(routes, ctx, UI::new));
        RouteConfiguration routeConfiguration = RouteConfiguration.forApplicationScope();
        if (routeConfiguration.getRoute("").isEmpty()) {
            routeConfiguration.setRoute("", HomeStub.class);
        }
    }

    @AfterEach
    void tearDown() {
        MockVaadin.tearDown();
    }

    @Test
    void anonymousUserOpeningTheRootLandsOnTheLoginView() {
        UI.getCurrent().navigate("");
        assertThat(currentView()).isInstanceOf(LoginView.class);
        assertThat(LocatorJ._get(LoginForm.class).isError()).isFalse();
        assertThat(UI.getCurrent().getInternals().getTitle()).isEqualTo("Switchboard");
    }

    @Test
    void showsAnErrorAfterBadCredentials() {
        UI.getCurrent().navigate("login", QueryParameters.of("error", ""));
        LoginForm form = LocatorJ._get(LoginForm.class);
        assertThat(form.isError()).isTrue();
        assertThat(form.getAction()).isEqualTo("login");
        assertThat(i18n(form)).contains("Incorrect username or password");
    }

    @Test
    void explainsALockedUsername() {
        UI.getCurrent().navigate("login", QueryParameters.of("locked", "120"));
        LoginForm form = LocatorJ._get(LoginForm.class);
        assertThat(form.isError()).isTrue();
        assertThat(i18n(form)).contains("Too many failed attempts").contains("2 minutes");
    }

    @Test
    void withoutSingleSignOnConfiguredTheLoginViewOffersTheFormOnly() {
        UI.getCurrent().navigate("login");
        assertThat(LocatorJ._get(LoginForm.class).isVisible()).isTrue();
        assertThat(LocatorJ._find(Anchor.class)).noneMatch(a -> a.hasClassName("sb-sso"));
        assertThat(ctx.getBeanProvider(ClientRegistrationRepository.class).getIfAvailable()).as("no OAuth2 client set up").isNull();
    }

    private static Object currentView() {
        return UI.getCurrent().getInternals().getActiveRouterTargetsChain().get(0);
    }

    private static String i18n(LoginForm form) {
        return String.valueOf(form.getElement().getPropertyRaw("i18n"));
    }
}
