package dev.switchboard.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

import java.io.IOException;

/** Back to the login view after a failed form login: {@code ?locked=<seconds>} while throttled, else {@code ?error}. */
class LoginFailureHandler implements AuthenticationFailureHandler {

    private final String loginPath;
    private final RedirectStrategy redirects = new DefaultRedirectStrategy();

    LoginFailureHandler(String loginPath) {
        this.loginPath = loginPath;
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
                                        AuthenticationException e) throws IOException {
        String query = e instanceof LoginThrottledException t ? "locked=" + t.retryAfterSeconds() : "error";
        redirects.sendRedirect(request, response, loginPath + "?" + query);
    }
}
