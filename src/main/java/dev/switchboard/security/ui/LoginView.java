package dev.switchboard.security.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.login.LoginI18n;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import dev.switchboard.security.LoginThrottledException;
import dev.switchboard.security.SingleSignOn;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The login page: the username/password form (Spring Security processes its POST to /login) and a "Sign in with
 * <provider>" link per single sign-on provider, which starts Spring's OAuth2 login at /oauth2/authorization/<id>.
 */
@Route(value = LoginViews.ROUTE, autoLayout = false) // no app frame (and its @PermitAll) around the login
@PageTitle("Switchboard")
@AnonymousAllowed
class LoginView extends VerticalLayout implements BeforeEnterObserver {

    private static final Map<String, String> SSO_MESSAGES = Map.of(
            LoginViews.SSO_DISABLED, "Your Switchboard account is disabled. Ask an administrator to enable it.",
            LoginViews.SSO_NO_USERNAME, "Your identity provider sent no usable username. Ask an administrator to "
                    + "check the single sign-on settings.",
            LoginViews.SSO_USERNAME_TAKEN, "A Switchboard account with your username already exists and is not linked "
                    + "to your single sign-on. Ask an administrator.",
            LoginViews.SSO_FAILED, "Single sign-on did not succeed. Try again; if it keeps failing, ask an administrator.");

    private final LoginForm form = new LoginForm();
    private final Paragraph ssoError = new Paragraph();

    LoginView(SingleSignOn sso) {
        setSizeFull();
        setAlignItems(FlexComponent.Alignment.CENTER);
        setJustifyContentMode(FlexComponent.JustifyContentMode.CENTER);
        form.setAction(LoginViews.ROUTE);
        form.setForgotPasswordButtonVisible(false);
        form.setVisible(sso.formShown());
        ssoError.addClassName("sb-sso-error");
        ssoError.getStyle().set("color", "var(--lumo-error-text-color)").set("max-width", "20em");
        ssoError.setVisible(false);
        add(new H1("Switchboard"), form, ssoError);
        List<SingleSignOn.Provider> providers = sso.providers();
        if (sso.formShown() && !providers.isEmpty()) {
            Span or = new Span("or");
            or.getStyle().set("color", "var(--lumo-secondary-text-color)");
            add(or);
        }
        for (SingleSignOn.Provider p : providers) add(signInWith(p, !sso.formShown()));
    }

    /** A link styled as a button: a plain navigation to Spring's endpoint, outside Vaadin's router. */
    private static Anchor signInWith(SingleSignOn.Provider provider, boolean primary) {
        Button button = new Button("Sign in with " + provider.name(), VaadinIcon.SIGN_IN.create());
        button.addThemeVariants(primary ? ButtonVariant.LUMO_PRIMARY : ButtonVariant.LUMO_CONTRAST);
        button.setWidthFull();
        button.setTabIndex(-1); // the link takes the focus and the Enter key
        Anchor link = new Anchor(provider.loginUrl(), button);
        link.setRouterIgnore(true);
        link.addClassName("sb-sso");
        link.getStyle().set("width", "20em").set("max-width", "100%");
        return link;
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        var parameters = event.getLocation().getQueryParameters().getParameters();
        LoginI18n i18n = LoginI18n.createDefault();
        List<String> locked = parameters.get(LoginViews.LOCKED_PARAMETER);
        List<String> sso = parameters.get(LoginViews.SSO_PARAMETER);
        if (locked != null && !locked.isEmpty()) {
            i18n.getErrorMessage().setTitle("Too many failed attempts");
            i18n.getErrorMessage().setMessage("Sign-in is paused after too many wrong passwords. Try again in "
                    + LoginThrottledException.describe(Duration.ofSeconds(seconds(locked.get(0)))) + ".");
            form.setError(true);
        } else if (parameters.containsKey("error")) {
            i18n.getErrorMessage().setTitle("Incorrect username or password");
            i18n.getErrorMessage().setMessage("Check your username and password and try again.");
            form.setError(true);
        } else if (sso != null && !sso.isEmpty()) {
            // A fixed text per known code: the query is the visitor's to write, so it is never shown as such.
            ssoError.setText(SSO_MESSAGES.getOrDefault(sso.get(0), SSO_MESSAGES.get(LoginViews.SSO_FAILED)));
            ssoError.setVisible(true);
        }
        form.setI18n(i18n);
    }

    private static long seconds(String value) {
        try {
            return Math.min(Math.max(Long.parseLong(value), 1), 24 * 3600);
        } catch (NumberFormatException e) {
            return 60;
        }
    }
}
