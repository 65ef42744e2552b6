-- A generation's usage row is written when it starts (status 'running'), saved again as tokens arrive and completed
-- at its end, so a crash loses no row: rows left 'running' with no recent save become 'interrupted'. For a running
-- row, ended_at is the time of its last save. reserved_tokens is what a running generation holds of its user's
-- daily quota (prompt plus its completion limit) until it ends. Plain SQL, the same on H2 and PostgreSQL.
ALTER TABLE usage_records ADD COLUMN reserved_tokens BIGINT DEFAULT 0 NOT NULL;
CREATE INDEX ix_usage_status_ended ON usage_records (status, ended_at);
