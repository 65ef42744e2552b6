package dev.switchboard.security;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AuthenticationDetailsSource;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.RememberMeServices;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * OWASP's device cookies: after a successful password login the browser (or a script that keeps cookies) gets
 * {@value #COOKIE} = the username, when it was issued, a random id, and an HMAC-SHA256 of those under a server key. A
 * later login for that username that carries it comes from a <em>known device</em>, which {@link LoginThrottle} lets
 * in while guessing elsewhere has paused the username (it counts the device's own failures instead).
 *
 * <p>The hooks are Spring Security's own: as the {@link AuthenticationDetailsSource} of the form login and of HTTP Basic
 * it puts the cookie's verdict into the attempt's details next to the client address; as their
 * {@link RememberMeServices} (both filters call {@code loginSuccess} with the request and the response) it sets the
 * cookie. It never logs anyone in by itself ({@link #autoLogin} is always null, and no remember-me filter is set up).
 *
 * <p>The key: derived from {@code switchboard.security.login.device-cookie-key} when that is set, else generated once
 * and kept in the database (table {@code server_secrets}), so every instance on one database accepts the cookies.
 */
final class DeviceCookies implements RememberMeServices,
        AuthenticationDetailsSource<HttpServletRequest, DeviceCookies.LoginDetails> {

    static final String COOKIE = "SWITCHBOARD_DEVICE";
    private static final String SECRET_NAME = "device-cookie-key";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

    /** A valid cookie's contents: the username (as {@link LoginThrottle#key}), its random id and when it was issued. */
    record Device(String username, String id, Instant issued) {
    }

    /** The details of a login attempt: the client address (as Spring's) and the device cookie it carried, if valid. */
    static final class LoginDetails extends WebAuthenticationDetails {
        private static final long serialVersionUID = 1L;
        private final String deviceUser;
        private final String deviceId;

        LoginDetails(HttpServletRequest request, Device device) {
            super(request);
            this.deviceUser = device == null ? null : device.username();
            this.deviceId = device == null ? null : device.id();
        }

        /** The device's id if the cookie was issued to this username, else null (an unknown device). */
        String deviceFor(String username) {
            return deviceUser != null && deviceUser.equals(LoginThrottle.key(username)) ? deviceId : null;
        }
    }

    private final SecretKeySpec key;
    private final Duration maxAge;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    DeviceCookies(byte[] key, Duration maxAge, Clock clock) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** The signing key: derived from the configured one, else the database's (made and stored on first use). */
    static byte[] key(String configured, JdbcClient jdbc) {
        if (configured != null && !configured.isBlank()) {
            return hmac(configured.getBytes(StandardCharsets.UTF_8), "switchboard device cookie".getBytes(StandardCharsets.UTF_8));
        }
        Optional<String> stored = storedKey(jdbc);
        if (stored.isEmpty()) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            try {
                jdbc.sql("INSERT INTO server_secrets (name, secret) VALUES (?, ?)")
                        .params(SECRET_NAME, Base64.getEncoder().encodeToString(fresh)).update();
            } catch (DuplicateKeyException anotherInstanceWasFirst) {
                // read theirs below
            }
            stored = storedKey(jdbc);
        }
        return Base64.getDecoder().decode(stored.orElseThrow());
    }

    private static Optional<String> storedKey(JdbcClient jdbc) {
        return jdbc.sql("SELECT secret FROM server_secrets WHERE name = ?").param(SECRET_NAME).query(String.class).optional();
    }

    @Override
    public LoginDetails buildDetails(HttpServletRequest request) {
        return new LoginDetails(request, read(request));
    }

    /** The valid device cookie the request carries, if any. */
    Device read(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) return null;
        for (Cookie c : cookies) {
            if (COOKIE.equals(c.getName())) {
                Device d = verify(c.getValue());
                if (d != null) return d;
            }
        }
        return null;
    }

    /** A new cookie value for this username. */
    String issue(String username) {
        byte[] id = new byte[16];
        random.nextBytes(id);
        String payload = B64.encodeToString(LoginThrottle.key(username).getBytes(StandardCharsets.UTF_8)) + "."
                + clock.instant().getEpochSecond() + "." + B64.encodeToString(id);
        return payload + "." + B64.encodeToString(hmac(key.getEncoded(), payload.getBytes(StandardCharsets.UTF_8)));
    }

    /** The device a cookie value names, if its signature is right and it has not expired; else null. */
    Device verify(String value) {
        if (value == null || value.length() > 512) return null;
        int sig = value.lastIndexOf('.');
        String[] parts = value.split("\\.", -1);
        if (parts.length != 4) return null;
        try {
            byte[] expected = hmac(key.getEncoded(), value.substring(0, sig).getBytes(StandardCharsets.UTF_8));
            if (!MessageDigest.isEqual(expected, UNB64.decode(parts[3]))) return null;
            Instant issued = Instant.ofEpochSecond(Long.parseLong(parts[1]));
            Instant now = clock.instant();
            if (issued.isAfter(now.plusSeconds(60)) || !issued.plus(maxAge).isAfter(now)) return null;
            return new Device(new String(UNB64.decode(parts[0]), StandardCharsets.UTF_8), parts[2], issued);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    /** Sets a new cookie unless the request carries a valid one for this user that is less than half its age. */
    @Override
    public void loginSuccess(HttpServletRequest request, HttpServletResponse response, Authentication authentication) {
        String username = authentication.getName();
        Device current = read(request);
        if (current != null && current.username().equals(LoginThrottle.key(username))
                && current.issued().plus(maxAge.dividedBy(2)).isAfter(clock.instant())) {
            return;
        }
        ResponseCookie cookie = ResponseCookie.from(COOKIE, issue(username)).path("/").maxAge(maxAge)
                .httpOnly(true).secure(request.isSecure()).sameSite("Strict").build();
        response.addHeader(HttpHeaders.SET_COOKIE, cookie.toString());
    }

    @Override
    public Authentication autoLogin(HttpServletRequest request, HttpServletResponse response) {
        return null; // the cookie vouches for a device at its next password check; it is never a login by itself
    }

    @Override
    public void loginFail(HttpServletRequest request, HttpServletResponse response) {
        // a failed login keeps the device's cookie: the throttle counts the device's failures instead
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e); // every JVM has HmacSHA256
        }
    }
}
