-- Accounts: BCrypt hashes, one role each.
CREATE TABLE users (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    username      VARCHAR(64)  NOT NULL,
    display_name  VARCHAR(128),
    password_hash VARCHAR(100) NOT NULL,
    role          VARCHAR(16)  NOT NULL,
    enabled       BOOLEAN      NOT NULL DEFAULT TRUE,
    daily_token_quota BIGINT,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT uq_users_username UNIQUE (username),
    CONSTRAINT ck_users_role CHECK (role IN ('USER', 'ADMIN'))
);

-- Personal API tokens: only a SHA-256 of the token is kept (tokens are long random strings, so a fast hash is safe
-- and checking one costs no password hash per request).
CREATE TABLE api_tokens (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    user_id      BIGINT       NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         VARCHAR(100) NOT NULL,
    token_hash   CHAR(64)     NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    last_used_at TIMESTAMP WITH TIME ZONE,
    revoked      BOOLEAN      NOT NULL DEFAULT FALSE,
    CONSTRAINT uq_api_tokens_hash UNIQUE (token_hash)
);

-- One row per generation, whatever its end.
CREATE TABLE usage_records (
    id                BIGINT AUTO_INCREMENT PRIMARY KEY,
    generation_id     VARCHAR(36)  NOT NULL,
    username          VARCHAR(64)  NOT NULL,
    conversation_id   VARCHAR(36),
    requested_model   VARCHAR(128) NOT NULL,
    served_model      VARCHAR(128),
    upstream          VARCHAR(64),
    prompt_tokens     BIGINT       NOT NULL,
    completion_tokens BIGINT       NOT NULL,
    total_tokens      BIGINT       NOT NULL,
    estimated         BOOLEAN      NOT NULL,
    cost_usd          DECIMAL(18, 8),
    status            VARCHAR(16)  NOT NULL,
    failovers         INT          NOT NULL DEFAULT 0,
    error             VARCHAR(500),
    ttft_ms           BIGINT,
    duration_ms       BIGINT       NOT NULL,
    started_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT uq_usage_generation UNIQUE (generation_id)
);
CREATE INDEX ix_usage_started ON usage_records (started_at);
CREATE INDEX ix_usage_user_started ON usage_records (username, started_at);
CREATE INDEX ix_usage_model_started ON usage_records (requested_model, started_at);

-- Each upstream attempt of a generation, for the admin's upstream view.
CREATE TABLE upstream_attempts (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    generation_id VARCHAR(36) NOT NULL,
    upstream      VARCHAR(64) NOT NULL,
    outcome       VARCHAR(200) NOT NULL,
    latency_ms    BIGINT      NOT NULL,
    at            TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_attempts_generation ON upstream_attempts (generation_id);
CREATE INDEX ix_attempts_upstream_at ON upstream_attempts (upstream, at);
