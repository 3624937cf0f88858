-- Role-model selection (issue 15, SPEC M7): campaigns, nominations that become
-- candidates, joint review scores, consultation of departments with a one-vote
-- veto, public notice with objections, certificates, care records, lecture tours.

CREATE TABLE exemplar_campaigns (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES orgs(id),      -- the committee that leads it (组织部门牵头抓总)
  title TEXT NOT NULL,
  category TEXT NOT NULL,                          -- youxiu_dangyuan youxiu_dangwu xianjin_zuzhi haoren zhiyuanzhe jiating shuji
  subject TEXT NOT NULL DEFAULT 'person',          -- person | org: who the candidates are
  year BIGINT NOT NULL,
  quota BIGINT NOT NULL,
  stage TEXT NOT NULL,                             -- nomination review consultation notice closed
  nominate_until TEXT NOT NULL,                    -- YYYY-MM-DD: the stages' dates
  review_until TEXT NOT NULL,
  consult_until TEXT NOT NULL,
  notice_days BIGINT NOT NULL DEFAULT 5,
  notice_start BIGINT,                             -- when the notice went up
  closed_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX exemplar_campaigns_org ON exemplar_campaigns(org_id);

-- the criteria reviewers score on (政治素质 30, 工作实绩 40, 群众公认 30 by default), summing to 100
CREATE TABLE exemplar_criteria (
  campaign_id BIGINT NOT NULL REFERENCES exemplar_campaigns(id),
  pos BIGINT NOT NULL,
  name TEXT NOT NULL,
  max_points BIGINT NOT NULL,
  PRIMARY KEY (campaign_id, pos)
);

-- the departments a campaign consults (纪委、政法、信访、公安…: orgs of type dept)
CREATE TABLE exemplar_campaign_depts (
  campaign_id BIGINT NOT NULL REFERENCES exemplar_campaigns(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  PRIMARY KEY (campaign_id, org_id)
);

-- One row per nomination; accepted ones are candidates, a duplicate is merged
-- into the candidate it repeats (merged_into) and keeps its own deeds.
CREATE TABLE exemplar_candidates (
  id @ID@,
  campaign_id BIGINT NOT NULL REFERENCES exemplar_campaigns(id),
  name TEXT NOT NULL,                              -- the person or the organisation
  unit TEXT NOT NULL DEFAULT '',                   -- where the person works or lives (所在单位)
  deeds TEXT NOT NULL,                             -- 事迹
  source TEXT NOT NULL,                            -- branch member public: who nominated
  nominator_name TEXT NOT NULL DEFAULT '',
  nominator_phone TEXT NOT NULL DEFAULT '',
  nominator_user_id BIGINT REFERENCES users(id),
  state TEXT NOT NULL,
  merged_into BIGINT REFERENCES exemplar_candidates(id),
  veto_reason TEXT NOT NULL DEFAULT '',            -- the committee alone reads it
  cert_no TEXT UNIQUE,                             -- 荣誉证书编号: random, unguessable
  awarded_at BIGINT,
  revoked_at BIGINT,
  revoke_reason TEXT NOT NULL DEFAULT '',
  idempotency_key TEXT UNIQUE,
  ip TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX exemplar_candidates_campaign ON exemplar_candidates(campaign_id, state);

-- a photo with the nomination (optional; JPEG or PNG up to 2 MiB, kept as base64 text in both engines)
CREATE TABLE exemplar_photos (
  candidate_id BIGINT PRIMARY KEY REFERENCES exemplar_candidates(id),
  mime TEXT NOT NULL,
  data TEXT NOT NULL,
  bytes BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);

-- 联合评审: one score per reviewer and candidate (the sum of its points per criterion)
CREATE TABLE exemplar_scores (
  candidate_id BIGINT NOT NULL REFERENCES exemplar_candidates(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  score BIGINT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  at BIGINT NOT NULL,
  PRIMARY KEY (candidate_id, user_id)
);

-- the points of a score, per criterion
CREATE TABLE exemplar_score_items (
  candidate_id BIGINT NOT NULL REFERENCES exemplar_candidates(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  pos BIGINT NOT NULL,
  points BIGINT NOT NULL,
  PRIMARY KEY (candidate_id, user_id, pos)
);

-- 征询意见: one task per shortlisted candidate and department
CREATE TABLE exemplar_consults (
  id @ID@,
  candidate_id BIGINT NOT NULL REFERENCES exemplar_candidates(id),
  dept_org_id BIGINT NOT NULL REFERENCES orgs(id),
  answer TEXT,                                     -- agree | disagree; NULL: not yet
  note TEXT NOT NULL DEFAULT '',
  answered_by BIGINT REFERENCES users(id),
  answered_at BIGINT,
  due_at BIGINT NOT NULL,
  reminded_at BIGINT,
  UNIQUE (candidate_id, dept_org_id)
);
CREATE INDEX exemplar_consults_dept ON exemplar_consults(dept_org_id, answer);

-- 异议 filed during the public notice; each answered upheld or dismissed
CREATE TABLE exemplar_objections (
  id @ID@,
  candidate_id BIGINT NOT NULL REFERENCES exemplar_candidates(id),
  name TEXT NOT NULL,
  phone TEXT NOT NULL,
  content TEXT NOT NULL,
  evidence TEXT NOT NULL DEFAULT '',
  ip TEXT NOT NULL DEFAULT '',
  filed_at BIGINT NOT NULL,
  answer TEXT,                                     -- upheld | dismissed; NULL: open
  reason TEXT NOT NULL DEFAULT '',
  answered_by BIGINT REFERENCES users(id),
  answered_at BIGINT
);
CREATE INDEX exemplar_objections_candidate ON exemplar_objections(candidate_id);

-- 关爱礼遇: visits, benefits and honours given to an awarded role model
CREATE TABLE exemplar_care (
  id @ID@,
  candidate_id BIGINT NOT NULL REFERENCES exemplar_candidates(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  kind TEXT NOT NULL,                              -- visit benefit honour
  day TEXT NOT NULL,
  note TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX exemplar_care_candidate ON exemplar_care(candidate_id);

-- 榜样事迹宣讲团: a tour, its speakers, its sessions (进企业、进农村、进社区、进学校、进家庭)
CREATE TABLE exemplar_tours (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  title TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE exemplar_tour_speakers (
  tour_id BIGINT NOT NULL REFERENCES exemplar_tours(id),
  candidate_id BIGINT NOT NULL REFERENCES exemplar_candidates(id),
  PRIMARY KEY (tour_id, candidate_id)
);
CREATE TABLE exemplar_tour_sessions (
  id @ID@,
  tour_id BIGINT NOT NULL REFERENCES exemplar_tours(id),
  place_kind TEXT NOT NULL,                        -- enterprise village community school family
  place TEXT NOT NULL,
  day TEXT NOT NULL,
  audience BIGINT NOT NULL DEFAULT 0,              -- 受众人次, reported after the session
  held BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX exemplar_tour_sessions_tour ON exemplar_tour_sessions(tour_id);

-- the public nomination and objection forms' per-address limit
CREATE TABLE exemplar_rate (
  key TEXT PRIMARY KEY,
  count BIGINT NOT NULL,
  window_start BIGINT NOT NULL
);
