-- What several instances on one PostgreSQL database must count together. Used on PostgreSQL only: on H2 (one
-- instance) these are kept in memory and the tables stay empty. Plain SQL, the same on H2 and PostgreSQL.

-- bucket4j's buckets (its PostgreSQL backend, select for update): each user's API request rate ('rate:<user>') and
-- the login throttle's counts of failures ('login:<count>', LoginThrottle). expires_at (epoch ms) is when a bucket is
-- full again and its row can go.
CREATE TABLE rate_limit_buckets (
    id         VARCHAR(300) NOT NULL,
    state      BYTEA,
    expires_at BIGINT,
    CONSTRAINT pk_rate_limit_buckets PRIMARY KEY (id)
);
CREATE INDEX ix_rate_limit_buckets_expires ON rate_limit_buckets (expires_at);

-- The login throttle's counts beside their buckets: failures seen, pauses so far and the running one's end. A row
-- whose last failure is older than switchboard.security.login.forget-after counts as none.
CREATE TABLE login_pauses (
    count_key       VARCHAR(300) NOT NULL,
    failures        INT          NOT NULL,
    pauses          INT          NOT NULL,
    paused_until    TIMESTAMP WITH TIME ZONE,
    last_failure_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_login_pauses PRIMARY KEY (count_key)
);
