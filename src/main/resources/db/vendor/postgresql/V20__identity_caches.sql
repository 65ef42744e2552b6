-- Nothing on PostgreSQL: its identity caches are per connection, so a larger one would hand out ids out of the order
-- rows are inserted in (messages are ordered by id), and a sequence's state costs no extra commit there.
SELECT 1;
