package dev.switchboard.users;

/**
 * Published after a user's role, status, quota or password changed, so cached account lookups (the user's own
 * quota, token owners, verified passwords) forget them. Listeners use
 * {@code @TransactionalEventListener(fallbackExecution = true)}: after the commit when there is a transaction, else
 * at once.
 */
public record AccountsChanged(String username) {
}
