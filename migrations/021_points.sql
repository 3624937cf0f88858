-- Party-member points (issue 11, SPEC M6): versioned rules, an append-only
-- ledger fed by the events themselves, manual adjustments with a second
-- person's approval, and per-member totals kept beside the ledger.

-- One row per version of a rule: a change made by the committee is a new row
-- from its date on; the rows of past versions are never changed, so an entry
-- keeps pointing at the version that priced it.
CREATE TABLE points_rules (
  id @ID@,
  code TEXT NOT NULL,                  -- the rule, and the event kind that triggers it: order_delivered …
  name TEXT NOT NULL,                  -- 描述
  points BIGINT NOT NULL,              -- per unit (an hour, a meeting); may be negative
  cap_day BIGINT NOT NULL DEFAULT 0,   -- most points a member earns by it in a day; 0: no cap
  cap_year BIGINT NOT NULL DEFAULT 0,  -- the same in a calendar year
  valid_from TEXT NOT NULL,            -- YYYY-MM-DD, from which day this version applies
  from_at BIGINT NOT NULL,             -- that day's start in Asia/Shanghai
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  note TEXT NOT NULL DEFAULT ''        -- why it was changed
);
CREATE UNIQUE INDEX points_rules_version ON points_rules(code, from_at);

-- The ledger (积分明细): append-only. An award, a correction (a new entry
-- that references the entry it corrects) or an approved adjustment.
CREATE TABLE points_ledger (
  id @ID@,
  member_id BIGINT NOT NULL REFERENCES members(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),       -- the member's org when it was written
  kind TEXT NOT NULL,                               -- award | correction | adjustment
  code TEXT NOT NULL,                               -- the rule's code, or 'adjustment'
  rule_id BIGINT REFERENCES points_rules(id),       -- the version that priced it
  qty BIGINT NOT NULL DEFAULT 1,                    -- hours, meetings: the rule's points times this
  points BIGINT NOT NULL,                           -- what it adds to the total (0 when capped)
  reason TEXT NOT NULL DEFAULT '',                  -- why capped; a correction's or adjustment's reason
  source_kind TEXT NOT NULL DEFAULT '',             -- the record that earned it: order, adjustment, …
  source_id BIGINT NOT NULL DEFAULT 0,
  corrects_id BIGINT REFERENCES points_ledger(id),  -- a correction: the entry it corrects
  at BIGINT NOT NULL,                               -- when the event happened
  year BIGINT NOT NULL,                             -- of at, in Asia/Shanghai
  month BIGINT NOT NULL,
  day BIGINT NOT NULL,                              -- start of at's day (Unix time), for the daily cap
  actor_user_id BIGINT REFERENCES users(id),
  actor TEXT NOT NULL,                              -- who or what caused it: 陈集村党支部 张建国, 系统
  created_at BIGINT NOT NULL
);
-- the same source never pays twice (an order reopened and delivered again)
CREATE UNIQUE INDEX points_ledger_once ON points_ledger(member_id, code, source_kind, source_id) WHERE corrects_id IS NULL;
-- an entry is corrected once (a second correction corrects the correction)
CREATE UNIQUE INDEX points_ledger_corrects ON points_ledger(corrects_id);
CREATE INDEX points_ledger_member ON points_ledger(member_id, year, at);
CREATE INDEX points_ledger_cap ON points_ledger(member_id, code, day);
CREATE INDEX points_ledger_source ON points_ledger(source_kind, source_id);

-- Totals per member, year and month (month 0: the whole year), written in
-- the same transaction as each ledger entry: the rankings read these.
-- `dangjian check` and the tests recount them from the ledger.
CREATE TABLE points_totals (
  member_id BIGINT NOT NULL REFERENCES members(id),
  year BIGINT NOT NULL,
  month BIGINT NOT NULL,
  points BIGINT NOT NULL DEFAULT 0,
  entries BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (member_id, year, month)
);
CREATE INDEX points_totals_rank ON points_totals(year, month, points);

-- Manual adjustments: proposed with a reason by a branch secretary, approved
-- or rejected by someone else; an approved one writes one ledger entry.
CREATE TABLE points_adjustments (
  id @ID@,
  member_id BIGINT NOT NULL REFERENCES members(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  points BIGINT NOT NULL,
  reason TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',            -- pending | approved | rejected
  proposed_by BIGINT REFERENCES users(id),
  proposer TEXT NOT NULL,
  proposed_at BIGINT NOT NULL,
  decided_by BIGINT REFERENCES users(id),
  decider TEXT NOT NULL DEFAULT '',
  decided_at BIGINT,
  decision_note TEXT NOT NULL DEFAULT '',
  ledger_id BIGINT REFERENCES points_ledger(id)
);
CREATE INDEX points_adjustments_state ON points_adjustments(state, org_id);
CREATE INDEX points_adjustments_member ON points_adjustments(member_id);

-- The defaults of SPEC M6, in force from 2020-01-01 (Asia/Shanghai).
INSERT INTO points_rules (code, name, points, cap_day, cap_year, valid_from, from_at, created_at) VALUES
  ('order_delivered', '办结群众点单（送单）', 3, 9, 0, '2020-01-01', 1577808000, 1577808000),
  ('wish_fulfilled', '认领并完成微心愿', 2, 6, 0, '2020-01-01', 1577808000, 1577808000),
  ('meeting_attended', '参加组织生活（三会一课）', 2, 4, 0, '2020-01-01', 1577808000, 1577808000),
  ('meeting_absent', '无故缺席组织生活', -2, 0, 0, '2020-01-01', 1577808000, 1577808000),
  ('lesson_given', '讲授微党课', 5, 5, 60, '2020-01-01', 1577808000, 1577808000),
  ('volunteer_hour', '志愿服务（每小时）', 1, 8, 200, '2020-01-01', 1577808000, 1577808000),
  ('reflection', '提交学习心得', 1, 1, 0, '2020-01-01', 1577808000, 1577808000);

-- Nothing updates or deletes a ledger row: the domain never does, and the
-- database refuses it.
-- @postgresql
CREATE FUNCTION points_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'points_ledger is append-only: % refused', TG_OP;
END
$$;
CREATE TRIGGER points_ledger_no_change BEFORE UPDATE OR DELETE ON points_ledger
  FOR EACH ROW EXECUTE FUNCTION points_ledger_append_only();
CREATE TRIGGER points_ledger_no_truncate BEFORE TRUNCATE ON points_ledger
  FOR EACH STATEMENT EXECUTE FUNCTION points_ledger_append_only();
-- @sqlite
CREATE TRIGGER points_ledger_no_update BEFORE UPDATE ON points_ledger
BEGIN
  SELECT RAISE(ABORT, 'points_ledger is append-only: UPDATE refused');
END;
CREATE TRIGGER points_ledger_no_delete BEFORE DELETE ON points_ledger
BEGIN
  SELECT RAISE(ABORT, 'points_ledger is append-only: DELETE refused');
END;
-- @both
