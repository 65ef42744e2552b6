package dev.switchboard.users;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalEventListener;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The user accounts: BCrypt hashes in table {@code users}. Usernames are matched case-insensitively.
 * Methods that change data throw {@link IllegalArgumentException} (or {@link InvalidPasswordException})
 * with a message that can be shown to the user.
 */
@Service
public class UserAccounts {
    static final String OWN_QUOTAS = "ownDailyTokenQuotas";
    static final String SESSION_GRANTS = "sessionGrants";

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final String COLUMNS = "id, username, display_name, role, enabled, daily_token_quota, created_at";
    private static final RowMapper<UserAccount> ACCOUNT = (rs, n) -> new UserAccount(
            rs.getLong("id"),
            rs.getString("username"),
            rs.getString("display_name"),
            Role.valueOf(rs.getString("role")),
            rs.getBoolean("enabled"),
            rs.getObject("daily_token_quota", Long.class),
            rs.getObject("created_at", OffsetDateTime.class).toInstant());

    private final JdbcClient jdbc;
    private final PasswordEncoder passwordEncoder;
    private final ApplicationEventPublisher events;

    public UserAccounts(JdbcClient jdbc, PasswordEncoder passwordEncoder, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.passwordEncoder = passwordEncoder;
        this.events = events;
    }

    public Optional<UserAccount> findByUsername(String username) {
        if (username == null || username.isBlank()) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE username_key = LOWER(?)")
                .param(username.strip()).query(ACCOUNT).optional();
    }

    /**
     * The user's own daily token quota (empty: none of their own, or no such user), asked by every chat request:
     * cached, and forgotten on every account change ({@link AccountsChanged}).
     */
    @Cacheable(cacheNames = OWN_QUOTAS, sync = true)
    public Optional<Long> ownDailyTokenQuota(String username) {
        return findByUsername(username).map(UserAccount::dailyTokenQuota);
    }

    /**
     * What a login session of this user may hold now (empty: disabled or gone), asked by every request of a session:
     * cached, and forgotten on every account change.
     */
    @Cacheable(cacheNames = SESSION_GRANTS, sync = true)
    public Optional<SessionGrant> sessionGrant(String username) {
        return currentSessionGrant(username);
    }

    /** As {@link #sessionGrant}, read from the database now. */
    public Optional<SessionGrant> currentSessionGrant(String username) {
        if (username == null || username.isBlank()) return Optional.empty();
        return jdbc.sql("SELECT role, session_version FROM users WHERE username_key = LOWER(?) AND enabled")
                .param(username.strip())
                .query((rs, n) -> new SessionGrant(Role.valueOf(rs.getString("role")), rs.getInt("session_version")))
                .optional();
    }

    @TransactionalEventListener(fallbackExecution = true)
    @CacheEvict(cacheNames = {OWN_QUOTAS, SESSION_GRANTS}, allEntries = true)
    public void accountsChanged(AccountsChanged event) {
        // the annotation empties the cache
    }

    /** The account linked to a single sign-on identity: the ID token's issuer and subject. */
    public Optional<UserAccount> findBySsoIdentity(String issuer, String subject) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE sso_issuer = ? AND sso_subject = ?")
                .params(issuer, subject).query(ACCOUNT).optional();
    }

    /**
     * Creates an enabled account for a single sign-on identity, without a password (it signs in through its
     * provider only, unless an admin sets one). Throws IllegalArgumentException for a bad or taken username.
     */
    @Transactional
    public UserAccount createForSso(String username, String displayName, Role role, String issuer, String subject) {
        String name = checkUsername(username);
        Objects.requireNonNull(role, "role");
        if (findByUsername(name).isPresent()) {
            throw new IllegalArgumentException("The username '" + name + "' is already taken.");
        }
        try {
            jdbc.sql("INSERT INTO users (username, display_name, role, sso_issuer, sso_subject) VALUES (?, ?, ?, ?, ?)")
                    .params(name, blankToNull(displayName), role.name(), issuer, subject).update();
        } catch (DuplicateKeyException e) { // lost a race with another insert of the same name or identity
            throw new IllegalArgumentException("The username '" + name + "' is already taken.");
        }
        return findByUsername(name).orElseThrow();
    }

    /**
     * Sets the role an identity provider gives (its admin group, read at each single sign-on). Unlike
     * {@link #setRole}, this may demote the last enabled admin: the provider decides, and leaving someone admin whom
     * it no longer names would be worse.
     */
    @Transactional
    public void setRoleFromIdentityProvider(String username, Role role) {
        UserAccount account = require(username);
        jdbc.sql("UPDATE users SET role = ? WHERE id = ?").params(Objects.requireNonNull(role).name(), account.id()).update();
        events.publishEvent(new AccountsChanged(account.username()));
    }

    /** Whether {@code username} is acceptable as a username (1 to 64 letters, digits, '.', '_', '@', '-'). */
    public static boolean isValidUsername(String username) {
        return username != null && USERNAME.matcher(username.strip()).matches();
    }

    public Optional<UserAccount> findById(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE id = ?").param(id).query(ACCOUNT).optional();
    }

    /** All users, ordered by username. */
    public List<UserAccount> list() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users ORDER BY username_key").query(ACCOUNT).list();
    }

    public long count() {
        return jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single();
    }

    public UserAccount create(String username, String rawPassword, Role role) {
        return create(username, null, rawPassword, role);
    }

    /** Creates an enabled user; the password must satisfy {@link PasswordPolicy}. */
    @Transactional
    public UserAccount create(String username, String displayName, String rawPassword, Role role) {
        String name = checkUsername(username);
        Objects.requireNonNull(role, "role");
        PasswordPolicy.check(name, rawPassword);
        if (findByUsername(name).isPresent()) {
            throw new IllegalArgumentException("The username '" + name + "' is already taken.");
        }
        try {
            jdbc.sql("INSERT INTO users (username, display_name, password_hash, role) VALUES (?, ?, ?, ?)")
                    .params(name, blankToNull(displayName), passwordEncoder.encode(rawPassword), role.name())
                    .update();
        } catch (DuplicateKeyException e) { // lost a race with another insert of the same name
            throw new IllegalArgumentException("The username '" + name + "' is already taken.");
        }
        return findByUsername(name).orElseThrow();
    }

    /** Sets a new password (no check of the old one: callers decide who may do this). */
    public void changePassword(String username, String newRawPassword) {
        UserAccount account = require(username);
        PasswordPolicy.check(account.username(), newRawPassword);
        jdbc.sql("UPDATE users SET password_hash = ?, session_version = session_version + 1 WHERE id = ?")
                .params(passwordEncoder.encode(newRawPassword), account.id()).update();
        events.publishEvent(new AccountsChanged(account.username()));
    }

    @Transactional
    public void setEnabled(String username, boolean enabled) {
        UserAccount account = require(username);
        if (!enabled && account.isAdmin() && account.enabled()) {
            requireAnotherEnabledAdmin(account);
        }
        jdbc.sql("UPDATE users SET enabled = ?, session_version = session_version + 1 WHERE id = ?")
                .params(enabled, account.id()).update();
        events.publishEvent(new AccountsChanged(account.username()));
    }

    @Transactional
    public void setRole(String username, Role role) {
        UserAccount account = require(username);
        Objects.requireNonNull(role, "role");
        if (role != Role.ADMIN && account.isAdmin() && account.enabled()) {
            requireAnotherEnabledAdmin(account);
        }
        jdbc.sql("UPDATE users SET role = ?, session_version = session_version + 1 WHERE id = ?")
                .params(role.name(), account.id()).update();
        events.publishEvent(new AccountsChanged(account.username()));
    }

    public void setDisplayName(String username, String displayName) {
        UserAccount account = require(username);
        jdbc.sql("UPDATE users SET display_name = ? WHERE id = ?")
                .params(blankToNull(displayName), account.id()).update();
    }

    /** The user's chosen colour scheme; empty: follow the device's (or no such user). */
    public Optional<ColorScheme> colorScheme(String username) {
        if (username == null || username.isBlank()) return Optional.empty();
        return jdbc.sql("SELECT color_scheme FROM users WHERE username_key = LOWER(?)").param(username.strip())
                .query((rs, n) -> Optional.ofNullable(rs.getString("color_scheme"))).list().stream()
                .findFirst().flatMap(s -> s).map(ColorScheme::valueOf);
    }

    /** Remembers the user's colour scheme; {@code null} follows the device again. Not a change of rights. */
    public void setColorScheme(String username, ColorScheme scheme) {
        UserAccount account = require(username);
        jdbc.sql("UPDATE users SET color_scheme = ? WHERE id = ?")
                .params(scheme == null ? null : scheme.name(), account.id()).update();
    }

    /** Tokens per day for this user; {@code null} means no limit. */
    public void setDailyTokenQuota(String username, Long quota) {
        if (quota != null && quota < 0) {
            throw new IllegalArgumentException("The daily token quota must not be negative.");
        }
        UserAccount account = require(username);
        jdbc.sql("UPDATE users SET daily_token_quota = ? WHERE id = ?").params(quota, account.id()).update();
        events.publishEvent(new AccountsChanged(account.username()));
    }

    /**
     * Whether this is the user's current password, for "change my password" (added for the account view).
     * False for unknown or disabled users. Costs one BCrypt check: callers throttle it.
     */
    public boolean passwordMatches(String username, String rawPassword) {
        if (rawPassword == null) {
            return false;
        }
        return findCredentials(username).filter(c -> c.enabled() && c.passwordHash() != null)
                .map(c -> passwordEncoder.matches(rawPassword, c.passwordHash())).orElse(false);
    }

    /** For the login check only: the stored hash (null for a single sign-on account), never exposed outside this package. */
    Optional<Credentials> findCredentials(String username) {
        if (username == null || username.isBlank()) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT username, password_hash, role, enabled FROM users WHERE username_key = LOWER(?)")
                .param(username.strip())
                .query((rs, n) -> new Credentials(rs.getString("username"), rs.getString("password_hash"),
                        Role.valueOf(rs.getString("role")), rs.getBoolean("enabled")))
                .optional();
    }

    record Credentials(String username, String passwordHash, Role role, boolean enabled) {
        @Override
        public String toString() { // keep the hash out of logs
            return "Credentials[" + username + ", " + role + ", enabled=" + enabled + "]";
        }
    }

    private UserAccount require(String username) {
        return findByUsername(username)
                .orElseThrow(() -> new IllegalArgumentException("There is no user '" + username + "'."));
    }

    private void requireAnotherEnabledAdmin(UserAccount account) {
        long others = jdbc.sql("SELECT COUNT(*) FROM users WHERE role = 'ADMIN' AND enabled AND id <> ?")
                .param(account.id()).query(Long.class).single();
        if (others == 0) {
            throw new IllegalArgumentException("'" + account.username() + "' is the last enabled admin.");
        }
    }

    private static String checkUsername(String username) {
        String name = username == null ? "" : username.strip();
        if (!USERNAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "A username has 1 to 64 characters: letters, digits, '.', '_', '@' or '-', starting with a letter or digit.");
        }
        return name;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
