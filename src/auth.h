/* auth — login, sessions, CSRF, API tokens, throttling, and the one authorise(). */
#ifndef DJ_AUTH_H
#define DJ_AUTH_H
#include <stdbool.h>
#include <stdint.h>

#include "server.h"

/* What a caller may do. Each action names the roles allowed; authorize() adds
 * the org-subtree check. */
enum action {
	ACT_ORG_VIEW,     /* see an org, its children and people */
	ACT_USER_VIEW,    /* see accounts */
	ACT_USER_MANAGE,  /* create accounts, reset passwords, deactivate */
	ACT_AUDIT_VIEW,   /* read the audit log */
	ACT_ORG_MANAGE,   /* create, rename, move, dissolve orgs */
	ACT_MEMBER_VIEW,  /* see the roster (masked) */
	ACT_MEMBER_EDIT,  /* add and change members, record 转正 and status changes, import */
	ACT_MEMBER_REVEAL, /* read a full ID or phone number (audited) */
	ACT__COUNT
};

/* May r's user do action a on a record of org org_id (0: not org-bound)? */
bool authorize(req *r, enum action a, int64_t org_id);
/* Is org_id inside the caller's subtree (admin: always)? Loads the subtree once per request. */
bool scope_contains(req *r, int64_t org_id);
/* The roles allowed an action, for the tests and the docs. */
int action_roles(enum action a);

/* Reads the session cookie (console) or the bearer token (API) into r. */
void auth_load_session(req *r);

/* Password hashing: argon2id via libsodium, with at most a few hashes at once. */
bool password_hash(const char *password, char out[128]);
bool password_verify(const char *hash, const char *password);
/* Checks a new password's strength; NULL when fine, else the reason in Chinese. */
const char *password_weak(const char *password);

enum login_result { LOGIN_OK, LOGIN_BAD, LOGIN_THROTTLED, LOGIN_BUSY };
/* Checks the throttle, verifies the password outside any transaction, then
 * records the outcome and (on success) creates a session of kind "web" or
 * "api" in one transaction. token gets the secret to hand to the client. */
enum login_result auth_login(req *r, const char *username, const char *password, const char *kind, char token[64],
			     int *retry_after);
void auth_logout(req *r);

const char *role_key(int role);   /* "branch" */
const char *role_label(int role); /* "支部书记" */
int role_from_key(const char *k); /* 0 when unknown */

#define SESSION_COOKIE "dj_session"
#define SESSION_TTL (8 * 3600)
#define API_TOKEN_TTL (30 * 24 * 3600)

#endif
