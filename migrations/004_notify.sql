-- Notifications (issue 4 §8): an inbox for staff, and an outbox that an
-- adapter (SMS, WeChat; by default the log) sends from the background task.

CREATE TABLE notifications (
  id @ID@,
  user_id BIGINT NOT NULL REFERENCES users(id),
  at BIGINT NOT NULL,
  kind TEXT NOT NULL,                 -- new_order escalated assigned reopened overdue
  order_id BIGINT REFERENCES orders(id),
  text TEXT NOT NULL,
  read_at BIGINT
);
CREATE INDEX notifications_user ON notifications(user_id, read_at);

CREATE TABLE outbox (
  id @ID@,
  at BIGINT NOT NULL,
  channel TEXT NOT NULL,              -- the adapter's name
  recipient TEXT NOT NULL,
  text TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending', -- pending sent failed
  attempts BIGINT NOT NULL DEFAULT 0,
  sent_at BIGINT
);
CREATE INDEX outbox_status ON outbox(status);

ALTER TABLE orders ADD COLUMN overdue_notified BIGINT NOT NULL DEFAULT 0;
