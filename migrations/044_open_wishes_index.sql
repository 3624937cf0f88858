-- The wish wall (微心愿墙, /wishes and /api/v1/public/wishes; issue 9): the
-- open wishes, newest first, at most 100. Without an index of its own it read
-- every open order of the county by state (orders_open_due: ~324 on the
-- 20-town county) to keep its ~63 wishes. A partial index holds only the open
-- wishes, in the wall's order: the wall walks it newest first and stops at
-- its limit, and placing any other order writes nothing into it (migration
-- 041 took indexes off orders for the writer's sake; an index on
-- (kind, state, created_at) would take an entry from every order). No other
-- index begins with these columns or holds these rows.
-- tests/unit/test_list_plans.c checks that the wall's statement uses it.
CREATE INDEX orders_open_wishes ON orders(created_at) WHERE kind = 'wish' AND state IN ('submitted', 'accepted');
-- @sqlite
-- A county analysed before this index (its generator ends with ANALYZE) has
-- statistics for every other index of orders and none for this one: SQLite
-- then prices it at its default (a large share of the table) against
-- orders_open_due's "111,112 orders a state" and reads the open orders by
-- state again. Its own statistics (a few dozen rows) are read in
-- microseconds; PostgreSQL estimates a partial index from its predicate.
ANALYZE orders_open_wishes;
-- @both
