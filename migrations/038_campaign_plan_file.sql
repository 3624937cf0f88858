-- A campaign's implementing plan (实施方案) as an attachment (issue 17): PDF,
-- DOCX or an image, recognised by its first bytes, kept as base64 text in
-- both engines like the exemplars' evidence (src/attach.c); one file per
-- campaign, replaced by a new upload. Reading it is audited.
CREATE TABLE campaign_plan_files (
  campaign_id BIGINT PRIMARY KEY REFERENCES campaigns(id),
  filename TEXT NOT NULL,
  mime TEXT NOT NULL,
  data TEXT NOT NULL,
  bytes BIGINT NOT NULL,
  uploaded_by BIGINT REFERENCES users(id),
  uploaded_at BIGINT NOT NULL
);
