-- Daily rollups of usage_records, kept by the usage writer in the same transaction as each row (UsageRollup), so the
-- dashboard sums a few hundred or thousand rollup rows instead of scanning up to 1,000,000 usage rows. usage_day is
-- the UTC date of started_at, model the requested model, upstream '' when none answered. cost_usd sums priced rows
-- only; unpriced_requests counts the others, so a missing price is never shown as 0. ttft_00..ttft_19 count time to
-- first token per bucket (upper bounds 100, 200, 300, 400, 500, 600, 800, 1000, 1250, 1500, 2000, 2500, 3000, 4000, 5000, 7500, 10000, 15000, 30000 ms, then open-ended), for a median at any range.

-- Full grain: filters by user.
CREATE TABLE usage_daily (
    usage_day          DATE           NOT NULL,
    username           VARCHAR(64)    NOT NULL,
    model              VARCHAR(128)   NOT NULL,
    upstream           VARCHAR(64)    NOT NULL,
    requests           BIGINT         NOT NULL,
    prompt_tokens      BIGINT         NOT NULL,
    completion_tokens  BIGINT         NOT NULL,
    estimated_requests BIGINT         NOT NULL,
    cost_usd           DECIMAL(24, 8) NOT NULL,
    unpriced_requests  BIGINT         NOT NULL,
    stopped            BIGINT         NOT NULL,
    failed             BIGINT         NOT NULL,
    interrupted        BIGINT         NOT NULL,
    failovers          BIGINT         NOT NULL,
    ttft_00            BIGINT         NOT NULL DEFAULT 0,
    ttft_01            BIGINT         NOT NULL DEFAULT 0,
    ttft_02            BIGINT         NOT NULL DEFAULT 0,
    ttft_03            BIGINT         NOT NULL DEFAULT 0,
    ttft_04            BIGINT         NOT NULL DEFAULT 0,
    ttft_05            BIGINT         NOT NULL DEFAULT 0,
    ttft_06            BIGINT         NOT NULL DEFAULT 0,
    ttft_07            BIGINT         NOT NULL DEFAULT 0,
    ttft_08            BIGINT         NOT NULL DEFAULT 0,
    ttft_09            BIGINT         NOT NULL DEFAULT 0,
    ttft_10            BIGINT         NOT NULL DEFAULT 0,
    ttft_11            BIGINT         NOT NULL DEFAULT 0,
    ttft_12            BIGINT         NOT NULL DEFAULT 0,
    ttft_13            BIGINT         NOT NULL DEFAULT 0,
    ttft_14            BIGINT         NOT NULL DEFAULT 0,
    ttft_15            BIGINT         NOT NULL DEFAULT 0,
    ttft_16            BIGINT         NOT NULL DEFAULT 0,
    ttft_17            BIGINT         NOT NULL DEFAULT 0,
    ttft_18            BIGINT         NOT NULL DEFAULT 0,
    ttft_19            BIGINT         NOT NULL DEFAULT 0,
    CONSTRAINT pk_usage_daily PRIMARY KEY (usage_day, username, model, upstream)
);
CREATE INDEX ix_usage_daily_user_day ON usage_daily (username, usage_day);
CREATE INDEX ix_usage_daily_model_day ON usage_daily (model, usage_day);

-- All users together (about 20 rows a day): totals, chart, by model/day/upstream without a user filter.
CREATE TABLE usage_daily_model (
    usage_day          DATE           NOT NULL,
    model              VARCHAR(128)   NOT NULL,
    upstream           VARCHAR(64)    NOT NULL,
    requests           BIGINT         NOT NULL,
    prompt_tokens      BIGINT         NOT NULL,
    completion_tokens  BIGINT         NOT NULL,
    estimated_requests BIGINT         NOT NULL,
    cost_usd           DECIMAL(24, 8) NOT NULL,
    unpriced_requests  BIGINT         NOT NULL,
    stopped            BIGINT         NOT NULL,
    failed             BIGINT         NOT NULL,
    interrupted        BIGINT         NOT NULL,
    failovers          BIGINT         NOT NULL,
    ttft_00            BIGINT         NOT NULL DEFAULT 0,
    ttft_01            BIGINT         NOT NULL DEFAULT 0,
    ttft_02            BIGINT         NOT NULL DEFAULT 0,
    ttft_03            BIGINT         NOT NULL DEFAULT 0,
    ttft_04            BIGINT         NOT NULL DEFAULT 0,
    ttft_05            BIGINT         NOT NULL DEFAULT 0,
    ttft_06            BIGINT         NOT NULL DEFAULT 0,
    ttft_07            BIGINT         NOT NULL DEFAULT 0,
    ttft_08            BIGINT         NOT NULL DEFAULT 0,
    ttft_09            BIGINT         NOT NULL DEFAULT 0,
    ttft_10            BIGINT         NOT NULL DEFAULT 0,
    ttft_11            BIGINT         NOT NULL DEFAULT 0,
    ttft_12            BIGINT         NOT NULL DEFAULT 0,
    ttft_13            BIGINT         NOT NULL DEFAULT 0,
    ttft_14            BIGINT         NOT NULL DEFAULT 0,
    ttft_15            BIGINT         NOT NULL DEFAULT 0,
    ttft_16            BIGINT         NOT NULL DEFAULT 0,
    ttft_17            BIGINT         NOT NULL DEFAULT 0,
    ttft_18            BIGINT         NOT NULL DEFAULT 0,
    ttft_19            BIGINT         NOT NULL DEFAULT 0,
    CONSTRAINT pk_usage_daily_model PRIMARY KEY (usage_day, model, upstream)
);

-- All models together: the by-user grid without a model filter.
CREATE TABLE usage_daily_user (
    usage_day          DATE           NOT NULL,
    username           VARCHAR(64)    NOT NULL,
    requests           BIGINT         NOT NULL,
    prompt_tokens      BIGINT         NOT NULL,
    completion_tokens  BIGINT         NOT NULL,
    estimated_requests BIGINT         NOT NULL,
    cost_usd           DECIMAL(24, 8) NOT NULL,
    unpriced_requests  BIGINT         NOT NULL,
    stopped            BIGINT         NOT NULL,
    failed             BIGINT         NOT NULL,
    interrupted        BIGINT         NOT NULL,
    failovers          BIGINT         NOT NULL,
    ttft_00            BIGINT         NOT NULL DEFAULT 0,
    ttft_01            BIGINT         NOT NULL DEFAULT 0,
    ttft_02            BIGINT         NOT NULL DEFAULT 0,
    ttft_03            BIGINT         NOT NULL DEFAULT 0,
    ttft_04            BIGINT         NOT NULL DEFAULT 0,
    ttft_05            BIGINT         NOT NULL DEFAULT 0,
    ttft_06            BIGINT         NOT NULL DEFAULT 0,
    ttft_07            BIGINT         NOT NULL DEFAULT 0,
    ttft_08            BIGINT         NOT NULL DEFAULT 0,
    ttft_09            BIGINT         NOT NULL DEFAULT 0,
    ttft_10            BIGINT         NOT NULL DEFAULT 0,
    ttft_11            BIGINT         NOT NULL DEFAULT 0,
    ttft_12            BIGINT         NOT NULL DEFAULT 0,
    ttft_13            BIGINT         NOT NULL DEFAULT 0,
    ttft_14            BIGINT         NOT NULL DEFAULT 0,
    ttft_15            BIGINT         NOT NULL DEFAULT 0,
    ttft_16            BIGINT         NOT NULL DEFAULT 0,
    ttft_17            BIGINT         NOT NULL DEFAULT 0,
    ttft_18            BIGINT         NOT NULL DEFAULT 0,
    ttft_19            BIGINT         NOT NULL DEFAULT 0,
    CONSTRAINT pk_usage_daily_user PRIMARY KEY (usage_day, username)
);

-- The exact median time to first token of a small range is read from the raw rows: this index covers that scan.
CREATE INDEX ix_usage_started_ttft ON usage_records (started_at, ttft_ms);

-- Rows written before this migration.
INSERT INTO usage_daily (usage_day, username, model, upstream, requests, prompt_tokens, completion_tokens, estimated_requests, cost_usd, unpriced_requests, stopped, failed, interrupted, failovers, ttft_00, ttft_01, ttft_02, ttft_03, ttft_04, ttft_05, ttft_06, ttft_07, ttft_08, ttft_09, ttft_10, ttft_11, ttft_12, ttft_13, ttft_14, ttft_15, ttft_16, ttft_17, ttft_18, ttft_19)
SELECT CAST(started_at AT TIME ZONE 'UTC' AS DATE), username, requested_model, COALESCE(upstream, ''),
       COUNT(*), SUM(prompt_tokens), SUM(completion_tokens),
       SUM(CASE WHEN estimated THEN 1 ELSE 0 END), COALESCE(SUM(cost_usd), 0),
       SUM(CASE WHEN cost_usd IS NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'stopped' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'interrupted' THEN 1 ELSE 0 END),
       SUM(failovers),
       SUM(CASE WHEN ttft_ms < 100 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttft_ms >= 100 AND ttft_ms < 200 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttft_ms >= 200 AND ttft_ms < 300 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttft_ms >= 300 AND ttft_ms < 400 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttft_ms >= 400 AND ttft_ms < 500 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttft_ms >= 500 AND ttft_ms < 600 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttft_ms >= 600 AND ttft_ms < 800 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttft_ms >= 800 AND ttft_ms < 1000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttft_ms >= 1000 AND ttft_ms < 1250 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttft_ms >= 1250 AND ttft_ms < 1500 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttft_ms >= 1500 AND ttft_ms < 2000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttft_ms >= 2000 AND ttft_ms < 2500 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttft_ms >= 2500 AND ttft_ms < 3000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttft_ms >= 3000 AND ttft_ms < 4000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttft_ms >= 4000 AND ttft_ms < 5000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttft_ms >= 5000 AND ttft_ms < 7500 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttft_ms >= 7500 AND ttft_ms < 10000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttft_ms >= 10000 AND ttft_ms < 15000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttft_ms >= 15000 AND ttft_ms < 30000 THEN 1 ELSE 0 END),
       SUM(CASE WHEN ttft_ms >= 30000 THEN 1 ELSE 0 END)
FROM usage_records
GROUP BY CAST(started_at AT TIME ZONE 'UTC' AS DATE), username, requested_model, COALESCE(upstream, '');

INSERT INTO usage_daily_model (usage_day, model, upstream, requests, prompt_tokens, completion_tokens, estimated_requests, cost_usd, unpriced_requests, stopped, failed, interrupted, failovers, ttft_00, ttft_01, ttft_02, ttft_03, ttft_04, ttft_05, ttft_06, ttft_07, ttft_08, ttft_09, ttft_10, ttft_11, ttft_12, ttft_13, ttft_14, ttft_15, ttft_16, ttft_17, ttft_18, ttft_19)
SELECT usage_day, model, upstream, SUM(requests), SUM(prompt_tokens), SUM(completion_tokens), SUM(estimated_requests), SUM(cost_usd), SUM(unpriced_requests), SUM(stopped), SUM(failed), SUM(interrupted), SUM(failovers), SUM(ttft_00), SUM(ttft_01), SUM(ttft_02), SUM(ttft_03), SUM(ttft_04), SUM(ttft_05), SUM(ttft_06), SUM(ttft_07), SUM(ttft_08), SUM(ttft_09), SUM(ttft_10), SUM(ttft_11), SUM(ttft_12), SUM(ttft_13), SUM(ttft_14), SUM(ttft_15), SUM(ttft_16), SUM(ttft_17), SUM(ttft_18), SUM(ttft_19)
FROM usage_daily GROUP BY usage_day, model, upstream;

INSERT INTO usage_daily_user (usage_day, username, requests, prompt_tokens, completion_tokens, estimated_requests, cost_usd, unpriced_requests, stopped, failed, interrupted, failovers, ttft_00, ttft_01, ttft_02, ttft_03, ttft_04, ttft_05, ttft_06, ttft_07, ttft_08, ttft_09, ttft_10, ttft_11, ttft_12, ttft_13, ttft_14, ttft_15, ttft_16, ttft_17, ttft_18, ttft_19)
SELECT usage_day, username, SUM(requests), SUM(prompt_tokens), SUM(completion_tokens), SUM(estimated_requests), SUM(cost_usd), SUM(unpriced_requests), SUM(stopped), SUM(failed), SUM(interrupted), SUM(failovers), SUM(ttft_00), SUM(ttft_01), SUM(ttft_02), SUM(ttft_03), SUM(ttft_04), SUM(ttft_05), SUM(ttft_06), SUM(ttft_07), SUM(ttft_08), SUM(ttft_09), SUM(ttft_10), SUM(ttft_11), SUM(ttft_12), SUM(ttft_13), SUM(ttft_14), SUM(ttft_15), SUM(ttft_16), SUM(ttft_17), SUM(ttft_18), SUM(ttft_19)
FROM usage_daily GROUP BY usage_day, username;
