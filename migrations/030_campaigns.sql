-- Campaigns with task lists (SPEC M10) and the big screen's display tokens
-- (SPEC M11), issue 17.

-- A campaign (主题活动): its org (the subtree its activities and linked
-- records lie in), its period and the implementing plan (实施方案) as text.
CREATE TABLE campaigns (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  title TEXT NOT NULL,
  starts TEXT NOT NULL,                 -- YYYY-MM-DD
  ends TEXT NOT NULL,                   -- YYYY-MM-DD, included
  plan TEXT NOT NULL DEFAULT '',        -- 实施方案
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX campaigns_org ON campaigns(org_id, starts);

-- An activity of a campaign, with its responsible org or department (负责部门).
CREATE TABLE campaign_activities (
  id @ID@,
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
  seq BIGINT NOT NULL,
  title TEXT NOT NULL,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX campaign_activities_campaign ON campaign_activities(campaign_id, seq);

-- A task of an activity (任务清单): owner, deadline, target and state
-- (todo → doing → done, src/campaigns.c's table). Progress counts itself
-- from a registered figure (figure_key, over the activity's org subtree and
-- the campaign's period) or from the records linked to it.
CREATE TABLE campaign_tasks (
  id @ID@,
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
  activity_id BIGINT NOT NULL REFERENCES campaign_activities(id),
  title TEXT NOT NULL,
  owner TEXT NOT NULL,                  -- 责任人
  deadline TEXT NOT NULL,               -- YYYY-MM-DD
  target BIGINT,                        -- NULL: no number to reach
  figure_key TEXT,                      -- figures.h key, or NULL
  state TEXT NOT NULL DEFAULT 'todo',
  done_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX campaign_tasks_activity ON campaign_tasks(activity_id);
CREATE INDEX campaign_tasks_campaign ON campaign_tasks(campaign_id, state, deadline);

-- Records that fulfil a task (kind + id: an order today; meetings, volunteer
-- activities and lessons as their mechanisms land).
CREATE TABLE campaign_links (
  task_id BIGINT NOT NULL REFERENCES campaign_tasks(id),
  kind TEXT NOT NULL,
  record_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (task_id, kind, record_id)
);
CREATE INDEX campaign_links_record ON campaign_links(kind, record_id);

-- Per-org targets of a campaign (机关、企业、社会组织 may get different ones):
-- a registered figure over the org's subtree and the campaign's period.
CREATE TABLE campaign_targets (
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  figure_key TEXT NOT NULL,
  target BIGINT NOT NULL,
  PRIMARY KEY (campaign_id, org_id, figure_key)
);

-- Read-only display tokens of the big screen (数据大屏): stored as a hash,
-- shown once; a revoked token answers a page that says so, never data.
CREATE TABLE display_tokens (
  id @ID@,
  token_hash TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
