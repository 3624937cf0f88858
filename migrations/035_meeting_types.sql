-- Meeting types kept by the committee (issue 13 §1 "and others configurable"):
-- the six of 三会一课 and 红色七点半 plus 其他会议 seeded with the keys the
-- code has always used (the required frequencies and the compliance table
-- keep working off the key); new types get a key of our own making (t + pos).
-- invite: who is invited when a meeting is planned — the branch's members,
-- the 党小组's (the meeting is held by a 党小组), or the 支委 (书记/委员).
-- sanhui: counts toward 三会一课 (may carry a required frequency and shows in
-- the compliance table); minutes: a held meeting needs its 会议记录.
-- A type in use is retired (active 0: hidden from new meetings and plans,
-- kept in lists, filters and reports), never deleted.
CREATE TABLE meeting_types (
  key TEXT PRIMARY KEY,
  label TEXT NOT NULL UNIQUE,
  invite TEXT NOT NULL DEFAULT 'branch',          -- branch | group | committee
  sanhui BIGINT NOT NULL DEFAULT 0,
  minutes BIGINT NOT NULL DEFAULT 1,
  pos BIGINT NOT NULL,
  active BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL
);
INSERT INTO meeting_types (key, label, invite, sanhui, minutes, pos, created_at) VALUES
  ('assembly', '支部党员大会', 'branch', 1, 1, 1, 0),
  ('committee', '支委会', 'committee', 1, 1, 2, 0),
  ('group', '党小组会', 'group', 1, 1, 3, 0),
  ('lesson', '党课', 'branch', 1, 1, 4, 0),
  ('theme_day', '主题党日', 'branch', 0, 1, 5, 0),
  ('red730', '红色七点半', 'branch', 0, 1, 6, 0),
  ('other', '其他会议', 'branch', 0, 1, 7, 0);

-- 决议公开 and 实施结果公开 of a decision (issue 13 §4): published by the
-- secretary, each dated, with the wording the public reads (no personal
-- data); the public village page shows only published decisions and only
-- what was published.
ALTER TABLE decisions ADD COLUMN pub_date TEXT;                -- 决议公开 date, YYYY-MM-DD
ALTER TABLE decisions ADD COLUMN pub_text TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN pub_at BIGINT;
ALTER TABLE decisions ADD COLUMN result_pub_date TEXT;         -- 实施结果公开 date
ALTER TABLE decisions ADD COLUMN result_pub_text TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN result_pub_at BIGINT;

-- A 四议两公开 step 决议公开 / 实施结果公开 may be the publication of a decision.
ALTER TABLE matter_steps ADD COLUMN decision_id BIGINT REFERENCES decisions(id);
