package dev.switchboard.users;

import java.time.Instant;

/** A user as the rest of the app sees it; the password hash never leaves {@link UserAccounts}. */
public record UserAccount(
        long id,
        String username,
        String displayName,
        Role role,
        boolean enabled,
        Long dailyTokenQuota,
        Instant createdAt) {

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
