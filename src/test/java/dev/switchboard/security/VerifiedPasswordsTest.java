package dev.switchboard.security;

import dev.switchboard.users.AccountsChanged;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A right password is hashed once per five minutes; wrong ones every time; an account change forgets them all. */
class VerifiedPasswordsTest {

    /** BCrypt, counting its checks. */
    private final AtomicInteger hashes = new AtomicInteger();
    private final PasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
    private final PasswordEncoder counting = new PasswordEncoder() {
        @Override
        public String encode(CharSequence raw) {
            return bcrypt.encode(raw);
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            hashes.incrementAndGet();
            return bcrypt.matches(raw, encoded);
        }
    };
    private final AtomicLong nanos = new AtomicLong();
    private final VerifiedPasswords verified = new VerifiedPasswords(nanos::get);
    private final AuthenticationProvider provider = verified.around(dao());

    private DaoAuthenticationProvider dao() {
        var users = new InMemoryUserDetailsManager(User.withUsername("Ann").password(bcrypt.encode("ann-password-1"))
                .roles("ADMIN").build());
        var dao = new DaoAuthenticationProvider(users);
        dao.setPasswordEncoder(counting);
        return dao;
    }

    private Authentication login(String username, String password) {
        return provider.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(username, password));
    }

    @Test
    void aRightPasswordIsNotHashedAgainUntilFiveMinutesHavePassed() {
        Authentication first = login("Ann", "ann-password-1");
        for (int i = 0; i < 20; i++) {
            Authentication again = login("Ann", "ann-password-1");
            assertThat(again.isAuthenticated()).isTrue();
            assertThat(again.getName()).isEqualTo(first.getName()).isEqualTo("Ann");
            assertThat(again.getAuthorities()).map(GrantedAuthority::getAuthority).containsExactly("ROLE_ADMIN");
            assertThat(again.getCredentials()).isNull();
        }
        assertThat(hashes).hasValue(1);

        nanos.addAndGet(VerifiedPasswords.TTL.toNanos() - 1);
        login("Ann", "ann-password-1");
        assertThat(hashes).hasValue(1);
        nanos.addAndGet(1);
        login("Ann", "ann-password-1");
        assertThat(hashes).hasValue(2);
    }

    @Test
    void aWrongPasswordIsHashedAndRefusedEveryTimeEvenRightAfterTheRightOne() {
        login("Ann", "ann-password-1");
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> login("Ann", "ann-password-2")).isInstanceOf(BadCredentialsException.class);
            assertThatThrownBy(() -> login("Ann", "")).isInstanceOf(BadCredentialsException.class);
        }
        assertThat(hashes).hasValue(7);
        // Nor does a wrong password unsettle the right one.
        login("Ann", "ann-password-1");
        assertThat(hashes).hasValue(7);
    }

    @Test
    void theUsernameMatchesAsTheLoginDoesWhateverItsCase() {
        login("Ann", "ann-password-1");
        assertThat(login("aNN", "ann-password-1").getName()).isEqualTo("Ann");
        assertThat(hashes).hasValue(1);
    }

    @Test
    void anAccountChangeForgetsEveryVerifiedPassword() {
        login("Ann", "ann-password-1");
        verified.accountsChanged(new AccountsChanged("someone-else"));
        login("Ann", "ann-password-1");
        assertThat(hashes).hasValue(2);
        login("Ann", "ann-password-1");
        assertThat(hashes).hasValue(2);
    }

    @Test
    void aCheckThatAnAccountChangeOverlappedIsNotRemembered() {
        // The change lands while BCrypt runs: what it answered may be from before the change.
        AuthenticationProvider racing = verified.around(new AuthenticationProvider() {
            final DaoAuthenticationProvider dao = dao();

            @Override
            public Authentication authenticate(Authentication a) {
                Authentication result = dao.authenticate(a);
                verified.accountsChanged(new AccountsChanged("Ann"));
                return result;
            }

            @Override
            public boolean supports(Class<?> c) {
                return dao.supports(c);
            }
        });
        racing.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("Ann", "ann-password-1"));
        racing.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("Ann", "ann-password-1"));
        assertThat(hashes).hasValue(2);
        assertThat(Duration.ofMinutes(5)).isEqualTo(VerifiedPasswords.TTL);
    }
}
