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
