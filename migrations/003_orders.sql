-- Resident orders, the closed loop (issue 4, SPEC M2), with grids and households (SPEC M9).

CREATE TABLE grids (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES orgs(id),      -- the village or community branch it lies in
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  worker_user_id BIGINT REFERENCES users(id),      -- its grid worker (网格员)
  created_at BIGINT NOT NULL
);
CREATE INDEX grids_org ON grids(org_id);

CREATE TABLE households (
  id @ID@,
  grid_id BIGINT NOT NULL REFERENCES grids(id),
  address TEXT NOT NULL,
  head_name TEXT NOT NULL DEFAULT '',
  size BIGINT NOT NULL DEFAULT 1,
  central_member_id BIGINT REFERENCES members(id), -- the 党员中心户 that looks after it
  created_at BIGINT NOT NULL
);
CREATE INDEX households_grid ON households(grid_id);
CREATE INDEX households_central ON households(central_member_id);

CREATE TABLE orders (
  id @ID@,
  code TEXT NOT NULL UNIQUE,                       -- the resident's tracking code: random, unguessable
  kind TEXT NOT NULL,                              -- need wish proxy_medical proxy_power proxy_goods opinion
  urgency TEXT NOT NULL DEFAULT 'normal',          -- urgent normal complex
  content TEXT NOT NULL,
  org_id BIGINT NOT NULL REFERENCES orgs(id),      -- the branch that holds it now
  grid_id BIGINT REFERENCES grids(id),
  contact_name TEXT NOT NULL,
  contact_phone TEXT NOT NULL,
  state TEXT NOT NULL,
  level TEXT NOT NULL DEFAULT 'branch',            -- branch | committee: who dispatched it (支部解决 / 向上反馈)
  escalated BIGINT NOT NULL DEFAULT 0,             -- was ever escalated (向上反馈)
  assignee_user_id BIGINT REFERENCES users(id),
  result TEXT NOT NULL DEFAULT '',
  close_reason TEXT,                               -- resolved unresolvable not_ours duplicate
  close_note TEXT NOT NULL DEFAULT '',
  duplicate_of BIGINT REFERENCES orders(id),
  rating BIGINT,
  comment TEXT NOT NULL DEFAULT '',
  idempotency_key TEXT UNIQUE,
  ip TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,                          -- the time limit of the current step
  delivered_at BIGINT,
  closed_at BIGINT,
  reminded_at BIGINT                               -- last 催办
);
CREATE INDEX orders_org ON orders(org_id);
CREATE INDEX orders_state ON orders(state);
CREATE INDEX orders_assignee ON orders(assignee_user_id);
CREATE INDEX orders_created ON orders(created_at);

-- Every transition, one row: who, when, what, a note; public rows show on the tracking page.
CREATE TABLE order_events (
  id @ID@,
  order_id BIGINT NOT NULL REFERENCES orders(id),
  at BIGINT NOT NULL,
  action TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  actor_user_id BIGINT REFERENCES users(id),
  actor TEXT NOT NULL,                             -- shown: 群众, 陈集村党支部 张建国, 系统
  note TEXT NOT NULL DEFAULT '',
  public BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX order_events_order ON order_events(order_id);

-- Places per address and hour, for the public form's rate limit (in the database: several nodes).
CREATE TABLE order_rate (
  key TEXT PRIMARY KEY,
  count BIGINT NOT NULL,
  window_start BIGINT NOT NULL
);
