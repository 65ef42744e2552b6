package dev.switchboard.users;

/**
 * Published after a user's role, status, quota or password changed, so caches of account lookups
 * ({@link AccountLookupCache}) forget them. (A revoked token empties {@link ApiTokens}' cache directly.) Listeners
 * use {@code @TransactionalEventListener(fallbackExecution = true)}: after the commit when there is a transaction,
 * else at once.
 */
public record AccountsChanged(String username) {
}
