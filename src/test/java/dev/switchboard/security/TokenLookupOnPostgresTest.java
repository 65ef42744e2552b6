package dev.switchboard.security;

import dev.switchboard.testsupport.OnPostgres;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccounts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.DisabledException;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On PostgreSQL another instance may revoke a token or disable its owner without this instance hearing of it, so a
 * token is read from the database on every request: what changed in the database behind this instance's back is
 * refused at the next request (on H2, where nothing changes behind its back, the lookup is cached). The lookup's cost
 * is printed.
 */
@OnPostgres
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:token-lookup-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1"})
@DirtiesContext
class TokenLookupOnPostgresTest {
    @Autowired ApiTokens tokens;
    @Autowired UserAccounts accounts;
    @Autowired JdbcClient jdbc;

    @Test
    void aTokenRevokedOrDisabledBehindThisInstancesBackIsRefusedAtTheNextRequest() {
        accounts.create("remy", "remy-password-1", Role.USER);
        ApiTokens.CreatedToken token = tokens.create("remy", "ci");
        assertThat(tokens.authenticate(token.token())).isPresent();

        jdbc.sql("UPDATE users SET enabled = FALSE WHERE username = 'remy'").update(); // as another instance would
        assertThatThrownBy(() -> tokens.authenticate(token.token())).isInstanceOf(DisabledException.class);
        jdbc.sql("UPDATE users SET enabled = TRUE WHERE username = 'remy'").update();
        assertThat(tokens.authenticate(token.token())).isPresent();

        int n = 2_000;
        for (int i = 0; i < n; i++) tokens.authenticate(token.token()); // warm-up
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) tokens.authenticate(token.token());
        System.out.printf("[measure] a bearer token's lookup on PostgreSQL (uncached, one indexed query): %.0f µs%n",
                (System.nanoTime() - t0) / 1e3 / n);

        jdbc.sql("UPDATE api_tokens SET revoked = TRUE WHERE id = ?").param(token.id()).update();
        assertThat(tokens.authenticate(token.token())).isEmpty();
    }
}
