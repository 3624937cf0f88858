-- Organisations and members (issue 3, SPEC M1): org details and history, the
-- member roster (花名册) with duties, status history and 双报到.

ALTER TABLE orgs ADD COLUMN secretary TEXT NOT NULL DEFAULT '';   -- 书记 (name as displayed)
ALTER TABLE orgs ADD COLUMN serves TEXT NOT NULL DEFAULT '';      -- villages/communities served, 、-separated
ALTER TABLE orgs ADD COLUMN phone TEXT NOT NULL DEFAULT '';

-- Renames, moves and dissolutions, so "which branch was this in March" has an answer.
CREATE TABLE org_history (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  at BIGINT NOT NULL,
  kind TEXT NOT NULL,                 -- create | rename | move | dissolve | edit
  from_value TEXT NOT NULL DEFAULT '',
  to_value TEXT NOT NULL DEFAULT '',
  user_id BIGINT,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX org_history_org ON org_history(org_id);

CREATE TABLE members (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES orgs(id),     -- 党支部 or 党小组
  name TEXT NOT NULL,
  gender TEXT NOT NULL,                           -- 男 | 女 (checked against the ID number)
  ethnicity TEXT NOT NULL DEFAULT '汉族',
  birth_date TEXT NOT NULL,                       -- YYYY-MM-DD (checked against the ID number)
  education TEXT NOT NULL DEFAULT '',
  id_number TEXT NOT NULL UNIQUE,                 -- 18 characters, GB 11643 check digit
  id_tail TEXT NOT NULL,                          -- last 4, for search without reading the full number
  phone TEXT NOT NULL DEFAULT '',
  phone_tail TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  join_date TEXT NOT NULL,                        -- 入党 (admitted as probationary)
  full_date TEXT,                                 -- 转正; NULL while 预备
  category TEXT NOT NULL,                         -- full 正式 | probationary 预备
  status TEXT NOT NULL,                           -- active 正常 | retired 离退休 | mobile 流动 | stopped 停止党籍
  in_service BIGINT NOT NULL DEFAULT 0,           -- 在职党员
  service_org_id BIGINT REFERENCES orgs(id),      -- 双报到: the community where they serve
  user_id BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX members_org ON members(org_id);
CREATE INDEX members_name ON members(name);
CREATE INDEX members_id_tail ON members(id_tail);
CREATE INDEX members_phone_tail ON members(phone_tail);
CREATE INDEX members_service ON members(service_org_id);

CREATE TABLE member_duties (
  member_id BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  duty TEXT NOT NULL,                             -- 书记 委员 网格员 党员中心户 讲师 …
  since TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (member_id, duty)
);
CREATE INDEX member_duties_duty ON member_duties(duty);

-- Every change of category, status, org or duties, dated.
CREATE TABLE member_history (
  id @ID@,
  member_id BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  date TEXT NOT NULL,                             -- the day it took effect
  at BIGINT NOT NULL,                             -- when it was recorded
  kind TEXT NOT NULL,                             -- create | full | status | org | duty | edit | import
  from_value TEXT NOT NULL DEFAULT '',
  to_value TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  user_id BIGINT
);
CREATE INDEX member_history_member ON member_history(member_id);

-- Uploaded rosters waiting for confirmation (the preview step of an import).
CREATE TABLE import_batches (
  id @ID@,
  token TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  filename TEXT NOT NULL,
  content TEXT NOT NULL,                          -- the rows, normalised to UTF-8 TSV
  rows BIGINT NOT NULL,
  bad_rows BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  done_at BIGINT
);
