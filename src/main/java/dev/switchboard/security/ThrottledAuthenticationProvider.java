package dev.switchboard.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Password login (form and HTTP Basic) guarded by {@link LoginThrottle}: a refused client is refused before any
 * password hash is computed, even when the password is right. Who is asking comes from the attempt's details: the
 * client address ({@code request.getRemoteAddr()}, the real client behind a proxy with
 * {@code server.forward-headers-strategy=native}) and the device cookie ({@link DeviceCookies}).
 */
class ThrottledAuthenticationProvider implements AuthenticationProvider {

    private final AuthenticationProvider passwords;
    private final LoginThrottle throttle;

    ThrottledAuthenticationProvider(AuthenticationProvider passwords, LoginThrottle throttle) {
        this.passwords = passwords;
        this.throttle = throttle;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        return throttle.attempt(authentication.getName(), client(authentication), () -> passwords.authenticate(authentication));
    }

    static LoginThrottle.Client client(Authentication attempt) {
        Object details = attempt.getDetails();
        String address = details instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null;
        String device = details instanceof DeviceCookies.LoginDetails login ? login.deviceFor(attempt.getName()) : null;
        return new LoginThrottle.Client(address, device);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
