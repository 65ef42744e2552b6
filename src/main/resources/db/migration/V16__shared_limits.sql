-- What several instances on one PostgreSQL database must count together. Used on PostgreSQL only: on H2 (one
-- instance) these are kept in memory and the tables stay empty. Plain SQL, the same on H2 and PostgreSQL.

-- bucket4j's buckets (its PostgreSQL backend, select for update): each user's API request rate ('rate:<user>') and
-- each username's failed logins ('login:<username>'). expires_at (epoch ms) is when a bucket is full again and its
-- row can go.
CREATE TABLE rate_limit_buckets (
    id         VARCHAR(200) NOT NULL,
    state      BYTEA,
    expires_at BIGINT,
    CONSTRAINT pk_rate_limit_buckets PRIMARY KEY (id)
);
CREATE INDEX ix_rate_limit_buckets_expires ON rate_limit_buckets (expires_at);

-- The login throttle's lock-outs: once a username has no failures left it is locked, longer after each lock-out.
-- A row whose last failure is older than switchboard.security.login.forget-after no longer counts.
CREATE TABLE login_lockouts (
    username_key    VARCHAR(128) NOT NULL,
    lockouts        INT          NOT NULL,
    locked_until    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_failure_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_login_lockouts PRIMARY KEY (username_key)
);
