-- Volunteer service (issue 12, SPEC M3): activities with a state, sign-ups
-- with a waiting list, attendance (check-in, check-out, minutes served, how
-- each was recorded), teams (服务队) and the yearly minimum per member. Every
-- figure of the reports (人次, 时长, 服务队, 注册) is counted from these rows.
CREATE TABLE volunteer_teams (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  leader_member_id BIGINT REFERENCES members(id),
  created_at BIGINT NOT NULL,
  UNIQUE (org_id, name)
);
CREATE TABLE volunteer_team_members (
  team_id BIGINT NOT NULL REFERENCES volunteer_teams(id) ON DELETE CASCADE,
  member_id BIGINT NOT NULL REFERENCES members(id),
  joined_at BIGINT NOT NULL,
  PRIMARY KEY (team_id, member_id)
);
CREATE INDEX volunteer_team_members_member ON volunteer_team_members(member_id);

CREATE TABLE volunteer_activities (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES orgs(id),     -- the organising org
  team_id BIGINT REFERENCES volunteer_teams(id),  -- the 服务队 that runs it
  title TEXT NOT NULL,
  kind TEXT NOT NULL,                             -- policy cleanup clinic care civility flood other
  place TEXT NOT NULL,
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  capacity BIGINT NOT NULL,
  open_registered BIGINT NOT NULL DEFAULT 0,      -- 双报到: in-service members registered with the org may sign up
  state TEXT NOT NULL,                            -- draft published in_progress finished cancelled
  cancel_reason TEXT NOT NULL DEFAULT '',
  public_count BIGINT NOT NULL DEFAULT 0,         -- 群众 who took part, by number
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX volunteer_activities_org ON volunteer_activities(org_id, starts_at);
CREATE INDEX volunteer_activities_state ON volunteer_activities(state, ends_at);

-- One row per member and activity: the sign-up (or a walk-in at the first
-- scan) and what the member did there.
CREATE TABLE volunteer_signups (
  id @ID@,
  activity_id BIGINT NOT NULL REFERENCES volunteer_activities(id),
  member_id BIGINT NOT NULL REFERENCES members(id),
  state TEXT NOT NULL,                            -- signed waiting cancelled
  signed_at BIGINT NOT NULL,                      -- the waiting list's order
  signed_by BIGINT REFERENCES users(id),
  checkin_at BIGINT,
  checkin_how TEXT NOT NULL DEFAULT '',           -- scan | manual
  checkin_by BIGINT REFERENCES users(id),
  checkout_at BIGINT,
  checkout_how TEXT NOT NULL DEFAULT '',          -- scan | manual | auto (closed at the end)
  checkout_by BIGINT REFERENCES users(id),
  minutes BIGINT NOT NULL DEFAULT 0,              -- time served, capped by the activity
  minutes_manual BIGINT NOT NULL DEFAULT 0,       -- 1: set by hand with a reason
  minutes_reason TEXT NOT NULL DEFAULT '',
  minutes_by BIGINT REFERENCES users(id),
  UNIQUE (activity_id, member_id)
);
CREATE INDEX volunteer_signups_member ON volunteer_signups(member_id);

-- A year's minimum of activities per member for an org's subtree (seed 001:
-- 每名党员参加志愿服务活动不少于2次).
CREATE TABLE volunteer_minimums (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  year BIGINT NOT NULL,
  required BIGINT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  set_by BIGINT REFERENCES users(id),
  set_at BIGINT NOT NULL,
  UNIQUE (org_id, year)
);
