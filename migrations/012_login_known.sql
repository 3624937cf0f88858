-- Addresses from which an account has logged in (issue 8 §3). The per-account
-- back-off that slows a guesser spread over many addresses does not apply to
-- them, so a stranger's guesses cannot lock the account's owner out; the
-- per-(account, address) limit still does. Kept 30 days after the last login.
CREATE TABLE login_known (
  username TEXT NOT NULL,
  ip TEXT NOT NULL,
  last_ok BIGINT NOT NULL,
  PRIMARY KEY (username, ip)
);
