-- Where a usage row's request came from ('ui', 'api' for POST /api/chat, 'v1' for the OpenAI-compatible API; NULL
-- for rows written before this migration), and the upstream's own request id (its x-request-id header), so a
-- request can be found in the provider's logs. Plain ADD COLUMN, one per statement: the same on H2 and PostgreSQL.
ALTER TABLE usage_records ADD COLUMN source VARCHAR(16);
ALTER TABLE usage_records ADD COLUMN upstream_request_id VARCHAR(128);
