package dev.switchboard.security.ui;

import com.vaadin.flow.component.Component;

/** Lets the security configuration name the login view while the view class itself stays package-private. */
public final class LoginViews {

    /** The route of the login view, without a leading slash. */
    public static final String ROUTE = "login";
    /** Query parameter set after a refused login: seconds until the username may try again. */
    public static final String LOCKED_PARAMETER = "locked";

    private LoginViews() {
    }

    public static Class<? extends Component> loginView() {
        return LoginView.class;
    }
}
