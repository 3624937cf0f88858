-- The foundation (issue 2): organisations, users, sessions, login throttling,
-- the audit log and settings. Times are Unix seconds (UTC).

CREATE TABLE orgs (
  id @ID@,
  parent_id BIGINT REFERENCES orgs(id),
  code TEXT NOT NULL UNIQUE,          -- stable, shown and used by the API
  name TEXT NOT NULL,
  type TEXT NOT NULL,                 -- county 县委 | committee 镇党委 | general 党总支 | branch 党支部 | group 党小组 | dept 部门
  kind TEXT NOT NULL DEFAULT '',      -- 农村 社区 机关 企业 学校 社会组织
  path TEXT NOT NULL,                 -- '/1/4/9/': ids from the root, for subtree queries
  sort BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  dissolved_at BIGINT
);
CREATE INDEX orgs_parent ON orgs(parent_id);
CREATE INDEX orgs_path ON orgs(path);

CREATE TABLE users (
  id @ID@,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL,                 -- admin committee branch member grid reviewer
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  active BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX users_org ON users(org_id);

-- Web sessions and API tokens alike; only a hash of the secret is stored.
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,                -- hex BLAKE2b of the token
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,                 -- web | api
  csrf TEXT NOT NULL,
  ip TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed logins counted per account ('u:NAME') and per address ('ip:ADDR'),
-- in the database so that every node behind nginx sees the same counts.
CREATE TABLE login_throttle (
  key TEXT PRIMARY KEY,
  failures BIGINT NOT NULL,
  window_start BIGINT NOT NULL,
  locked_until BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE audit (
  id @ID@,
  at BIGINT NOT NULL,
  user_id BIGINT,
  username TEXT NOT NULL DEFAULT '',
  ip TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,               -- e.g. user.create, login.fail
  entity TEXT NOT NULL DEFAULT '',
  entity_id BIGINT,
  org_id BIGINT,
  summary TEXT NOT NULL DEFAULT ''    -- short before → after
);
CREATE INDEX audit_at ON audit(at);
CREATE INDEX audit_org ON audit(org_id);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
