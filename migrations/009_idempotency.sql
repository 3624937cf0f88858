-- An Idempotency-Key is bound to the request it came with (issue 8 §4, the
-- IETF idempotency-key draft): a hash of the normalised order (kind, urgency,
-- content, org, grid, contact) is kept with the key, so a retry with the same
-- key and the same order answers the first order's code, and the same key
-- with another order is refused (422) instead of answering another resident's
-- tracking code. Orders placed before this have no hash: a repeat of their
-- key is refused as well (fail closed).

ALTER TABLE orders ADD COLUMN idempotency_hash TEXT;
