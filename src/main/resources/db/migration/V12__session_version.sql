-- A counter bumped by every change of a user's rights or credentials (role, enabled, password): a login session
-- remembers the value it began with and ends at its next request once the value moved (security.AccountSessions).
-- Plain SQL, the same on H2 and PostgreSQL.
ALTER TABLE users ADD COLUMN session_version INTEGER DEFAULT 0 NOT NULL;
