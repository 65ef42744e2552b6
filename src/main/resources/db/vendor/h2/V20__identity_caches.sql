-- An identity hands out ids from a cache and, when the cache runs out, writes its state in a commit of its own: with
-- WRITE_DELAY=0 a store of the database file. At a few hundred usage rows a second the default cache of 32 ran out
-- several times a second. The cache is one per database on H2, so ids still grow in the order rows are inserted.
ALTER TABLE usage_records ALTER COLUMN id SET CACHE 1000;
ALTER TABLE upstream_attempts ALTER COLUMN id SET CACHE 1000;
ALTER TABLE messages ALTER COLUMN id SET CACHE 1000;
