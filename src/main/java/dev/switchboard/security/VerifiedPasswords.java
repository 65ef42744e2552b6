package dev.switchboard.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.transaction.event.TransactionalEventListener;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * HTTP Basic sends the password with every request, and a BCrypt check costs tens of milliseconds of CPU: a program
 * calling the API with Basic paid one per request. A password that was right is remembered for {@link #TTL} as an
 * HMAC under a key made at start (never the password or a plain hash of it), so the same username and password are
 * let in again without hashing. Any change to an account (password, role, status, quota) forgets them all at once
 * ({@link AccountsChanged}). A wrong password is never remembered and always costs its BCrypt check; the throttle,
 * which wraps this, still refuses a locked username first.
 */
final class VerifiedPasswords {
    static final Duration TTL = Duration.ofMinutes(5);
    /** Only right passwords are kept, so this bounds a flood of distinct valid logins, not guesses. */
    static final int MAX_ENTRIES = 10_000;

    private record Entry(byte[] mac, UserDetails user, long checkedAt) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** Counts account changes: a check that overlapped one is not remembered. */
    private final AtomicLong changes = new AtomicLong();
    private final SecretKeySpec key;
    private final LongSupplier nanoClock;

    VerifiedPasswords() {
        this(System::nanoTime);
    }

    VerifiedPasswords(LongSupplier nanoClock) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.nanoClock = nanoClock;
    }

    /** {@code passwords} (the BCrypt check), asked only when this username and password were not verified lately. */
    AuthenticationProvider around(AuthenticationProvider passwords) {
        return new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication request) throws AuthenticationException {
                return VerifiedPasswords.this.authenticate(request, passwords);
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return passwords.supports(authentication);
            }
        };
    }

    private Authentication authenticate(Authentication request, AuthenticationProvider passwords) {
        if (!(request.getCredentials() instanceof String password) || request.getName() == null) {
            return passwords.authenticate(request);
        }
        String name = request.getName().strip().toLowerCase(Locale.ROOT); // usernames match case-insensitively
        byte[] mac = mac(name, password);
        long now = nanoClock.getAsLong();
        Entry known = entries.get(name);
        if (known != null && now - known.checkedAt() < TTL.toNanos() && MessageDigest.isEqual(known.mac(), mac)) {
            var again = UsernamePasswordAuthenticationToken.authenticated(known.user(), null, known.user().getAuthorities());
            again.setDetails(request.getDetails());
            return again;
        }
        long before = changes.get();
        Authentication result = passwords.authenticate(request);
        if (result != null && result.getPrincipal() instanceof UserDetails user && changes.get() == before) {
            if (entries.size() >= MAX_ENTRIES) entries.clear();
            entries.put(name, new Entry(mac, user, now));
            if (changes.get() != before) entries.remove(name); // a change landed while storing
        }
        return result;
    }

    private byte[] mac(String name, String password) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(key);
            hmac.update(name.getBytes(StandardCharsets.UTF_8));
            hmac.update((byte) 0);
            return hmac.doFinal(password.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e); // every JVM has HmacSHA256
        }
    }

    @TransactionalEventListener(fallbackExecution = true)
    public void accountsChanged(AccountsChanged event) {
        changes.incrementAndGet();
        entries.clear();
    }
}
