package dev.switchboard.admin.users;

import dev.switchboard.security.LoginThrottle;
import dev.switchboard.security.LoginThrottledException;
import dev.switchboard.security.SsoLoginFailed;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationFailureDisabledEvent;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Logins through the login form and single sign-on in the audit log: each success ({@link AuditAction#LOGIN_SUCCEEDED},
 * actor and user the one who logged in) and each failure ({@link AuditAction#LOGIN_FAILED}: the user is the name that
 * was typed, the actor unknown; unknown names and wrong passwords both read "bad credentials"; a failed single sign-on
 * names the user when it is known and says why), with the client's address.
 *
 * <p>What is left out, on purpose:
 * <ul>
 * <li>API calls with HTTP Basic or a personal token. They authenticate on every request, so as "logins" they would
 * flood the log; a failed one is answered 401 and counts towards the login throttle. A success is told by Spring
 * Security's {@link InteractiveAuthenticationSuccessEvent}, which only the form login publishes; a failure by there
 * being no {@code Authorization} header (Basic sends its credentials in one, the form in the body).</li>
 * <li>Attempts refused while the throttle pauses them: they check no password, and recording them would let anyone
 * grow the table at request rate. Instead each pause the throttle starts is recorded once
 * ({@link AuditAction#LOGIN_THROTTLED}: the name tried, how many failures, from where, for how long), Basic logins'
 * included: that is when a guesser is noticed.</li>
 * </ul>
 */
@Component
class LoginAudit {
    static final String UNKNOWN_ACTOR = "(unknown)";
    private static final int MAX_NAME = 64; // audit_log.actor / target

    private final AuditLog audit;

    LoginAudit(AuditLog audit) {
        this.audit = audit;
    }

    @EventListener
    void succeeded(InteractiveAuthenticationSuccessEvent e) {
        String name = name(e.getAuthentication());
        String where = from(e.getAuthentication());
        if (e.getAuthentication() instanceof OAuth2AuthenticationToken sso) {
            String how = "single sign-on via " + sso.getAuthorizedClientRegistrationId();
            where = where == null ? how : how + "; " + where;
        }
        audit.record(name, AuditAction.LOGIN_SUCCEEDED, name, where);
    }

    @EventListener
    void ssoFailed(SsoLoginFailed e) {
        String detail = "single sign-on via " + e.registration() + ": " + e.reason()
                + (e.remoteAddress() == null ? "" : "; from " + e.remoteAddress());
        audit.record(UNKNOWN_ACTOR, AuditAction.LOGIN_FAILED, e.username() == null ? "?" : clip(e.username()), detail);
    }

    @EventListener
    void failed(AbstractAuthenticationFailureEvent e) {
        if (!fromLoginForm()) return;
        String reason = e instanceof AuthenticationFailureBadCredentialsEvent ? "bad credentials"
                : e instanceof AuthenticationFailureDisabledEvent ? "account disabled"
                : e.getException().getClass().getSimpleName();
        String where = from(e.getAuthentication());
        audit.record(UNKNOWN_ACTOR, AuditAction.LOGIN_FAILED, name(e.getAuthentication()),
                where == null ? reason : reason + "; " + where);
    }

    @EventListener
    void throttled(LoginThrottle.Paused p) {
        String from = p.address() == null ? "" : " from " + p.address();
        String pause = LoginThrottledException.describe(p.pause());
        String detail = switch (p.scope()) {
            case USER_AT_ADDRESS -> p.failures() + " failed logins for this name" + from
                    + "; that address may not try it for " + pause;
            case ADDRESS -> p.failures() + " failed logins" + from + " (any name); new devices there wait " + pause;
            case USER -> p.failures() + " failed logins for this name from anywhere; new devices wait " + pause
                    + ", devices it logged in from before are let in";
            case DEVICE -> p.failures() + " failed logins from one device it logged in from before" + from
                    + "; that device waits " + pause;
        };
        audit.record(UNKNOWN_ACTOR, AuditAction.LOGIN_THROTTLED, name(p.username()), detail);
    }

    /** Credentials from a form, not from an Authorization header (HTTP Basic): the login view's. */
    private static boolean fromLoginForm() {
        if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) return false;
        HttpServletRequest request = attributes.getRequest();
        return "POST".equals(request.getMethod()) && request.getHeader(HttpHeaders.AUTHORIZATION) == null;
    }

    private static String name(Authentication a) {
        return name(a == null ? null : a.getName());
    }

    private static String name(String typed) {
        String name = typed == null ? "" : typed.strip();
        if (name.isEmpty()) return "?";
        return clip(name);
    }

    private static String clip(String name) {
        return name.length() <= MAX_NAME ? name : name.substring(0, MAX_NAME - 1) + "…";
    }

    private static String from(Authentication a) {
        return a != null && a.getDetails() instanceof WebAuthenticationDetails d && d.getRemoteAddress() != null
                ? "from " + d.getRemoteAddress() : null;
    }
}
