-- Every index is one more B-tree that each usage row is written into, on the usage writer's thread.

-- ix_usage_started_ttft (started_at, ttft_ms) answers every query ix_usage_started did.
DROP INDEX ix_usage_started;

-- The app reads upstream attempts newest first only (the admin's upstream view, UpstreamAttempts); nothing looks them
-- up by generation or by upstream, and neither index served that order.
DROP INDEX ix_attempts_generation;
DROP INDEX ix_attempts_upstream_at;
CREATE INDEX ix_attempts_at ON upstream_attempts (at);
