-- The figures of /stats/orders from a maintained summary (issue 9 §2): one row
-- per org, day and kind of the orders PLACED that day (Asia/Shanghai) that the
-- org holds now, with what became of them. order_create adds an order's
-- contribution; order_transition subtracts the old state's contribution and
-- adds the new one (moving it when a dispatch changes the org) in the same
-- transaction, so a dashboard reads O(days × orgs) rows instead of scanning
-- the orders. `dangjian check` recounts it from the orders.
CREATE TABLE order_summary (
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  day BIGINT NOT NULL,                           -- Unix time of the day's start (UTC+8)
  kind TEXT NOT NULL,
  collected BIGINT NOT NULL DEFAULT 0,           -- placed
  accepted BIGINT NOT NULL DEFAULT 0,            -- ever accepted or claimed
  rejected BIGINT NOT NULL DEFAULT 0,
  escalated BIGINT NOT NULL DEFAULT 0,           -- ever escalated (向上反馈)
  dispatched BIGINT NOT NULL DEFAULT 0,          -- ever dispatched
  resolved_by_branch BIGINT NOT NULL DEFAULT 0,
  resolved_by_committee BIGINT NOT NULL DEFAULT 0,
  withdrawn BIGINT NOT NULL DEFAULT 0,
  open_orders BIGINT NOT NULL DEFAULT 0,         -- not closed, rejected or withdrawn
  closed BIGINT NOT NULL DEFAULT 0,
  reason_resolved BIGINT NOT NULL DEFAULT 0,
  reason_unresolvable BIGINT NOT NULL DEFAULT 0,
  reason_not_ours BIGINT NOT NULL DEFAULT 0,
  reason_duplicate BIGINT NOT NULL DEFAULT 0,
  rated BIGINT NOT NULL DEFAULT 0,
  rating_sum BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, day, kind)
);

-- The orders as they are today, counted once (the same expressions as
-- src/order_summary.c; a database made before this migration starts right).
INSERT INTO order_summary (org_id, day, kind, collected, accepted, rejected, escalated, dispatched, resolved_by_branch,
                           resolved_by_committee, withdrawn, open_orders, closed, reason_resolved, reason_unresolvable,
                           reason_not_ours, reason_duplicate, rated, rating_sum)
SELECT o.org_id, o.created_at - (o.created_at + 28800) % 86400, o.kind, COUNT(*),
  SUM(CASE WHEN EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.action IN ('accept', 'claim')) THEN 1 ELSE 0 END),
  SUM(CASE WHEN o.state = 'rejected' THEN 1 ELSE 0 END),
  SUM(CASE WHEN o.escalated = 1 THEN 1 ELSE 0 END),
  SUM(CASE WHEN EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.action = 'dispatch') THEN 1 ELSE 0 END),
  SUM(CASE WHEN o.state = 'closed' AND o.close_reason = 'resolved' AND o.escalated = 0 THEN 1 ELSE 0 END),
  SUM(CASE WHEN o.state = 'closed' AND o.close_reason = 'resolved' AND o.escalated = 1 THEN 1 ELSE 0 END),
  SUM(CASE WHEN o.state = 'withdrawn' THEN 1 ELSE 0 END),
  SUM(CASE WHEN o.state NOT IN ('closed', 'rejected', 'withdrawn') THEN 1 ELSE 0 END),
  SUM(CASE WHEN o.state = 'closed' THEN 1 ELSE 0 END),
  SUM(CASE WHEN o.state = 'closed' AND o.close_reason = 'resolved' THEN 1 ELSE 0 END),
  SUM(CASE WHEN o.state = 'closed' AND o.close_reason = 'unresolvable' THEN 1 ELSE 0 END),
  SUM(CASE WHEN o.state = 'closed' AND o.close_reason = 'not_ours' THEN 1 ELSE 0 END),
  SUM(CASE WHEN o.state = 'closed' AND o.close_reason = 'duplicate' THEN 1 ELSE 0 END),
  SUM(CASE WHEN o.rating IS NOT NULL THEN 1 ELSE 0 END),
  COALESCE(SUM(o.rating), 0)
FROM orders o
GROUP BY o.org_id, o.created_at - (o.created_at + 28800) % 86400, o.kind;

-- Open orders by deadline: the overdue gauge of /metrics and the minute's
-- overdue notices read a range of this, not every order.
CREATE INDEX orders_open_due ON orders(state, due_at, overdue_notified);
-- An org's orders by state and placing time, covering the time to close and
-- the deadline: the median and the overdue figure of the statistics.
CREATE INDEX orders_org_state ON orders(org_id, state, created_at, closed_at, due_at);
