-- Meetings and decisions (issue 13, SPEC M5): 三会一课 and 红色七点半 planned
-- with the 四定, attendance and leave, guests at the evening meeting, minutes;
-- decisions with an owner, a deadline, a supervision group and progress;
-- 四议两公开 matters step by step; the required frequencies of 三会一课.

-- A month's plan published by the town committee: every village's
-- 红色七点半 of that month may inherit its theme and content and adapt them.
CREATE TABLE meeting_plans (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES orgs(id),     -- the committee that published it
  month TEXT NOT NULL,                            -- YYYY-MM
  type TEXT NOT NULL,                             -- a meeting type (red730 for 红色七点半)
  theme TEXT NOT NULL,
  content TEXT NOT NULL,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX meeting_plans_month ON meeting_plans(month);

CREATE TABLE meetings (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES orgs(id),     -- 党支部, or 党小组 for 党小组会
  type TEXT NOT NULL,                             -- assembly committee group lesson theme_day red730 other
  plan_id BIGINT REFERENCES meeting_plans(id),
  theme TEXT NOT NULL,                            -- 定主题
  starts_at BIGINT NOT NULL,                      -- 定时间
  ends_at BIGINT NOT NULL,
  place TEXT NOT NULL,                            -- 定地点
  content TEXT NOT NULL,                          -- 定内容
  host_member_id BIGINT REFERENCES members(id),   -- 主持人
  recorder_member_id BIGINT REFERENCES members(id), -- 记录人
  state TEXT NOT NULL,                            -- planned | held | cancelled
  minutes TEXT NOT NULL DEFAULT '',               -- 会议记录
  topics TEXT NOT NULL DEFAULT '',                -- 议题
  cancel_reason TEXT NOT NULL DEFAULT '',
  youth BIGINT NOT NULL DEFAULT 0,                -- 进步青年, counted
  masses BIGINT NOT NULL DEFAULT 0,               -- 群众代表 and other residents, counted (named ones in meeting_guests too)
  held_at BIGINT,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX meetings_org_start ON meetings(org_id, starts_at);
CREATE INDEX meetings_start ON meetings(starts_at);

-- One row per invitee: the branch's (or the group's) members when planned.
CREATE TABLE meeting_attendance (
  meeting_id BIGINT NOT NULL REFERENCES meetings(id),
  member_id BIGINT NOT NULL REFERENCES members(id),
  status TEXT NOT NULL,                           -- invited present leave_requested leave absent
  how TEXT NOT NULL DEFAULT '',                   -- qr | hand
  leave_reason TEXT NOT NULL DEFAULT '',
  signed_at BIGINT,
  decided_by BIGINT REFERENCES users(id),         -- who approved the leave or marked by hand
  PRIMARY KEY (meeting_id, member_id)
);
CREATE INDEX meeting_attendance_member ON meeting_attendance(member_id);

-- Residents' representatives named at a 红色七点半 (the counts are on the meeting).
CREATE TABLE meeting_guests (
  id @ID@,
  meeting_id BIGINT NOT NULL REFERENCES meetings(id),
  name TEXT NOT NULL
);
CREATE INDEX meeting_guests_meeting ON meeting_guests(meeting_id);

-- 议事决策: a matter decided at a meeting, its owner and deadline set on the spot.
CREATE TABLE decisions (
  id @ID@,
  meeting_id BIGINT NOT NULL REFERENCES meetings(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),     -- the meeting's branch
  matter TEXT NOT NULL,
  owner_member_id BIGINT NOT NULL REFERENCES members(id), -- 负责人
  deadline TEXT NOT NULL,                         -- 完成时限, YYYY-MM-DD (Beijing); overdue from the day after
  state TEXT NOT NULL,                            -- open | done
  result TEXT NOT NULL DEFAULT '',
  done_at BIGINT,
  done_date TEXT,                                 -- YYYY-MM-DD: done on time when <= deadline
  overdue_notified_at BIGINT,
  order_id BIGINT REFERENCES orders(id),          -- a resident's order that became this decision: delivered when it is done
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX decisions_org ON decisions(org_id, state);
CREATE INDEX decisions_meeting ON decisions(meeting_id);
CREATE INDEX decisions_owner ON decisions(owner_member_id);

-- 督导小组: members (by roster id) and residents' representatives (by name).
CREATE TABLE decision_supervisors (
  id @ID@,
  decision_id BIGINT NOT NULL REFERENCES decisions(id),
  kind TEXT NOT NULL,                             -- member | rep
  member_id BIGINT REFERENCES members(id),
  name TEXT NOT NULL
);
CREATE INDEX decision_supervisors_decision ON decision_supervisors(decision_id);

CREATE TABLE decision_progress (
  id @ID@,
  decision_id BIGINT NOT NULL REFERENCES decisions(id),
  date TEXT NOT NULL,                             -- YYYY-MM-DD
  note TEXT NOT NULL,
  user_id BIGINT REFERENCES users(id),
  at BIGINT NOT NULL
);
CREATE INDEX decision_progress_decision ON decision_progress(decision_id);

-- 四议两公开: a major village matter and its steps (the order is a table in meetings.c).
CREATE TABLE matters (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES orgs(id),     -- the village's 党支部
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,                            -- open | stopped | done
  round BIGINT NOT NULL DEFAULT 1,                -- proposed again after a failed quorum: the next round
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX matters_org ON matters(org_id);

CREATE TABLE matter_steps (
  id @ID@,
  matter_id BIGINT NOT NULL REFERENCES matters(id),
  round BIGINT NOT NULL,
  seq BIGINT NOT NULL,                            -- 0 … 5, the place in the table
  step TEXT NOT NULL,
  date TEXT NOT NULL,
  record TEXT NOT NULL,
  total BIGINT NOT NULL DEFAULT 0,                -- members (党员大会) or representatives (村民代表会议)
  present BIGINT NOT NULL DEFAULT 0,
  favour BIGINT NOT NULL DEFAULT 0,
  passed BIGINT NOT NULL DEFAULT 1,
  user_id BIGINT REFERENCES users(id),
  at BIGINT NOT NULL,
  UNIQUE (matter_id, round, seq)
);

-- 三会一课: how often each type must be held (months), configurable.
CREATE TABLE meeting_requirements (
  type TEXT PRIMARY KEY,
  months BIGINT NOT NULL                          -- 1 monthly, 3 quarterly
);
INSERT INTO meeting_requirements (type, months) VALUES ('committee', 1), ('group', 1), ('assembly', 3), ('lesson', 3);

-- Photos of a meeting (会议照片), kept with its minutes: JPEG or PNG, at most
-- 2 MiB each and 9 a meeting, stored base64 (text on both engines).
CREATE TABLE meeting_photos (
  id @ID@,
  meeting_id BIGINT NOT NULL REFERENCES meetings(id),
  content_type TEXT NOT NULL,                     -- image/jpeg | image/png, from the file's first bytes
  size BIGINT NOT NULL,
  data TEXT NOT NULL,                             -- base64
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX meeting_photos_meeting ON meeting_photos(meeting_id);
