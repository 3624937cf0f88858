-- Branch assessment (issue 16, SPEC M8, seed 004): 月检查、月通报、季考核、评星定级.
-- The monthly check itself is never stored: it is computed from the records of
-- the other mechanisms each time. What is stored is the committee's
-- configuration (in versions), its evaluation items, and what it publishes
-- (bulletins and star ratings, frozen with their figures).

-- A version of the rules, in force from its month (YYYY-MM) until the next
-- version's month: the items' weights and rules (assess_items), the weights
-- of a quarter's three months, and the star rating's formula, cut-offs and
-- five-star quota. Versions are never changed: a change is a new row.
CREATE TABLE assess_versions (
  id @ID@,
  valid_from TEXT NOT NULL UNIQUE,         -- YYYY-MM
  note TEXT NOT NULL DEFAULT '',
  q_w1 BIGINT NOT NULL,                    -- a quarter's months: relative weights
  q_w2 BIGINT NOT NULL,
  q_w3 BIGINT NOT NULL,
  basic_pct BIGINT NOT NULL,               -- yearly: (basic − deductions) × basic_pct% + evaluation × eval_pct%
  eval_pct BIGINT NOT NULL,
  cut5 BIGINT NOT NULL,                    -- cut-offs for 5/4/3/2 stars (below cut2: one star)
  cut4 BIGINT NOT NULL,
  cut3 BIGINT NOT NULL,
  cut2 BIGINT NOT NULL,
  quota5 BIGINT NOT NULL,                  -- at most this % of the branches get five stars
  created_by BIGINT REFERENCES users(id),
  creator TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);

-- The check items of a version: weight (percent, the items of a version sum
-- to 100), the rule (linear: weight × min(1, measure / full); threshold:
-- the whole weight when measure ≥ full, else 0) and full.
CREATE TABLE assess_items (
  version_id BIGINT NOT NULL REFERENCES assess_versions(id),
  item TEXT NOT NULL,                      -- the source key (assess.c's item table)
  weight BIGINT NOT NULL,
  rule TEXT NOT NULL,
  full_mark BIGINT NOT NULL,
  PRIMARY KEY (version_id, item)
);

-- The committee's evaluation items of a quarter (YYYY-Qn) or a year (YYYY):
-- bonus and deduction points, and the yearly evaluation score (0–100).
CREATE TABLE assess_evaluations (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  period TEXT NOT NULL,
  kind TEXT NOT NULL,                      -- bonus | deduction | evaluation
  points BIGINT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_by BIGINT REFERENCES users(id),
  creator TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX assess_evaluations_period ON assess_evaluations(period, org_id);

-- A published monthly bulletin (月通报) of a committee: frozen, with its
-- figures; republishing the month writes the next version.
CREATE TABLE assess_bulletins (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  month TEXT NOT NULL,
  version BIGINT NOT NULL,
  rules_version_id BIGINT NOT NULL REFERENCES assess_versions(id),
  summary TEXT NOT NULL,
  remarks TEXT NOT NULL DEFAULT '',
  published_by BIGINT REFERENCES users(id),
  publisher TEXT NOT NULL,
  published_at BIGINT NOT NULL,
  UNIQUE (org_id, month, version)
);
-- its figures: the counts the sentences carry (key, value)
CREATE TABLE assess_bulletin_figures (
  bulletin_id BIGINT NOT NULL REFERENCES assess_bulletins(id),
  fkey TEXT NOT NULL,
  value BIGINT NOT NULL,
  PRIMARY KEY (bulletin_id, fkey)
);
-- its ranked table: a branch's total and item scores in hundredths
CREATE TABLE assess_bulletin_rows (
  bulletin_id BIGINT NOT NULL REFERENCES assess_bulletins(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  org_name TEXT NOT NULL,
  rank BIGINT NOT NULL,
  score BIGINT,                            -- NULL: no item had data
  items TEXT NOT NULL,                     -- item=score;… (score '-' for 暂无数据)
  PRIMARY KEY (bulletin_id, org_id)
);

-- A published yearly star rating (评星定级); republishing the year writes the
-- next version, the latest is in force.
CREATE TABLE assess_stars (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  year BIGINT NOT NULL,
  version BIGINT NOT NULL,
  rules_version_id BIGINT NOT NULL REFERENCES assess_versions(id),
  basic BIGINT NOT NULL,                   -- hundredths
  deductions BIGINT NOT NULL,
  evaluation BIGINT NOT NULL,
  total BIGINT NOT NULL,
  rank BIGINT NOT NULL,
  stars BIGINT NOT NULL,
  capped BIGINT NOT NULL DEFAULT 0,        -- above cut5 but past the five-star quota
  published_by BIGINT REFERENCES users(id),
  publisher TEXT NOT NULL,
  published_at BIGINT NOT NULL,
  UNIQUE (org_id, year, version)
);

-- 优秀党支部, designated by the committee from a ranking.
CREATE TABLE assess_excellent (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  period TEXT NOT NULL,                    -- YYYY, YYYY-Qn or YYYY-MM
  note TEXT NOT NULL DEFAULT '',
  designated_by BIGINT REFERENCES users(id),
  designator TEXT NOT NULL,
  designated_at BIGINT NOT NULL,
  UNIQUE (org_id, period)
);

-- The defaults (SPEC M8), in force from the beginning.
INSERT INTO assess_versions (valid_from, note, q_w1, q_w2, q_w3, basic_pct, eval_pct, cut5, cut4, cut3, cut2, quota5, created_at)
  VALUES ('2020-01', '默认考核细则', 1, 1, 1, 70, 30, 90, 80, 70, 60, 30, 1577808000);
INSERT INTO assess_items (version_id, item, weight, rule, full_mark) VALUES
  (1, 'meetings', 15, 'linear', 100),
  (1, 'qidianban', 15, 'linear', 100),
  (1, 'themeday', 15, 'linear', 100),
  (1, 'order_accept', 10, 'linear', 100),
  (1, 'order_deliver', 10, 'linear', 100),
  (1, 'satisfaction', 10, 'linear', 100),
  (1, 'volunteer', 10, 'linear', 100),
  (1, 'decisions', 5, 'linear', 100),
  (1, 'points', 10, 'linear', 10);

-- The satisfaction item and the bulletin count the ratings of the orders
-- CLOSED in a month, per branch: without this index each branch's month read
-- every order the branch ever had (50 ms a branch on a county's orders).
CREATE INDEX orders_org_closed ON orders(org_id, closed_at);
