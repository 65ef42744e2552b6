-- Usernames are unique regardless of case (login is case-insensitive), enforced by the database.
ALTER TABLE users ADD COLUMN username_key VARCHAR(64) GENERATED ALWAYS AS (LOWER(username));
ALTER TABLE users ADD CONSTRAINT uq_users_username_key UNIQUE (username_key);

-- Listing a user's tokens.
CREATE INDEX ix_api_tokens_user ON api_tokens (user_id);
