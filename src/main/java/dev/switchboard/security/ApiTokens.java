package dev.switchboard.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.config.Database;
import dev.switchboard.users.Role;
import dev.switchboard.users.UserAccount;
import dev.switchboard.users.UserAccounts;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.DisabledException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Personal API tokens. A token is {@code sb_} + 32 random bytes (base64url); only its SHA-256 is stored, which
 * is safe for values with 256 bits of entropy and lets a request be checked without a password hash.
 */
@Service
public class ApiTokens {

    public static final String PREFIX = "sb_";
    public static final int MAX_NAME_LENGTH = 100;
    public static final int MAX_ACTIVE_PER_USER = 50;
    /** last_used_at is written at most this often per token, so busy clients don't cause a write per request. */
    private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The new token, the only time it is ever visible. */
    public record CreatedToken(long id, String name, String token) {
        @Override
        public String toString() {
            return "CreatedToken[" + id + ", " + name + "]";
        }
    }

    /** What a user may see of an existing token. */
    public record TokenInfo(long id, String name, Instant createdAt, Instant lastUsedAt) {
    }

    record TokenOwner(long tokenId, String username, Role role) {
    }

    private final JdbcClient jdbc;
    private final UserAccounts accounts;
    private final ApiTokenOwners owners;
    private final Clock clock;
    /** PostgreSQL: other instances change tokens and accounts too, so every request reads its token afresh. */
    private final boolean shared;
    /** When this instance last wrote a token's last_used_at, by token id (one write a minute per instance). */
    private final Cache<Long, AtomicReference<OffsetDateTime>> lastUseWritten = Caffeine.newBuilder()
            .expireAfterAccess(LAST_USED_PRECISION.multipliedBy(2)).maximumSize(10_000).build();

    public ApiTokens(JdbcClient jdbc, UserAccounts accounts, ApiTokenOwners owners, ObjectProvider<Clock> clock,
                     Database database) {
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.owners = owners;
        this.clock = clock.getIfUnique(Clock::systemUTC);
        this.shared = database.shared();
    }

    @Transactional
    @CacheEvict(cacheNames = ApiTokenOwners.CACHE, allEntries = true)
    public CreatedToken create(String username, String name) {
        UserAccount owner = accounts.findByUsername(username)
                .orElseThrow(() -> new IllegalArgumentException("There is no user '" + username + "'."));
        String tokenName = cleanName(name);
        long active = jdbc.sql("SELECT COUNT(*) FROM api_tokens WHERE user_id = ? AND NOT revoked")
                .param(owner.id()).query(Long.class).single();
        if (active >= MAX_ACTIVE_PER_USER) {
            throw new IllegalArgumentException("You already have " + MAX_ACTIVE_PER_USER
                    + " API tokens; revoke one first.");
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        jdbc.sql("INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)")
                .params(owner.id(), tokenName, sha256(token), now()).update();
        long id = jdbc.sql("SELECT id FROM api_tokens WHERE token_hash = ?").param(sha256(token))
                .query(Long.class).single();
        return new CreatedToken(id, tokenName, token);
    }

    /** The user's tokens that are not revoked, newest first. */
    public List<TokenInfo> list(String username) {
        return jdbc.sql("""
                        SELECT t.id, t.name, t.created_at, t.last_used_at FROM api_tokens t
                        JOIN users u ON u.id = t.user_id
                        WHERE u.username_key = LOWER(?) AND NOT t.revoked ORDER BY t.created_at DESC, t.id DESC""")
                .param(username)
                .query((rs, n) -> new TokenInfo(rs.getLong("id"), rs.getString("name"),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                        toInstant(rs.getObject("last_used_at", OffsetDateTime.class))))
                .list();
    }

    /** Revokes one of the user's own tokens; false if there is no such active token of that user. */
    @CacheEvict(cacheNames = ApiTokenOwners.CACHE, allEntries = true)
    public boolean revoke(String username, long tokenId) {
        return jdbc.sql("""
                        UPDATE api_tokens SET revoked = TRUE WHERE id = ? AND NOT revoked
                        AND user_id = (SELECT id FROM users WHERE username_key = LOWER(?))""")
                .params(tokenId, username).update() == 1;
    }

    /**
     * The owner of an active token of an enabled user; also notes when the token was used, at most once a minute.
     * Served from {@link ApiTokenOwners}' cache on H2, read from the database on PostgreSQL.
     *
     * @throws DisabledException when the token is valid but its owner's account is disabled
     */
    Optional<TokenOwner> authenticate(String rawToken) {
        if (rawToken == null || !rawToken.startsWith(PREFIX) || rawToken.length() > 200) {
            return Optional.empty();
        }
        String hash = sha256(rawToken);
        ApiTokenOwners.Known known = (shared ? owners.load(hash) : owners.find(hash)).orElse(null);
        if (known == null) return Optional.empty();
        if (!known.enabled()) throw new DisabledException("This account is disabled: ask an administrator.");
        OffsetDateTime now = now();
        AtomicReference<OffsetDateTime> written = lastUseWritten.get(known.owner().tokenId(), id -> new AtomicReference<>());
        OffsetDateTime last = written.get();
        if (last == null || !last.isAfter(now.minus(LAST_USED_PRECISION))) {
            if (written.compareAndSet(last, now)) {
                jdbc.sql("""
                                UPDATE api_tokens SET last_used_at = ?
                                WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)""")
                        .params(now, known.owner().tokenId(), now.minus(LAST_USED_PRECISION)).update();
            }
        }
        return Optional.of(known.owner());
    }

    static String sha256(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }

    private static String cleanName(String name) {
        String n = name == null ? "" : name.replaceAll("\\p{Cntrl}", " ").strip();
        if (n.isEmpty()) {
            return "API token";
        }
        if (n.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("A token name has at most " + MAX_NAME_LENGTH + " characters.");
        }
        return n;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static Instant toInstant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
