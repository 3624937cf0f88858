-- A list's total kept by the database instead of counted per request
-- (issue 9 §2): the roster's count kept per org: "共 N 名党员" of a town was
-- an exact count of its ~15,000 entries of members_org on every page (0.6
-- ms of CPU, half of the page's cost on the county); now it is the sum of
-- this table's rows over the subtree's orgs (a town's ~120). The database
-- keeps it: a trigger on every insert of a member and every change of its
-- org, whoever writes (the domain, an import, the county generator's bulk
-- SQL), in the same transaction. Members are never deleted (转出 is a
-- status); a delete is counted all the same. `dangjian check` recounts it.
CREATE TABLE org_member_counts (
  org_id BIGINT PRIMARY KEY REFERENCES orgs(id),
  members BIGINT NOT NULL DEFAULT 0
);
INSERT INTO org_member_counts (org_id, members) SELECT org_id, COUNT(*) FROM members GROUP BY org_id;
-- @postgresql
CREATE FUNCTION org_member_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE org_member_counts SET members = members - 1 WHERE org_id = OLD.org_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO org_member_counts (org_id, members) VALUES (NEW.org_id, 1)
      ON CONFLICT (org_id) DO UPDATE SET members = org_member_counts.members + 1;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER members_count_insert AFTER INSERT OR DELETE ON members
  FOR EACH ROW EXECUTE FUNCTION org_member_counts_follow();
CREATE TRIGGER members_count_move AFTER UPDATE OF org_id ON members
  FOR EACH ROW WHEN (OLD.org_id IS DISTINCT FROM NEW.org_id) EXECUTE FUNCTION org_member_counts_follow();
-- @sqlite
CREATE TRIGGER members_count_insert AFTER INSERT ON members
BEGIN
  INSERT INTO org_member_counts (org_id, members) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET members = members + 1;
END;
CREATE TRIGGER members_count_delete AFTER DELETE ON members
BEGIN
  UPDATE org_member_counts SET members = members - 1 WHERE org_id = OLD.org_id;
END;
CREATE TRIGGER members_count_move AFTER UPDATE OF org_id ON members WHEN OLD.org_id IS NOT NEW.org_id
BEGIN
  UPDATE org_member_counts SET members = members - 1 WHERE org_id = OLD.org_id;
  INSERT INTO org_member_counts (org_id, members) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET members = members + 1;
END;
-- @both
