package dev.switchboard.security;

import dev.switchboard.users.AccountsChanged;
import dev.switchboard.users.Role;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import java.util.Optional;

/**
 * Whose active token has this hash: the one lookup a bearer request makes, cached so a chat request costs no SQL
 * once its token is known. Emptied when a token is created or revoked ({@link ApiTokens}) and on every account
 * change (a disabled owner's token is refused, a new role applies, on the next request). On PostgreSQL another
 * instance may revoke a token or change its owner without this one hearing of it: there every request reads
 * {@link #load} (one indexed query), so a revocation is refused by every instance at once.
 */
@Component
class ApiTokenOwners {
    static final String CACHE = "apiTokenOwners";

    /** A token known to be valid. */
    record Known(ApiTokens.TokenOwner owner, boolean enabled) {
    }

    private final JdbcClient jdbc;

    ApiTokenOwners(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Cacheable(cacheNames = CACHE, sync = true)
    public Optional<Known> find(String tokenHash) {
        return load(tokenHash);
    }

    /** Read from the database, not the cache. */
    public Optional<Known> load(String tokenHash) {
        return jdbc.sql("""
                        SELECT t.id, u.username, u.role, u.enabled FROM api_tokens t JOIN users u ON u.id = t.user_id
                        WHERE t.token_hash = ? AND NOT t.revoked""")
                .param(tokenHash)
                .query((rs, n) -> new Known(new ApiTokens.TokenOwner(rs.getLong("id"), rs.getString("username"),
                        Role.valueOf(rs.getString("role"))), rs.getBoolean("enabled")))
                .optional();
    }

    @TransactionalEventListener(fallbackExecution = true)
    @CacheEvict(cacheNames = CACHE, allEntries = true)
    public void accountsChanged(AccountsChanged event) {
        // the annotation empties the cache
    }
}
