package dev.switchboard.admin.users;

import dev.switchboard.users.Role;


/** What an admin fills in to create a user; {@code dailyTokenQuota} null means no limit. */
public record NewUser(String username, String displayName, String password, Role role, Long dailyTokenQuota) {
    @Override
    public String toString() { // keep the password out of logs
        return "NewUser[" + username + ", " + role + "]";
    }
}
