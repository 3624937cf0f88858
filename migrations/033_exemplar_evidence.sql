-- Evidence (佐证材料) with a department's consultation answer or a public
-- objection (issue 15): JPEG, PNG or PDF, checked by content, kept as base64
-- text in both engines like the nomination photos; the committee alone opens them.
CREATE TABLE exemplar_evidence (
  id @ID@,
  kind TEXT NOT NULL,                              -- consult | objection
  owner_id BIGINT NOT NULL,                        -- exemplar_consults.id or exemplar_objections.id
  filename TEXT NOT NULL,
  mime TEXT NOT NULL,
  data TEXT NOT NULL,
  bytes BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX exemplar_evidence_owner ON exemplar_evidence(kind, owner_id);

-- The campaign categories, kept by the committee (issue 15 §1 "configurable"):
-- the issue's defaults first; a category in use is switched off, never deleted.
CREATE TABLE exemplar_categories (
  key TEXT PRIMARY KEY,
  label TEXT NOT NULL UNIQUE,
  subject TEXT NOT NULL DEFAULT 'person',          -- person | org: who its candidates usually are
  pos BIGINT NOT NULL,
  active BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL
);
INSERT INTO exemplar_categories (key, label, subject, pos, created_at) VALUES
  ('youxiu_dangyuan', '优秀共产党员', 'person', 1, 0),
  ('youxiu_dangwu', '优秀党务工作者', 'person', 2, 0),
  ('xianjin_zuzhi', '先进基层党组织', 'org', 3, 0),
  ('haoren', '身边好人', 'person', 4, 0),
  ('zhiyuanzhe', '最美志愿者', 'person', 5, 0),
  ('jiating', '最美家庭', 'person', 6, 0),
  ('shuji', '担当作为优秀村党组织书记', 'person', 7, 0);

-- a campaign keeps the name its category had when it began: renaming a
-- category later changes no certificate already given
ALTER TABLE exemplar_campaigns ADD COLUMN category_label TEXT NOT NULL DEFAULT '';
UPDATE exemplar_campaigns SET category_label = COALESCE((SELECT g.label FROM exemplar_categories g WHERE g.key = exemplar_campaigns.category), '');
