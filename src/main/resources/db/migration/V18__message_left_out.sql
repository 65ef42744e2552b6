-- How many of the conversation's oldest messages a reply was asked without (its model's context window), so the
-- note "n earlier messages were left out" shows after a reload too. Plain SQL, the same on H2 and PostgreSQL.
ALTER TABLE messages ADD COLUMN left_out INTEGER DEFAULT 0 NOT NULL;
