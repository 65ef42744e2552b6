package dev.switchboard.security;

import dev.switchboard.security.ui.LoginViews;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

import java.io.IOException;

/**
 * Back to the login view after a failed single sign-on, with {@code ?sso=<what>} for the message it shows; the
 * failure is logged (the OAuth2 error code only, never a token or the provider's response) and published for the
 * audit log as {@link SsoLoginFailed}.
 */
class SsoFailureHandler implements AuthenticationFailureHandler {
    private static final Logger log = LoggerFactory.getLogger(SsoFailureHandler.class);
    private static final String CALLBACK = "/login/oauth2/code/";
    /** Spring's code for an ID token that failed its checks (OidcAuthorizationCodeAuthenticationProvider's). */
    static final String INVALID_ID_TOKEN = "invalid_id_token";
    private static final java.util.regex.Pattern REGISTRATION_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final ApplicationEventPublisher events;
    private final RedirectStrategy redirects = new DefaultRedirectStrategy();

    SsoFailureHandler(ApplicationEventPublisher events) {
        this.events = events;
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
                                        AuthenticationException e) throws IOException {
        String registration = registration(request);
        String reason = reason(e);
        String username = e instanceof SsoLoginRefusedException refused ? refused.username() : null;
        log.warn("Single sign-on via {} failed{}: {}", registration, username == null ? "" : " for " + username, reason);
        events.publishEvent(new SsoLoginFailed(registration, username, reason, request.getRemoteAddr()));
        redirects.sendRedirect(request, response, "/" + LoginViews.ROUTE + "?" + LoginViews.SSO_PARAMETER + "=" + shown(e));
    }

    /** The error code; for a refused ID token also Spring's reason ("Jwt expired at ...", "Invalid signature"). */
    static String reason(AuthenticationException e) {
        if (!(e instanceof OAuth2AuthenticationException oauth)) return e.getClass().getSimpleName();
        String code = oauth.getError().getErrorCode();
        String description = oauth.getError().getDescription();
        return INVALID_ID_TOKEN.equals(code) && description != null ? code + ": " + description : code;
    }

    /** What the login view tells the user: one of {@link LoginViews}' SSO codes. */
    private static String shown(AuthenticationException e) {
        if (!(e instanceof SsoLoginRefusedException refused)) return LoginViews.SSO_FAILED;
        return switch (refused.getError().getErrorCode()) {
            case SsoLoginRefusedException.ACCOUNT_DISABLED -> LoginViews.SSO_DISABLED;
            case SsoLoginRefusedException.USERNAME_MISSING -> LoginViews.SSO_NO_USERNAME;
            case SsoLoginRefusedException.USERNAME_TAKEN -> LoginViews.SSO_USERNAME_TAKEN;
            default -> LoginViews.SSO_FAILED;
        };
    }

    private static String registration(HttpServletRequest request) {
        String uri = request.getRequestURI();
        int at = uri.indexOf(CALLBACK);
        String id = at < 0 ? "" : uri.substring(at + CALLBACK.length());
        return REGISTRATION_ID.matcher(id).matches() ? id : null; // it is the request's text: logged only when plain
    }
}
