-- Secrets the server makes for itself on first use and every instance must share, by name: "device-cookie-key" signs
-- the device cookies of the login throttle (unless switchboard.security.login.device-cookie-key is set). Base64.
-- Plain SQL, the same on H2 and PostgreSQL.
CREATE TABLE server_secrets (
    name   VARCHAR(64)  PRIMARY KEY,
    secret VARCHAR(128) NOT NULL
);
