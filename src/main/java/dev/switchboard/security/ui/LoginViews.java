package dev.switchboard.security.ui;

import com.vaadin.flow.component.Component;

/** Lets the security configuration name the login view while the view class itself stays package-private. */
public final class LoginViews {

    /** The route of the login view, without a leading slash. */
    public static final String ROUTE = "login";
    /** Query parameter set after a refused login: seconds until the username may try again. */
    public static final String LOCKED_PARAMETER = "locked";
    /** Query parameter set after a failed single sign-on; its value is one of the {@code SSO_*} codes. */
    public static final String SSO_PARAMETER = "sso";
    public static final String SSO_DISABLED = "disabled";
    public static final String SSO_NO_USERNAME = "username";
    public static final String SSO_USERNAME_TAKEN = "taken";
    public static final String SSO_FAILED = "failed";

    private LoginViews() {
    }

    public static Class<? extends Component> loginView() {
        return LoginView.class;
    }
}
