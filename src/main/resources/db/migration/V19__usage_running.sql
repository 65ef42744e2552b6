-- A generation in progress has its row here, not in usage_records: written at its start, saved as its tokens arrive,
-- saved with its end (status no longer NULL: the row is durable before the client hears its usage), then moved to
-- usage_records in one transaction (inserted there with its rollups, deleted here). usage_records, with its indexes
-- and rollups, is written once per generation, as before V13; the quota checks and the sweeper of rows left by a dead
-- server read this small table only. saved_at is the time of the last save (of the end, once ended); reserved_tokens
-- what the generation holds of its user's daily quota. Plain SQL, the same on H2 and PostgreSQL.
CREATE TABLE usage_running (
    generation_id       VARCHAR(36)  NOT NULL,
    username            VARCHAR(64)  NOT NULL,
    conversation_id     VARCHAR(36),
    requested_model     VARCHAR(128) NOT NULL,
    served_model        VARCHAR(128),
    upstream            VARCHAR(64),
    prompt_tokens       BIGINT       NOT NULL,
    completion_tokens   BIGINT       NOT NULL,
    estimated           BOOLEAN      NOT NULL,
    failovers           INT          NOT NULL,
    ttft_ms             BIGINT,
    started_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    saved_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    source              VARCHAR(16),
    upstream_request_id VARCHAR(128),
    reserved_tokens     BIGINT       NOT NULL DEFAULT 0,
    status              VARCHAR(16),
    error               VARCHAR(500),
    duration_ms         BIGINT,
    CONSTRAINT pk_usage_running PRIMARY KEY (generation_id)
);
CREATE INDEX ix_usage_running_user ON usage_running (username);

-- Rows left running by the previous version move here; the sweeper ends them as before.
INSERT INTO usage_running (generation_id, username, conversation_id, requested_model, served_model, upstream,
                           prompt_tokens, completion_tokens, estimated, failovers, ttft_ms, started_at, saved_at,
                           source, upstream_request_id, reserved_tokens)
SELECT generation_id, username, conversation_id, requested_model, served_model, upstream, prompt_tokens,
       completion_tokens, estimated, failovers, ttft_ms, started_at, ended_at, source, upstream_request_id, reserved_tokens
FROM usage_records WHERE status = 'running';
DELETE FROM usage_records WHERE status = 'running';
DROP INDEX ix_usage_status_ended;
ALTER TABLE usage_records DROP COLUMN reserved_tokens;

