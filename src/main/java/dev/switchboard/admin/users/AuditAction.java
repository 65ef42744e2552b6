package dev.switchboard.admin.users;

/**
 * What an admin did, a login (the login form or single sign-on), or a pause of the login throttle; stored by name in
 * {@code audit_log.action}.
 */
public enum AuditAction {
    USER_CREATED,
    USER_ENABLED,
    USER_DISABLED,
    PASSWORD_RESET,
    ROLE_CHANGED,
    QUOTA_CHANGED,
    DISPLAY_NAME_CHANGED,
    LOGIN_SUCCEEDED,
    LOGIN_FAILED,
    LOGIN_THROTTLED
}
