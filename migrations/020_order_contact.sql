-- Reaching the resident and correct records (issue 10 §4, §6).
-- address: optional, where the resident lives or the matter is (shown to those
-- who may reveal the phone). decided_by / refer_to: for 不予受理 and
-- 不属于本级职责, who decided and where the resident should turn instead, as
-- fields of their own rather than words inside the note.
ALTER TABLE orders ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN decided_by TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN refer_to TEXT NOT NULL DEFAULT '';
-- a resident lists their orders by phone number (the /track lookup)
CREATE INDEX orders_phone ON orders(contact_phone);
