-- PostgreSQL's twin of vendor/h2/V2__security.sql: a generated column must be STORED here.
ALTER TABLE users ADD COLUMN username_key VARCHAR(64) GENERATED ALWAYS AS (LOWER(username)) STORED;
ALTER TABLE users ADD CONSTRAINT uq_users_username_key UNIQUE (username_key);

CREATE INDEX ix_api_tokens_user ON api_tokens (user_id);
