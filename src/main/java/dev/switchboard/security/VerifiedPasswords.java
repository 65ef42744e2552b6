package dev.switchboard.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.users.AccountsChanged;
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
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
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

    /** Entries beyond this are many distinct logins, not reuse: Caffeine keeps the often-used ones. */
    static final int MAX_ENTRIES = 10_000;

    /**
     * Users whose password was right, by username and that password's HMAC, for {@link #TTL}; emptied by every
     * account change. A key holds a keyed MAC, so comparing keys tells nothing about passwords to whoever cannot
     * compute it.
     */
    private final Cache<String, UserDetails> verified;
    /** Account changes seen: a check that overlapped one is not kept, as it may have read the account before it. */
    private final AtomicLong changes = new AtomicLong();
    private final SecretKeySpec key;

    /**
     * Remembering for {@code ttl}: on PostgreSQL another instance may change the account without this one hearing of
     * it, so there a right password is remembered for {@code CacheConfiguration.SHARED_TTL} only.
     */
    VerifiedPasswords(Duration ttl) {
        this(ttl, System::nanoTime);
    }

    VerifiedPasswords(LongSupplier nanoClock) {
        this(TTL, nanoClock);
    }

    private VerifiedPasswords(Duration ttl, LongSupplier nanoClock) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.verified = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(MAX_ENTRIES)
                .ticker(nanoClock::getAsLong).build();
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
        String entry = name + " " + mac(name, password);
        UserDetails user = verified.getIfPresent(entry);
        if (user == null) {
            // A wrong password throws here and is not kept; the check's own answer is returned as it was.
            long before = changes.get();
            Authentication checked = passwords.authenticate(request);
            if (checked != null && checked.getPrincipal() instanceof UserDetails u && changes.get() == before) {
                verified.put(entry, u);
                if (changes.get() != before) verified.invalidate(entry); // a change landed while storing
            }
            return checked;
        }
        var again = UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities());
        again.setDetails(request.getDetails());
        return again;
    }

    private String mac(String name, String password) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(key);
            hmac.update(name.getBytes(StandardCharsets.UTF_8));
            hmac.update((byte) 0);
            return HexFormat.of().formatHex(hmac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e); // every JVM has HmacSHA256
        }
    }

    @TransactionalEventListener(fallbackExecution = true)
    public void accountsChanged(AccountsChanged event) {
        changes.incrementAndGet();
        verified.invalidateAll();
    }
}
