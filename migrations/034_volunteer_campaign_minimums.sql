-- A campaign's volunteer minimum (issue 12, Deliver 7; seed 001: 每名党员参加
-- 志愿服务活动不少于2次): N activities per member within the campaign's period,
-- counted over every activity of the period or only those linked to the
-- campaign's tasks (campaign_links, kind 'volunteer'). Kept by the volunteer
-- module beside its yearly minimums; the campaign itself is unchanged.
CREATE TABLE volunteer_campaign_minimums (
  campaign_id BIGINT PRIMARY KEY REFERENCES campaigns(id),
  required BIGINT NOT NULL,
  linked_only BIGINT NOT NULL DEFAULT 0,          -- 1: only activities linked to the campaign count
  set_by BIGINT REFERENCES users(id),
  set_at BIGINT NOT NULL
);
