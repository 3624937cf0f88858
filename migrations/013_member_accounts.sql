-- Accounts for roster members (issue 10 §1). The link between an account and
-- its roster record is members.user_id (002); a branch secretary gives a
-- member a login with a one-time activation code, which the member uses with
-- their mobile number at /activate to set a password. Only a BLAKE2b hash of
-- each code is kept, as for session tokens; a code expires and is used once.
CREATE TABLE activation_codes (
  id @ID@,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL UNIQUE,     -- hex BLAKE2b of "user id:code"
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT                      -- NULL until the code is used
);
CREATE INDEX activation_codes_user ON activation_codes(user_id);
-- one roster record per account, so that a phone number finds one account
CREATE UNIQUE INDEX members_user ON members(user_id);
CREATE INDEX members_phone ON members(phone);
