-- Issue 14 leftovers: the lesson topics and the film kinds are kept by the
-- committee on a page (/lessons/topics). A topic or kind is retired
-- (active = 0), never deleted: the lessons and films that carry it keep it,
-- new ones cannot take it. The film kinds were a fixed list in themeday.c.
ALTER TABLE lesson_topics ADD COLUMN active BIGINT NOT NULL DEFAULT 1;

CREATE TABLE film_kinds (
  key TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  sort BIGINT NOT NULL DEFAULT 0,
  active BIGINT NOT NULL DEFAULT 1
);
INSERT INTO film_kinds (key, label, sort) VALUES ('red', '红色历史', 1);
INSERT INTO film_kinds (key, label, sort) VALUES ('policy', '政策理论', 2);
INSERT INTO film_kinds (key, label, sort) VALUES ('warning', '警示教育', 3);
INSERT INTO film_kinds (key, label, sort) VALUES ('local', '本土情景剧', 4);
