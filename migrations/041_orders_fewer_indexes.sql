-- Placing orders (issue 9 §3): every order placed writes one entry into each
-- index of `orders` (20 before this), and on SQLite one writer thread places
-- them all. Three indexes are the first columns of others and serve no
-- statement those do not: their searches and counts use the longer index's
-- prefix, in both engines (tests/unit/test_list_plans.c checks the lists'
-- plans, docs/performance.md "Placing orders, fourth session").
-- orders(org_id): orders_org_created (org_id, created_at), orders_org_state
-- and orders_org_closed begin with it.
DROP INDEX IF EXISTS orders_org;
-- orders(state): orders_open_due (state, due_at, overdue_notified),
-- orders_late and orders_close_hours begin with it.
DROP INDEX IF EXISTS orders_state;
-- orders(state, due_at): orders_open_due (state, due_at, overdue_notified)
-- begins with it.
DROP INDEX IF EXISTS orders_state_due;
