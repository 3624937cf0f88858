-- Notifications for any record (issue 7 §6): keyed by (entity, entity_id)
-- instead of order_id, so meetings, lessons, dues and assessments notify
-- through the same inbox and outbox. The console link of an entity comes
-- from the module that owns it (module.h, entity_link).

ALTER TABLE notifications ADD COLUMN entity TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN entity_id BIGINT;
UPDATE notifications SET entity = 'order', entity_id = order_id WHERE order_id IS NOT NULL;
ALTER TABLE notifications DROP COLUMN order_id;
CREATE INDEX notifications_entity ON notifications(entity, entity_id);
