-- A model filter over whole months read every model's monthly rows (the primary key starts with the month): ~40 % less
-- time for a year of one model with this index, the twin of ix_usage_daily_model_day. Rows are added to it only
-- when a month gains a new (user, model) pair; updating the sums leaves it alone.
CREATE INDEX ix_usage_monthly_model_month ON usage_monthly (model, usage_month);
