-- Per-user display preferences. color_scheme: NULL follows the device (prefers-color-scheme), else the user's
-- choice from the user menu. Plain SQL, the same on H2 and PostgreSQL.
ALTER TABLE users ADD COLUMN color_scheme VARCHAR(8);
ALTER TABLE users ADD CONSTRAINT ck_users_color_scheme CHECK (color_scheme IN ('LIGHT', 'DARK'));
