-- Lists that scale (issue 9 §2, issue 10 §3): an index for each filter and
-- order of the order list, so a page reads what it shows and not the table.
-- The org subtree is a range on orgs.path (orgs_path), then orders by org.

-- a town's or a branch's orders, newest first; the date range within them
CREATE INDEX orders_org_created ON orders(org_id, created_at);
-- overdue: the running states whose time limit has passed
CREATE INDEX orders_state_due ON orders(state, due_at);
-- a grid's orders (the grid filter, a grid worker's list)
CREATE INDEX orders_grid ON orders(grid_id);
-- a kind, an urgency, the escalated ones: newest first straight from the index
CREATE INDEX orders_kind ON orders(kind, id);
CREATE INDEX orders_urgency ON orders(urgency, id);
CREATE INDEX orders_escalated ON orders(escalated, id);
-- the earliest time limit first (sort=due)
CREATE INDEX orders_due ON orders(due_at);
-- search by the last 4 digits of the resident's phone: the very expression
-- order_list compares (the same in both engines), never LIKE '%…'
CREATE INDEX orders_phone_tail ON orders((substr(contact_phone, length(contact_phone) - 3)));
-- the whole phone number: orders_phone, made by 020_order_contact.sql
-- the inbox, newest first, one user's
CREATE INDEX notifications_user_id ON notifications(user_id, id);
-- the audit log of a subtree, newest first
CREATE INDEX audit_org_id ON audit(org_id, id);
