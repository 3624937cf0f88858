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

#define THROTTLE_WINDOW (15 * 60)
#define THROTTLE_LOCK (15 * 60)
#define THROTTLE_ACCOUNT 5  /* failures per account per window */
#define THROTTLE_ADDRESS 30 /* failures per address per window */
#define HASHES_AT_ONCE 2    /* argon2id takes 64 MiB and ~140 ms each */

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
	db_stmt *s = db_query(r->db, "SELECT id FROM orgs WHERE path LIKE ? || '%'", "t", r->actor.org_path);
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
			      "SELECT s.user_id, s.csrf, s.last_seen, s.expires_at, u.username, u.name, u.role, u.org_id, o.name, o.path "
			      "FROM sessions s JOIN users u ON u.id = s.user_id JOIN orgs o ON o.id = u.org_id "
			      "WHERE s.id = ? AND s.kind = ? AND u.active = 1",
			      "tt", id, kind);
	int64_t last_seen = 0;
	if (db_next(s) && db_int(s, 3) > now) {
		r->logged_in = true;
		r->actor.user_id = db_int(s, 0);
		snprintf(r->csrf, sizeof r->csrf, "%s", db_str(s, 1));
		last_seen = db_int(s, 2);
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
	if (r->logged_in && !strcmp(kind, "web") && now - last_seen > 300 &&
	    db_run(r->db, "UPDATE sessions SET last_seen = ?, expires_at = ? WHERE id = ?", "IIt", now, now + (int64_t)SESSION_TTL, id) != DB_OK) {
		/* skipped: the session keeps its expiry, extended on a later request */
	}
}

/* ---- passwords ---- */

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

/* ---- login ---- */

static int64_t locked_until(db *d, const char *key) { return db_int1(d, 0, "SELECT locked_until FROM login_throttle WHERE key = ?", "t", key); }

/* DB_OK, or the status of the write that failed (then the failure is not counted: the caller answers busy). */
static int count_failure(db *d, const char *key, int limit, int64_t now)
{
	int rc = db_run(d, "DELETE FROM login_throttle WHERE key = ? AND window_start < ? AND locked_until < ?", "tII", key, now - THROTTLE_WINDOW, now);
	if (rc != DB_OK)
		return rc;
	int64_t n = db_int1(d, 0,
			    "INSERT INTO login_throttle (key, failures, window_start, locked_until) VALUES (?, 1, ?, 0) "
			    "ON CONFLICT (key) DO UPDATE SET failures = login_throttle.failures + 1 RETURNING failures",
			    "tI", key, now);
	if (n < 1)
		return DB_ERR;
	if (n >= limit)
		return db_run(d, "UPDATE login_throttle SET locked_until = ? WHERE key = ?", "It", now + THROTTLE_LOCK, key);
	return DB_OK;
}

enum login_result auth_login(req *r, const char *username, const char *password, const char *kind, char token[64], int *retry_after)
{
	char ukey[96], ipkey[96];
	snprintf(ukey, sizeof ukey, "u:%.80s", username);
	snprintf(ipkey, sizeof ipkey, "ip:%.80s", r->ip);
	int64_t now = now_unix();
	*retry_after = 0;

	/* 1. Read what we need, in a short read transaction. */
	if (db_begin(r->db, false) != DB_OK)
		return LOGIN_BUSY;
	int64_t until = locked_until(r->db, ukey);
	int64_t until_ip = locked_until(r->db, ipkey);
	if (until_ip > until)
		until = until_ip;
	char hash[crypto_pwhash_STRBYTES] = "";
	int64_t uid = 0, org_id = 0;
	db_stmt *s = db_query(r->db, "SELECT id, password_hash, org_id FROM users WHERE username = ? AND active = 1", "t", username);
	if (db_next(s)) {
		uid = db_int(s, 0);
		snprintf(hash, sizeof hash, "%s", db_str(s, 1));
		org_id = db_int(s, 2);
	}
	if (db_done(s) != DB_OK || db_commit(r->db) != DB_OK) {
		db_rollback(r->db);
		return LOGIN_BUSY;
	}
	if (until > now) {
		*retry_after = (int)(until - now);
		return LOGIN_THROTTLED;
	}

	/* 2. The slow hash, outside any transaction (unknown users cost the same). */
	bool ok = password_verify(uid ? hash : NULL, password);

	/* 3. Record the outcome in one write transaction. */
	if (db_begin(r->db, true) != DB_OK)
		return LOGIN_BUSY;
	if (!ok) {
		/* the caller is still the public at its address; the row names the
		 * account that was tried in its summary. A failure that could not
		 * be counted is not answered as a wrong password: busy, try again. */
		if (count_failure(r->db, ukey, THROTTLE_ACCOUNT, now) != DB_OK || count_failure(r->db, ipkey, THROTTLE_ADDRESS, now) != DB_OK ||
		    audit_write(r->db, &r->actor, "login.fail", "user", uid ? uid : 0, org_id, username) != DB_OK || db_commit(r->db) != DB_OK) {
			db_rollback(r->db);
			return LOGIN_BUSY;
		}
		return LOGIN_BAD;
	}
	int rc = db_run(r->db, "DELETE FROM login_throttle WHERE key = ?", "t", ukey);
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
	/* from here the row is the account's (its id and username; the rest of
	 * the actor is filled from the session on the next request) */
	if (rc == DB_OK)
		rc = audit_write(r->db, &r->actor, !strcmp(kind, "api") ? "token.create" : "login.ok", "user", uid, org_id, "");
	if (rc != DB_OK || db_commit(r->db) != DB_OK) {
		db_rollback(r->db);
		r->logged_in = false;
		return LOGIN_BUSY;
	}
	return LOGIN_OK;
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
