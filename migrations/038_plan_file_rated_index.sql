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

-- The dashboard's 群众评价 (orders.rated, the monthly bulletin's 收到群众评价):
-- orders closed in a period with a rating, per org of a subtree. Without it a
-- county-year read the rows of every closed order (1,000,000 orders: 7 s
-- cold); with it, the rated orders' index entries alone (0.09 s).
CREATE INDEX IF NOT EXISTS orders_rated_closed ON orders(org_id, closed_at) WHERE rating IS NOT NULL;

-- The dashboard's 预备党员 (members.probationary): the probationary members of
-- a subtree's orgs from the index alone (a county's 4,000 of 300,000: the
-- rows of every member were read before).
CREATE INDEX IF NOT EXISTS members_probationary ON members(org_id) WHERE category = 'probationary';
