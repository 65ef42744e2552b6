package dev.switchboard.admin.users;

import dev.switchboard.users.Role;


/**
 * Changes to one user, applied together or not at all. A null field stays as it is; the quota needs
 * {@code changeQuota} because null is a value there (no limit).
 */
public record UserChanges(Role role, Boolean enabled, boolean changeQuota, Long dailyTokenQuota, String password,
                          String displayName) {

    public static UserChanges none() {
        return new UserChanges(null, null, false, null, null, null);
    }

    public UserChanges withRole(Role r) { return new UserChanges(r, enabled, changeQuota, dailyTokenQuota, password, displayName); }
    public UserChanges withEnabled(boolean e) { return new UserChanges(role, e, changeQuota, dailyTokenQuota, password, displayName); }
    public UserChanges withQuota(Long q) { return new UserChanges(role, enabled, true, q, password, displayName); }
    public UserChanges withPassword(String p) { return new UserChanges(role, enabled, changeQuota, dailyTokenQuota, p, displayName); }
    public UserChanges withDisplayName(String d) { return new UserChanges(role, enabled, changeQuota, dailyTokenQuota, password, d); }

    public boolean isEmpty() {
        return role == null && enabled == null && !changeQuota && password == null && displayName == null;
    }

    @Override
    public String toString() { // keep the password out of logs
        return "UserChanges[role=" + role + ", enabled=" + enabled + (changeQuota ? ", quota=" + dailyTokenQuota : "")
                + (password != null ? ", password=***" : "") + (displayName != null ? ", displayName=" + displayName : "") + "]";
    }
}
