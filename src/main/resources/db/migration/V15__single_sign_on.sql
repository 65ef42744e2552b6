-- Single sign-on (OIDC): an account made at its first sign-in is linked to its identity at the provider (the ID
-- token's issuer and subject) and has no password. Plain SQL, the same on H2 and PostgreSQL.
ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;
ALTER TABLE users ADD COLUMN sso_issuer VARCHAR(255);
ALTER TABLE users ADD COLUMN sso_subject VARCHAR(255);
ALTER TABLE users ADD CONSTRAINT uq_users_sso UNIQUE (sso_issuer, sso_subject);
