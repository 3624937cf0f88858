-- The statistics' median remembered between requests (issue 9 §2): the
-- median time to close of a subtree and period depends only on the set of
-- closed orders placed in it in that period. Closed is final, so that set
-- grows with every close — which the period's `closed` figure of
-- order_rollup counts, read by every statistics request anyway — and changes
-- otherwise only when an org moves to another parent (order_rollup_move) or
-- the summaries are rebuilt. `moves` counts those two in the same transaction,
-- so a node's remembered median is used only while the period's closed count
-- and this number are what they were when it was computed, on every node.
-- `instance` tells databases apart (a process that opens several, as the
-- unit tests do, never takes one database's median for another's).
CREATE TABLE summary_generation (
  id BIGINT PRIMARY KEY,
  moves BIGINT NOT NULL DEFAULT 0,
  instance BIGINT NOT NULL
);
-- @sqlite
INSERT INTO summary_generation (id, moves, instance) VALUES (1, 0, abs(random() % 4503599627370496));
-- @postgresql
INSERT INTO summary_generation (id, moves, instance) VALUES (1, 0, CAST(floor(random() * 4503599627370496) AS BIGINT));
-- @both
