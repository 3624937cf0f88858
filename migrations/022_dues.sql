-- Dues and transfers (issue 18, SPEC M12). Money in fen (integers), months
-- as 'YYYY-MM', dates as 'YYYY-MM-DD', times as Unix seconds. A member's
-- dues go with the roster record (ON DELETE CASCADE, as member_history does).

-- The standard rates, versioned by the first day they apply (the committee
-- adds a version; a month is charged by the version in force on its first
-- day). Rates in basis points (1/10000): 0.5% = 50. Bands are inclusive at
-- their top: a base of exactly s1_upto pays s1_bp.
CREATE TABLE dues_rates (
  id @ID@,
  since TEXT NOT NULL UNIQUE,        -- YYYY-MM-DD
  s1_upto BIGINT NOT NULL, s1_bp BIGINT NOT NULL,   -- 在职 ≤3000 → 0.5%
  s2_upto BIGINT NOT NULL, s2_bp BIGINT NOT NULL,   -- ≤5000 → 1%
  s3_upto BIGINT NOT NULL, s3_bp BIGINT NOT NULL,   -- ≤10000 → 1.5%
  s4_bp BIGINT NOT NULL,                            -- above → 2%
  r1_upto BIGINT NOT NULL, r1_bp BIGINT NOT NULL,   -- 离退休 ≤5000 → 0.5%
  r2_bp BIGINT NOT NULL,                            -- above → 1%
  flat_min BIGINT NOT NULL, flat_max BIGINT NOT NULL, -- 农民、学生、下岗失业: ¥0.2–1 a month
  note TEXT NOT NULL DEFAULT '',
  user_id BIGINT,
  created_at BIGINT NOT NULL
);
INSERT INTO dues_rates (since, s1_upto, s1_bp, s2_upto, s2_bp, s3_upto, s3_bp, s4_bp, r1_upto, r1_bp, r2_bp, flat_min, flat_max, note, created_at)
VALUES ('2008-04-01', 300000, 50, 500000, 100, 1000000, 150, 200, 500000, 50, 100, 20, 100, '中组部《关于中国共产党党费收缴、使用和管理的规定》', 0);

-- A member's monthly base (after-tax pay) or category, from a date on.
CREATE TABLE dues_bases (
  id @ID@,
  member_id BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  since TEXT NOT NULL,               -- YYYY-MM: the first month it applies to
  category TEXT NOT NULL,            -- in_service retired farmer student unemployed other
  base_fen BIGINT NOT NULL DEFAULT 0,
  flat_fen BIGINT NOT NULL DEFAULT 0, -- the monthly amount of the flat categories
  user_id BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (member_id, since)
);

CREATE TABLE dues_payments (
  id @ID@,
  receipt_no TEXT NOT NULL UNIQUE,   -- DF2026000012
  year BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  member_id BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  org_id BIGINT NOT NULL REFERENCES orgs(id), -- the branch that collected it
  method TEXT NOT NULL,              -- cash | transfer | proxy (代缴)
  payer_member_id BIGINT REFERENCES members(id) ON DELETE SET NULL,
  payer_name TEXT NOT NULL DEFAULT '',
  amount_fen BIGINT NOT NULL,
  months TEXT NOT NULL,              -- 2026-01、2026-02
  paid_on TEXT NOT NULL,
  remit_id BIGINT,                   -- the 上缴 it went up with
  user_id BIGINT,
  at BIGINT NOT NULL,
  UNIQUE (year, seq)
);
CREATE INDEX dues_payments_member ON dues_payments(member_id);
CREATE INDEX dues_payments_org ON dues_payments(org_id);

-- One row per member and month: what was due, reduced, paid.
CREATE TABLE dues_months (
  id @ID@,
  member_id BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  org_id BIGINT NOT NULL REFERENCES orgs(id), -- the member's org when due (follows a transfer)
  month TEXT NOT NULL,
  category TEXT NOT NULL,
  base_fen BIGINT NOT NULL,
  rate_id BIGINT NOT NULL REFERENCES dues_rates(id),
  due_fen BIGINT NOT NULL,
  reduced_fen BIGINT NOT NULL DEFAULT 0,
  paid_fen BIGINT NOT NULL DEFAULT 0,
  status TEXT NOT NULL,              -- owing | paid | waived
  payment_id BIGINT REFERENCES dues_payments(id) ON DELETE SET NULL,
  reduction_id BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (member_id, month)
);
CREATE INDEX dues_months_org ON dues_months(org_id, month);

-- 减免: requested with a reason by the branch, decided by the committee.
CREATE TABLE dues_reductions (
  id @ID@,
  member_id BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  from_month TEXT NOT NULL,
  to_month TEXT NOT NULL,
  kind TEXT NOT NULL,                -- reduce | waive
  amount_fen BIGINT NOT NULL DEFAULT 0, -- reduce: what is due a month instead
  reason TEXT NOT NULL,
  state TEXT NOT NULL,               -- requested | approved | rejected
  requested_by BIGINT,
  requested_at BIGINT NOT NULL,
  decided_by BIGINT,
  decided_at BIGINT,
  decision_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dues_reductions_member ON dues_reductions(member_id);

-- 上缴: a branch's collection sent up to the committee.
CREATE TABLE dues_remits (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  amount_fen BIGINT NOT NULL,
  payments BIGINT NOT NULL,
  remitted_on TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  user_id BIGINT,
  at BIGINT NOT NULL
);
CREATE INDEX dues_remits_org ON dues_remits(org_id);

-- Members flagged for six months in arrears without reason (notified once per spell).
CREATE TABLE dues_flags (
  member_id BIGINT PRIMARY KEY REFERENCES members(id) ON DELETE CASCADE,
  months BIGINT NOT NULL,
  flagged_at BIGINT NOT NULL
);

-- 组织关系转接: inside the committee (the receiving branch confirms), out to
-- an outside org with a letter (介绍信) that lapses, or in from outside.
CREATE TABLE transfers (
  id @ID@,
  letter_no TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,                -- internal | outside | incoming
  member_id BIGINT REFERENCES members(id) ON DELETE SET NULL,
  person_name TEXT NOT NULL,
  from_org_id BIGINT REFERENCES orgs(id),
  from_org_name TEXT NOT NULL DEFAULT '',
  to_org_id BIGINT REFERENCES orgs(id),
  to_org_name TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,               -- issued | received | returned | lapsed
  issued_on TEXT NOT NULL,
  valid_until TEXT NOT NULL,
  dues_paid_to TEXT NOT NULL DEFAULT '', -- 党费交至 YYYY-MM
  reason TEXT NOT NULL DEFAULT '',
  issued_by BIGINT,
  issued_at BIGINT NOT NULL,
  decided_by BIGINT,
  decided_at BIGINT,
  decided_on TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX transfers_member ON transfers(member_id);
CREATE INDEX transfers_state ON transfers(state);
