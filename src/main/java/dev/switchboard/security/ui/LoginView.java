package dev.switchboard.security.ui;

import com.vaadin.flow.component.html.H1;
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

import java.time.Duration;
import java.util.List;

/** The login page; Spring Security processes the form's POST to /login. */
@Route(value = LoginViews.ROUTE, autoLayout = false) // no app frame (and its @PermitAll) around the login
@PageTitle("Switchboard")
@AnonymousAllowed
class LoginView extends VerticalLayout implements BeforeEnterObserver {

    private final LoginForm form = new LoginForm();

    LoginView() {
        setSizeFull();
        setAlignItems(FlexComponent.Alignment.CENTER);
        setJustifyContentMode(FlexComponent.JustifyContentMode.CENTER);
        form.setAction(LoginViews.ROUTE);
        form.setForgotPasswordButtonVisible(false);
        add(new H1("Switchboard"), form);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        var parameters = event.getLocation().getQueryParameters().getParameters();
        LoginI18n i18n = LoginI18n.createDefault();
        List<String> locked = parameters.get(LoginViews.LOCKED_PARAMETER);
        if (locked != null && !locked.isEmpty()) {
            i18n.getErrorMessage().setTitle("Too many failed attempts");
            i18n.getErrorMessage().setMessage("Sign-in is paused after too many wrong passwords. Try again in "
                    + LoginThrottledException.describe(Duration.ofSeconds(seconds(locked.get(0)))) + ".");
            form.setError(true);
        } else if (parameters.containsKey("error")) {
            i18n.getErrorMessage().setTitle("Incorrect username or password");
            i18n.getErrorMessage().setMessage("Check your username and password and try again.");
            form.setError(true);
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
