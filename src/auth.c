/* auth — accounts and access (issue 2 §4; SPEC §1).
 * Sessions and throttles live in the database so that several nodes behind
 * nginx share them. Only a BLAKE2b hash of each session token is stored. */
#include "auth.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "util.h"
#include "valid.h"

#define THROTTLE_WINDOW (15 * 60)
#define THROTTLE_LOCK (15 * 60)
#define THROTTLE_PAIR 5          /* failures per account and address per window */
#define THROTTLE_ADDRESS 30      /* failures per address per window */
#define THROTTLE_ACCOUNT_FREE 10 /* failures per account, from all addresses, before the back-off */
#define THROTTLE_BACKOFF 30      /* its first wait in seconds, doubling */
#define LOGIN_KNOWN_TTL (30 * 24 * 3600)
#define HASHES_AT_ONCE 2 /* argon2id takes 64 MiB and ~140 ms each */

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static void scope_load(req *r)
{
	r->scope_loaded = true;
	size_t cap = 16;
	r->scope = malloc(cap * sizeof *r->scope);
	/* the subtree as a range of orgs_path ("/1/4/" → ["/1/4/", "/1/40")):
	 * a LIKE with a bound prefix reads every org (0.3 ms of a county's) */
	char lo[256], hi[256];
	snprintf(lo, sizeof lo, "%s", r->actor.org_path);
	snprintf(hi, sizeof hi, "%s", r->actor.org_path);
	if (*hi)
		hi[strlen(hi) - 1]++;
	db_stmt *s = db_query(r->db, "SELECT id FROM orgs WHERE path >= ? AND path < ?", "tt", lo, hi);
	while (db_next(s)) {
		if (r->scope_n == cap)
			r->scope = realloc(r->scope, (cap *= 2) * sizeof *r->scope);
		r->scope[r->scope_n++] = db_int(s, 0);
	}
	db_done(s);
	qsort(r->scope, r->scope_n, sizeof *r->scope, cmp_id);
}

bool scope_contains(req *r, int64_t org_id)
{
	if (!r->logged_in)
		return false;
	if (r->actor.role == R_ADMIN)
		return true;
	if (!r->scope_loaded)
		scope_load(r);
	return bsearch(&org_id, r->scope, r->scope_n, sizeof org_id, cmp_id) != NULL;
}

bool authorize(req *r, const struct permission *p, int64_t org_id)
{
	if (!r->logged_in || !permission_allows(p, &r->actor))
		return false;
	return org_id == 0 || scope_contains(r, org_id);
}

static void token_hash(const char *token, char out[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof h);
}

void auth_load_session(req *r)
{
	const char *token = NULL, *kind = "web";
	if (r->route && (r->route->flags & RF_API)) {
		const char *h = req_header(r, "Authorization");
		if (h && !strncasecmp(h, "Bearer ", 7))
			token = h + 7, kind = "api";
	} else
		token = req_cookie(r, SESSION_COOKIE);
	if (!token || strlen(token) < 20 || strlen(token) > 100)
		return;
	char id[65];
	token_hash(token, id);
	int64_t now = now_unix();
	db_stmt *s = db_query(r->db,
			      "SELECT s.user_id, s.csrf, s.last_seen, s.expires_at, u.username, u.name, u.role, u.org_id, o.name, o.path, s.created_at "
			      "FROM sessions s JOIN users u ON u.id = s.user_id JOIN orgs o ON o.id = u.org_id "
			      "WHERE s.id = ? AND s.kind = ? AND u.active = 1",
			      "tt", id, kind);
	int64_t last_seen = 0, created = 0;
	/* a console session ends SESSION_MAX_AGE after the login however active it
	 * is (a stolen cookie does not live for ever); API tokens have a fixed expiry */
	if (db_next(s) && db_int(s, 3) > now && (strcmp(kind, "web") || db_int(s, 10) + SESSION_MAX_AGE > now)) {
		r->logged_in = true;
		r->actor.user_id = db_int(s, 0);
		snprintf(r->csrf, sizeof r->csrf, "%s", db_str(s, 1));
		last_seen = db_int(s, 2);
		created = db_int(s, 10);
		snprintf(r->actor.username, sizeof r->actor.username, "%s", db_str(s, 4));
		snprintf(r->actor.name, sizeof r->actor.name, "%s", db_str(s, 5));
		r->actor.role = role_from_key(db_str(s, 6));
		r->actor.org_id = db_int(s, 7);
		snprintf(r->actor.org_name, sizeof r->actor.org_name, "%s", db_str(s, 8));
		snprintf(r->actor.org_path, sizeof r->actor.org_path, "%s", db_str(s, 9));
		snprintf(r->actor.ip, sizeof r->actor.ip, "%s", r->ip);
		actor_set_label(&r->actor);
		memcpy(r->session_id, id, sizeof id);
	}
	db_done(s);
	/* Sliding expiry for the console, written at most every five minutes so a
	 * page view is not a write. Best effort: a busy database just skips it. */
	if (r->logged_in && !strcmp(kind, "web") && now - last_seen > 300) {
		int64_t expires = now + (int64_t)SESSION_TTL;
		if (expires > created + SESSION_MAX_AGE)
			expires = created + SESSION_MAX_AGE;
		if (db_run(r->db, "UPDATE sessions SET last_seen = ?, expires_at = ? WHERE id = ?", "IIt", now, expires, id) != DB_OK) {
			/* skipped: the session keeps its expiry, extended on a later request */
		}
	}
}

/* ---- passwords ---- */

static void ascii_lower(char *out, size_t n, const char *s)
{
	size_t i = 0;
	for (; s[i] && i + 1 < n; i++)
		out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
	out[i] = 0;
}

static sem_t g_hash_slots;
static pthread_once_t g_hash_once = PTHREAD_ONCE_INIT;
static char g_dummy_hash[crypto_pwhash_STRBYTES];

static void hash_init(void)
{
	if (sodium_init() < 0)
		abort();
	sem_init(&g_hash_slots, 0, HASHES_AT_ONCE);
	if (crypto_pwhash_str(g_dummy_hash, "dangjian-no-such-user", 21, crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		abort(); /* out of memory at start: nothing sensible to do */
}

static bool hash_slot_take(void)
{
	pthread_once(&g_hash_once, hash_init);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 10;
	while (sem_timedwait(&g_hash_slots, &ts) != 0)
		if (errno != EINTR)
			return false;
	return true;
}

bool password_hash(const char *password, char out[128])
{
	if (!hash_slot_take())
		return false;
	int rc = crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE);
	sem_post(&g_hash_slots);
	return rc == 0;
}

bool password_verify(const char *hash, const char *password)
{
	if (!hash_slot_take())
		return false;
	int rc = crypto_pwhash_str_verify(hash && *hash ? hash : g_dummy_hash, password, strlen(password));
	sem_post(&g_hash_slots);
	return rc == 0 && hash && *hash;
}

const char *password_refused(const char *username, const char *pw)
{
	const char *why = password_weak(pw);
	if (why)
		return why;
	char low[130], user[40];
	ascii_lower(low, sizeof low, pw);
	ascii_lower(user, sizeof user, username ? username : "");
	if (strlen(user) >= 3 && strstr(low, user))
		return "密码不能包含用户名";
	/* published in the README: the first thing a guesser tries here */
	if (strstr(low, "demo2026"))
		return "密码不能使用演示密码";
	if (password_common(low))
		return "密码过于常见，容易被猜中，请换一个";
	return NULL;
}

const char *password_weak(const char *pw)
{
	if (!pw || strlen(pw) < 8)
		return "密码至少需要 8 位";
	if (strlen(pw) > 128)
		return "密码不能超过 128 位";
	bool letter = false, digit = false;
	for (const char *p = pw; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
			letter = true;
		else if (*p >= '0' && *p <= '9')
			digit = true;
	}
	if (!letter || !digit)
		return "密码需同时包含字母和数字";
	return NULL;
}

/* ---- login ----
 * Each attempt is counted (reserved) before its password is checked, in one
 * short write transaction: the counters are rows of login_throttle raised by
 * one atomic upsert each, so concurrent attempts, on one node or several, each
 * see the ones before them and at most THROTTLE_PAIR passwords are ever
 * checked per account and address in a window. A wrong password leaves its
 * reservation counted; a right one gives it back. Three counters:
 *  - account and address ("ua:NAME|ADDR"): THROTTLE_PAIR failures lock that
 *    pair for THROTTLE_LOCK, so a stranger's guesses lock out only the
 *    stranger's own address;
 *  - address ("ip:ADDR"): THROTTLE_ADDRESS failures, whatever the accounts;
 *  - account ("u:NAME"), from every address: past THROTTLE_ACCOUNT_FREE each
 *    attempt waits a back-off (30 s, 60 s, … up to THROTTLE_LOCK), which slows a
 *    guesser spread over many addresses. Addresses from which the account
 *    has logged in before (login_known) do not wait for it. */

/* Reserves one attempt on key and returns the count with it, or -1 when the
 * key is locked (locked_until in the future, unless ignore_lock) or the
 * database failed. The row lock taken by the upsert holds until commit. */
static int64_t reserve(db *d, const char *key, int64_t now, bool ignore_lock)
{
	if (db_run(d, "DELETE FROM login_throttle WHERE key = ? AND window_start < ? AND locked_until < ?", "tII", key, now - THROTTLE_WINDOW, now) !=
	    DB_OK)
		return -1;
	return db_int1(d, -1,
		       "INSERT INTO login_throttle (key, failures, window_start, locked_until) VALUES (?, 1, ?, 0) "
		       "ON CONFLICT (key) DO UPDATE SET failures = login_throttle.failures + 1 WHERE login_throttle.locked_until <= ? "
		       "RETURNING failures",
		       "tII", key, now, ignore_lock ? INT64_MAX : now);
}

/* Seconds until key accepts attempts again (at least 1). */
static int retry_of(db *d, const char *key, int64_t now)
{
	int64_t wait = 0;
	db_stmt *s = db_query(d, "SELECT window_start, locked_until FROM login_throttle WHERE key = ?", "t", key);
	if (db_next(s))
		wait = db_int(s, 1) > now ? db_int(s, 1) - now : db_int(s, 0) + THROTTLE_WINDOW - now;
	db_done(s);
	return wait < 1 ? 1 : wait > THROTTLE_LOCK ? THROTTLE_LOCK : (int)wait;
}

struct throttle_keys {
	char pair[160], ip[96], account[96];
};

static void throttle_keys(struct throttle_keys *k, const char *username, const char *ip)
{
	snprintf(k->pair, sizeof k->pair, "ua:%.80s|%.70s", username, ip);
	snprintf(k->ip, sizeof k->ip, "ip:%.80s", ip);
	snprintf(k->account, sizeof k->account, "u:%.80s", username);
}

/* The back-off after the n-th attempt on an account (0 while n is within the free ones). */
static int64_t account_backoff(int64_t n)
{
	if (n < THROTTLE_ACCOUNT_FREE)
		return 0;
	int64_t k = n - THROTTLE_ACCOUNT_FREE;
	int64_t wait = (int64_t)THROTTLE_BACKOFF << (k > 10 ? 10 : k);
	return wait > THROTTLE_LOCK ? THROTTLE_LOCK : wait;
}

/* Step 1 of a login: reserves the attempt on the three counters. LOGIN_OK
 * when the password may be checked; LOGIN_THROTTLED with *retry_after, or
 * LOGIN_BUSY. Runs inside the caller's write transaction. */
static enum login_result reserve_attempt(db *d, const struct throttle_keys *k, const char *username, const char *ip, int64_t now, int *retry_after)
{
	bool known = db_int1(d, 0, "SELECT COUNT(*) FROM login_known WHERE username = ? AND ip = ? AND last_ok > ?", "ttI", username, ip,
			     now - LOGIN_KNOWN_TTL) > 0;
	const char *keys[3] = {k->pair, k->ip, k->account};
	const int64_t limits[3] = {THROTTLE_PAIR, THROTTLE_ADDRESS, INT64_MAX};
	int64_t n = 0;
	for (int i = 0; i < 3; i++) {
		n = reserve(d, keys[i], now, i == 2 && known);
		if (n < 0 && db_int1(d, 0, "SELECT locked_until FROM login_throttle WHERE key = ?", "t", keys[i]) <= now)
			return LOGIN_BUSY;
		if (n < 0 || n > limits[i]) {
			*retry_after = retry_of(d, keys[i], now);
			return LOGIN_THROTTLED;
		}
	}
	/* n is now the account's count: past the free attempts, the next one from
	 * an address the account has not used waits */
	int64_t wait = account_backoff(n);
	if (wait && !known && db_run(d, "UPDATE login_throttle SET locked_until = ? WHERE key = ?", "It", now + wait, k->account) != DB_OK)
		return LOGIN_BUSY;
	return LOGIN_OK;
}

/* A login given as a mobile number (issue 10 §1): the account linked to the
 * roster member with that number, when there is one; the login as typed otherwise. */
static const char *login_name(req *r, const char *login, char out[64])
{
	snprintf(out, 64, "%s", login);
	if (!phone_valid(login))
		return out;
	db_stmt *s = db_query(r->db,
			      "SELECT u.username FROM members m JOIN users u ON u.id = m.user_id WHERE m.phone = ? AND u.active = 1 "
			      "ORDER BY u.id LIMIT 1",
			      "t", login);
	if (db_next(s))
		snprintf(out, 64, "%s", db_str(s, 0));
	db_done(s);
	return out;
}

enum login_result auth_login(req *r, const char *login, const char *password, const char *kind, char token[64], int *retry_after)
{
	char name[64];
	const char *username = login_name(r, login, name);
	struct throttle_keys k;
	throttle_keys(&k, username, r->ip);
	int64_t now = now_unix();
	*retry_after = 0;

	/* 1. Reserve the attempt and read the account, in one short write
	 * transaction; a refused attempt rolls back and counts nothing. */
	if (db_begin(r->db, true) != DB_OK)
		return LOGIN_BUSY;
	enum login_result res = reserve_attempt(r->db, &k, username, r->ip, now, retry_after);
	char hash[crypto_pwhash_STRBYTES] = "";
	int64_t uid = 0, org_id = 0;
	if (res == LOGIN_OK) {
		db_stmt *s = db_query(r->db, "SELECT id, password_hash, org_id FROM users WHERE username = ? AND active = 1", "t", username);
		if (db_next(s)) {
			uid = db_int(s, 0);
			snprintf(hash, sizeof hash, "%s", db_str(s, 1));
			org_id = db_int(s, 2);
		}
		if (db_done(s) != DB_OK)
			res = LOGIN_BUSY;
	}
	if (res != LOGIN_OK) {
		db_rollback(r->db);
		return res;
	}
	if (db_commit(r->db) != DB_OK) {
		db_rollback(r->db);
		return LOGIN_BUSY;
	}

	/* 2. The slow hash, outside any transaction (unknown users cost the same). */
	bool ok = password_verify(uid ? hash : NULL, password);

	/* 3. Record the outcome in one write transaction. Should it fail, a
	 * wrong password stays counted by its reservation. */
	if (db_begin(r->db, true) != DB_OK)
		return LOGIN_BUSY;
	if (!ok) {
		/* the reservation is the failure; a pair or an address at its limit is locked */
		int frc = db_run(r->db, "UPDATE login_throttle SET locked_until = ? WHERE key = ? AND failures >= ? AND locked_until < ?", "ItII",
				 now + THROTTLE_LOCK, k.pair, (int64_t)THROTTLE_PAIR, now);
		if (frc == DB_OK)
			frc = db_run(r->db, "UPDATE login_throttle SET locked_until = ? WHERE key = ? AND failures >= ? AND locked_until < ?", "ItII",
				     now + THROTTLE_LOCK, k.ip, (int64_t)THROTTLE_ADDRESS, now);
		/* the caller is still the public at its address; the row names the
		 * account that was tried in its summary */
		if (frc == DB_OK)
			frc = audit_write(r->db, &r->actor, "login.fail", "user", uid ? uid : 0, org_id, username);
		if (frc != DB_OK || db_commit(r->db) != DB_OK)
			db_rollback(r->db);
		return LOGIN_BAD;
	}
	/* the right password gives its reservations back (one key at a time, in
	 * the order they were taken); earlier failures expire with their window */
	const char *keys[3] = {k.pair, k.ip, k.account};
	int rc = DB_OK;
	for (int i = 0; i < 3 && rc == DB_OK; i++)
		rc = db_run(r->db, "UPDATE login_throttle SET failures = failures - 1 WHERE key = ? AND failures > 0", "t", keys[i]);
	if (rc == DB_OK)
		rc = db_run(r->db,
			    "INSERT INTO login_known (username, ip, last_ok) VALUES (?, ?, ?) "
			    "ON CONFLICT (username, ip) DO UPDATE SET last_ok = excluded.last_ok",
			    "ttI", username, r->ip, now);
	if (rc == DB_OK)
		rc = db_run(r->db, "DELETE FROM login_known WHERE username = ? AND last_ok < ?", "tI", username, now - LOGIN_KNOWN_TTL);
	random_token(token, 64, 32);
	char id[65], csrf[48];
	token_hash(token, id);
	random_token(csrf, sizeof csrf, 24);
	int64_t ttl = !strcmp(kind, "api") ? API_TOKEN_TTL : SESSION_TTL;
	if (rc == DB_OK)
		rc = db_run(r->db, "INSERT INTO sessions (id, user_id, kind, csrf, ip, created_at, last_seen, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			    "tItttIII", id, uid, kind, csrf, r->ip, now, now, now + ttl);
	/* expired sessions of this user are swept here rather than by a timer */
	if (rc == DB_OK)
		rc = db_run(r->db, "DELETE FROM sessions WHERE user_id = ? AND expires_at < ?", "II", uid, now);
	r->actor.user_id = uid;
	snprintf(r->actor.username, sizeof r->actor.username, "%s", username);
	r->logged_in = true;
	snprintf(r->csrf, sizeof r->csrf, "%s", csrf); /* a form resubmitted at once after the login (site_web.c) */
	/* from here the row is the account's (its id and username; the rest of
	 * the actor is filled from the session on the next request) */
	if (rc == DB_OK)
		rc = audit_write(r->db, &r->actor, !strcmp(kind, "api") ? "token.create" : "login.ok", "user", uid, org_id, "");
	if (rc != DB_OK || db_commit(r->db) != DB_OK) {
		db_rollback(r->db);
		r->logged_in = false;
		r->csrf[0] = 0;
		return LOGIN_BUSY;
	}
	return LOGIN_OK;
}

/* ---- attempts at other secrets (activation codes, issue 10 §1) ----
 * Counted on the login_throttle rows as logins are: per subject and address
 * (THROTTLE_PAIR), per address (THROTTLE_ADDRESS, shared with logins) and per
 * subject from every address (THROTTLE_ACCOUNT_FREE); past a limit the key
 * refuses until its window ends. A right answer gives the reservation back. */

static void attempt_keys(char keys[3][160], const char *subject, const char *ip)
{
	snprintf(keys[0], 160, "ac:%.60s|%.70s", subject, ip);
	snprintf(keys[1], 160, "ip:%.80s", ip);
	snprintf(keys[2], 160, "a:%.80s", subject);
}

enum login_result auth_attempt_reserve(req *r, const char *subject, int *retry_after)
{
	char keys[3][160];
	attempt_keys(keys, subject, r->ip);
	const int64_t limits[3] = {THROTTLE_PAIR, THROTTLE_ADDRESS, THROTTLE_ACCOUNT_FREE};
	int64_t now = now_unix();
	*retry_after = 0;
	if (db_begin(r->db, true) != DB_OK)
		return LOGIN_BUSY;
	for (int i = 0; i < 3; i++) {
		int64_t n = reserve(r->db, keys[i], now, false);
		if (n < 0 && db_int1(r->db, 0, "SELECT locked_until FROM login_throttle WHERE key = ?", "t", keys[i]) <= now) {
			db_rollback(r->db);
			return LOGIN_BUSY;
		}
		if (n < 0 || n > limits[i]) {
			*retry_after = retry_of(r->db, keys[i], now);
			db_rollback(r->db);
			return LOGIN_THROTTLED;
		}
	}
	if (db_commit(r->db) != DB_OK) {
		db_rollback(r->db);
		return LOGIN_BUSY;
	}
	return LOGIN_OK;
}

bool auth_attempt_forgive(req *r, const char *subject)
{
	char keys[3][160];
	attempt_keys(keys, subject, r->ip);
	for (int i = 0; i < 3; i++)
		if (db_run(r->db, "UPDATE login_throttle SET failures = failures - 1 WHERE key = ? AND failures > 0", "t", keys[i]) != DB_OK)
			return false;
	return true;
}

bool auth_logout(req *r)
{
	if (!r->logged_in)
		return true;
	return db_run(r->db, "DELETE FROM sessions WHERE id = ?", "t", r->session_id) == DB_OK &&
	       audit_write(r->db, &r->actor, "logout", "user", r->actor.user_id, r->actor.org_id, "") == DB_OK;
}

bool auth_end_other_sessions(req *r)
{
	return db_run(r->db, "DELETE FROM sessions WHERE user_id = ? AND id <> ?", "It", r->actor.user_id, r->session_id) == DB_OK;
}

/* ---- CSRF tokens of anonymous forms ----
 * A form shown to someone not logged in carries nonce.expiry.mac, where mac
 * is HMAC-SHA256 (truncated to 128 bits) under a secret kept in the settings
 * table, so every node behind nginx issues and accepts the same tokens; the
 * nonce also rides in the dj_csrf cookie. A cookie planted by someone else
 * is no longer enough: a token cannot be made without the secret, and it
 * expires. (Logged-in forms use the session's own random token.) */

static pthread_mutex_t g_secret_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char g_secret[crypto_auth_hmacsha256_KEYBYTES];
static bool g_secret_loaded;

static bool secret_read(db *d)
{
	bool ok = false;
	db_stmt *s = db_query(d, "SELECT value FROM settings WHERE key = 'csrf_secret'", "");
	if (db_next(s)) {
		const char *hex = db_str(s, 0);
		size_t n = 0;
		ok = sodium_hex2bin(g_secret, sizeof g_secret, hex, strlen(hex), NULL, &n, NULL) == 0 && n == sizeof g_secret;
	}
	db_done(s);
	return ok;
}

/* Loads the secret once per process, making it on first use: the first
 * node's INSERT wins and every node reads the stored value. */
static bool csrf_secret(db *d)
{
	if (!d)
		return false;
	pthread_mutex_lock(&g_secret_lock);
	if (!g_secret_loaded && !(g_secret_loaded = secret_read(d))) {
		unsigned char raw[sizeof g_secret];
		char hex[2 * sizeof raw + 1];
		randombytes_buf(raw, sizeof raw);
		sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
		if (db_run(d, "INSERT INTO settings (key, value) VALUES ('csrf_secret', ?) ON CONFLICT (key) DO NOTHING", "t", hex) == DB_OK)
			g_secret_loaded = secret_read(d);
		sodium_memzero(raw, sizeof raw);
	}
	bool ok = g_secret_loaded;
	pthread_mutex_unlock(&g_secret_lock);
	return ok;
}

bool auth_prepare(db *d)
{
	/* made here, in a write transaction of its own, before any request: made
	 * inside a GET's read transaction it could meet another writer (the first
	 * minute's background work) and fail, or be rolled back with a request
	 * that ends in an error while this process keeps using it */
	if (db_begin(d, true) != DB_OK)
		return false;
	bool ok = csrf_secret(d);
	if (db_commit(d) != DB_OK)
		return false;
	return ok;
}

static void csrf_mac(const char *nonce, int64_t expiry, char out[32])
{
	char msg[96];
	int n = snprintf(msg, sizeof msg, "csrf1|%s|%lld", nonce, (long long)expiry);
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, g_secret, sizeof g_secret);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, (unsigned long long)n);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2base64(out, 32, mac, 16, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool auth_csrf_nonce_ok(const char *nonce)
{
	if (!nonce || strlen(nonce) != CSRF_NONCE_CHARS)
		return false;
	for (const char *c = nonce; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
			return false;
	return true;
}

bool auth_csrf_sign(db *d, const char *nonce, int64_t now, char out[48])
{
	out[0] = 0;
	if (!auth_csrf_nonce_ok(nonce) || !csrf_secret(d))
		return false;
	char mac[32];
	int64_t expiry = now + CSRF_TTL;
	csrf_mac(nonce, expiry, mac);
	char t[96];
	int n = snprintf(t, sizeof t, "%s.%lld.%s", nonce, (long long)expiry, mac);
	if (n <= 0 || n >= 48)
		return false;
	memcpy(out, t, (size_t)n + 1);
	return true;
}

bool auth_csrf_verify(db *d, const char *token, const char *nonce, int64_t now)
{
	if (!token || !auth_csrf_nonce_ok(nonce) || strncmp(token, nonce, CSRF_NONCE_CHARS) || token[CSRF_NONCE_CHARS] != '.')
		return false;
	const char *p = token + CSRF_NONCE_CHARS + 1;
	char *end;
	long long expiry = strtoll(p, &end, 10);
	if (end == p || *end != '.' || expiry <= now || expiry > now + CSRF_TTL + 300 || !csrf_secret(d))
		return false;
	char mac[32];
	csrf_mac(nonce, expiry, mac);
	return str_eq_ct(end + 1, mac);
}
