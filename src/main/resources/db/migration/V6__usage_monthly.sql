-- Monthly twins of the daily rollups of V4, same sums and TTFT histogram, kept by the usage writer in the same
-- transaction (UsageRollup). A year of usage_daily is ~330,000 rows and of usage_daily_user ~70,000 (they grow with
-- the number of users), too many to sum in 100 ms; their months are ~15,000 and ~2,400. Queries answer the whole
-- months of a range from here and the days before and after them from the daily rollups. usage_month is the first
-- day of the UTC month of usage_day.

-- usage_daily without the upstream (that would make ~40,000 rows a year): by user with a model filter, by model with
-- a user filter, totals of a user and a model. By upstream with a user filter reads usage_daily.
CREATE TABLE usage_monthly (
    usage_month        DATE           NOT NULL,
    username           VARCHAR(64)    NOT NULL,
    model              VARCHAR(128)   NOT NULL,
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
    CONSTRAINT pk_usage_monthly PRIMARY KEY (usage_month, username, model)
);
CREATE INDEX ix_usage_monthly_user_month ON usage_monthly (username, usage_month);

-- usage_daily_model (about 25 rows a month): totals, by model and by upstream without a user filter.
CREATE TABLE usage_monthly_model (
    usage_month        DATE           NOT NULL,
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
    CONSTRAINT pk_usage_monthly_model PRIMARY KEY (usage_month, model, upstream)
);

-- usage_daily_user: the by-user grid without a model filter, the user list, totals of a user.
CREATE TABLE usage_monthly_user (
    usage_month        DATE           NOT NULL,
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
    CONSTRAINT pk_usage_monthly_user PRIMARY KEY (usage_month, username)
);

-- Usage written before this migration.
INSERT INTO usage_monthly (usage_month, username, model, requests, prompt_tokens, completion_tokens, estimated_requests, cost_usd, unpriced_requests, stopped, failed, interrupted, failovers, ttft_00, ttft_01, ttft_02, ttft_03, ttft_04, ttft_05, ttft_06, ttft_07, ttft_08, ttft_09, ttft_10, ttft_11, ttft_12, ttft_13, ttft_14, ttft_15, ttft_16, ttft_17, ttft_18, ttft_19)
SELECT CAST(DATE_TRUNC('MONTH', usage_day) AS DATE), username, model, SUM(requests), SUM(prompt_tokens), SUM(completion_tokens), SUM(estimated_requests), SUM(cost_usd), SUM(unpriced_requests), SUM(stopped), SUM(failed), SUM(interrupted), SUM(failovers), SUM(ttft_00), SUM(ttft_01), SUM(ttft_02), SUM(ttft_03), SUM(ttft_04), SUM(ttft_05), SUM(ttft_06), SUM(ttft_07), SUM(ttft_08), SUM(ttft_09), SUM(ttft_10), SUM(ttft_11), SUM(ttft_12), SUM(ttft_13), SUM(ttft_14), SUM(ttft_15), SUM(ttft_16), SUM(ttft_17), SUM(ttft_18), SUM(ttft_19)
FROM usage_daily GROUP BY CAST(DATE_TRUNC('MONTH', usage_day) AS DATE), username, model;

INSERT INTO usage_monthly_model (usage_month, model, upstream, requests, prompt_tokens, completion_tokens, estimated_requests, cost_usd, unpriced_requests, stopped, failed, interrupted, failovers, ttft_00, ttft_01, ttft_02, ttft_03, ttft_04, ttft_05, ttft_06, ttft_07, ttft_08, ttft_09, ttft_10, ttft_11, ttft_12, ttft_13, ttft_14, ttft_15, ttft_16, ttft_17, ttft_18, ttft_19)
SELECT CAST(DATE_TRUNC('MONTH', usage_day) AS DATE), model, upstream, SUM(requests), SUM(prompt_tokens), SUM(completion_tokens), SUM(estimated_requests), SUM(cost_usd), SUM(unpriced_requests), SUM(stopped), SUM(failed), SUM(interrupted), SUM(failovers), SUM(ttft_00), SUM(ttft_01), SUM(ttft_02), SUM(ttft_03), SUM(ttft_04), SUM(ttft_05), SUM(ttft_06), SUM(ttft_07), SUM(ttft_08), SUM(ttft_09), SUM(ttft_10), SUM(ttft_11), SUM(ttft_12), SUM(ttft_13), SUM(ttft_14), SUM(ttft_15), SUM(ttft_16), SUM(ttft_17), SUM(ttft_18), SUM(ttft_19)
FROM usage_daily_model GROUP BY CAST(DATE_TRUNC('MONTH', usage_day) AS DATE), model, upstream;

INSERT INTO usage_monthly_user (usage_month, username, requests, prompt_tokens, completion_tokens, estimated_requests, cost_usd, unpriced_requests, stopped, failed, interrupted, failovers, ttft_00, ttft_01, ttft_02, ttft_03, ttft_04, ttft_05, ttft_06, ttft_07, ttft_08, ttft_09, ttft_10, ttft_11, ttft_12, ttft_13, ttft_14, ttft_15, ttft_16, ttft_17, ttft_18, ttft_19)
SELECT CAST(DATE_TRUNC('MONTH', usage_day) AS DATE), username, SUM(requests), SUM(prompt_tokens), SUM(completion_tokens), SUM(estimated_requests), SUM(cost_usd), SUM(unpriced_requests), SUM(stopped), SUM(failed), SUM(interrupted), SUM(failovers), SUM(ttft_00), SUM(ttft_01), SUM(ttft_02), SUM(ttft_03), SUM(ttft_04), SUM(ttft_05), SUM(ttft_06), SUM(ttft_07), SUM(ttft_08), SUM(ttft_09), SUM(ttft_10), SUM(ttft_11), SUM(ttft_12), SUM(ttft_13), SUM(ttft_14), SUM(ttft_15), SUM(ttft_16), SUM(ttft_17), SUM(ttft_18), SUM(ttft_19)
FROM usage_daily_user GROUP BY CAST(DATE_TRUNC('MONTH', usage_day) AS DATE), username;
