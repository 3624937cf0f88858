-- Theme party day 一月一课一片一实践 (issue 14, SPEC M4, seed 003): the
-- micro-lesson catalogue and its orders (点单), the monthly film lists with
-- screenings and reflections, free practice records, and one plan per branch
-- per month. Times are Unix seconds (UTC), dates 'YYYY-MM-DD', months 'YYYY-MM'.

-- Topics are rows, so the committee can add one without a release.
CREATE TABLE lesson_topics (
  key TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  sort BIGINT NOT NULL DEFAULT 0
);
INSERT INTO lesson_topics (key, label, sort) VALUES ('rural', '乡村振兴', 1);
INSERT INTO lesson_topics (key, label, sort) VALUES ('tourism', '文旅融合', 2);
INSERT INTO lesson_topics (key, label, sort) VALUES ('red', '红色教育', 3);
INSERT INTO lesson_topics (key, label, sort) VALUES ('governance', '基层治理', 4);
INSERT INTO lesson_topics (key, label, sort) VALUES ('policy', '政策理论', 5);
INSERT INTO lesson_topics (key, label, sort) VALUES ('integrity', '廉洁教育', 6);

-- A micro-lesson (微党课) developed by members of an org (本土讲师).
CREATE TABLE lessons (
  id @ID@,
  title TEXT NOT NULL,
  topic TEXT NOT NULL REFERENCES lesson_topics(key),
  minutes BIGINT NOT NULL,
  outline TEXT NOT NULL DEFAULT '',
  media_url TEXT NOT NULL DEFAULT '',
  org_id BIGINT NOT NULL REFERENCES orgs(id),     -- the org that developed it
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX lessons_org ON lessons(org_id);

CREATE TABLE lesson_lecturers (
  lesson_id BIGINT NOT NULL REFERENCES lessons(id),
  member_id BIGINT NOT NULL REFERENCES members(id),
  PRIMARY KEY (lesson_id, member_id)
);
CREATE INDEX lesson_lecturers_member ON lesson_lecturers(member_id);

-- An order (点单) of a lesson by a branch; state: requested scheduled
-- delivered rated declined cancelled (lessons.c's table).
CREATE TABLE lesson_orders (
  id @ID@,
  lesson_id BIGINT NOT NULL REFERENCES lessons(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),     -- the ordering branch
  state TEXT NOT NULL,
  want_from TEXT NOT NULL,                        -- the dates the branch would like
  want_to TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  lecturer_id BIGINT REFERENCES members(id),      -- who confirmed or declined
  lesson_date TEXT,                               -- confirmed date and place
  place TEXT NOT NULL DEFAULT '',
  others BIGINT NOT NULL DEFAULT 0,               -- attendance beyond the listed members
  rating BIGINT,
  comment TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',                -- declined or cancelled: why
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  delivered_at BIGINT
);
CREATE INDEX lesson_orders_org ON lesson_orders(org_id);
CREATE INDEX lesson_orders_lesson ON lesson_orders(lesson_id);
CREATE INDEX lesson_orders_state ON lesson_orders(state);

CREATE TABLE lesson_order_events (
  id @ID@,
  order_id BIGINT NOT NULL REFERENCES lesson_orders(id),
  at BIGINT NOT NULL,
  action TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  actor TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX lesson_order_events_order ON lesson_order_events(order_id);

-- Members of the receiving branch present at a delivery; spoke: went up and
-- spoke (上台讲微党课), counted in person-times.
CREATE TABLE lesson_attendance (
  order_id BIGINT NOT NULL REFERENCES lesson_orders(id),
  member_id BIGINT NOT NULL REFERENCES members(id),
  spoke BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (order_id, member_id)
);

-- The committee's monthly film list (清单) with its notice (预告).
CREATE TABLE film_lists (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  month TEXT NOT NULL,
  notice TEXT NOT NULL DEFAULT '',
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  UNIQUE (org_id, month)
);

CREATE TABLE films (
  id @ID@,
  list_id BIGINT NOT NULL REFERENCES film_lists(id),
  title TEXT NOT NULL,
  kind TEXT NOT NULL,                             -- red policy warning local
  url TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX films_list ON films(list_id);

-- A screening (场次) by a branch.
CREATE TABLE film_screenings (
  id @ID@,
  film_id BIGINT NOT NULL REFERENCES films(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  screen_date TEXT NOT NULL,
  place TEXT NOT NULL,
  attendees BIGINT NOT NULL,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX film_screenings_org ON film_screenings(org_id);
CREATE INDEX film_screenings_film ON film_screenings(film_id);

-- A member's reflection (观后感): one per member and film.
CREATE TABLE film_reflections (
  id @ID@,
  film_id BIGINT NOT NULL REFERENCES films(id),
  member_id BIGINT NOT NULL REFERENCES members(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  body TEXT NOT NULL,
  shared BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  UNIQUE (film_id, member_id)
);
CREATE INDEX film_reflections_org ON film_reflections(org_id);

-- A practice (实践) recorded freely by a branch (a volunteer activity is a
-- record of its own mechanism, referred to by a plan).
CREATE TABLE practices (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  title TEXT NOT NULL,
  practice_date TEXT NOT NULL,
  participants BIGINT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX practices_org ON practices(org_id);

-- One plan per branch and month; a part (lesson film practice) is planned
-- with a title and done when it refers to a record: (done_kind, done_id).
CREATE TABLE theme_plans (
  id @ID@,
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  month TEXT NOT NULL,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  UNIQUE (org_id, month)
);

CREATE TABLE theme_plan_parts (
  plan_id BIGINT NOT NULL REFERENCES theme_plans(id),
  part TEXT NOT NULL,
  title TEXT NOT NULL,
  done_kind TEXT,                                 -- lesson_order screening practice meeting volunteer
  done_id BIGINT,
  done_title TEXT NOT NULL DEFAULT '',
  done_at BIGINT,
  PRIMARY KEY (plan_id, part)
);
