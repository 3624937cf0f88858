/* auth — login, sessions, CSRF, API tokens, throttling, and the one authorise(). */
#ifndef DJ_AUTH_H
#define DJ_AUTH_H
#include <stdbool.h>
#include <stdint.h>

#include "password.h"
#include "permission.h"
#include "server.h"

/* May r's user do action a on a record of org org_id (0: not org-bound)? */
bool authorize(req *r, const struct permission *p, int64_t org_id);
/* Is org_id inside the caller's subtree (admin: always)? Loads the subtree once per request. */
bool scope_contains(req *r, int64_t org_id);

/* Reads the session cookie (console) or the bearer token (API) into r. */
void auth_load_session(req *r);

enum login_result { LOGIN_OK, LOGIN_BAD, LOGIN_THROTTLED, LOGIN_BUSY };
/* login: a username, or the mobile number of a roster member with an account.
 * Checks the throttle, verifies the password outside any transaction, then
 * records the outcome and (on success) creates a session of kind "web" or
 * "api" in one transaction. token gets the secret to hand to the client. */
enum login_result auth_login(req *r, const char *login, const char *password, const char *kind, char token[64], int *retry_after);
/* Attempts at a secret that is not a password (an activation code) on
 * subject (the phone number) from r's address, counted and locked as logins
 * are, in a transaction of its own: LOGIN_OK when it may be checked,
 * LOGIN_THROTTLED with *retry_after, LOGIN_BUSY. */
enum login_result auth_attempt_reserve(req *r, const char *subject, int *retry_after);
/* Gives a reservation back after a right answer, in the caller's
 * transaction; false when the database failed. */
bool auth_attempt_forgive(req *r, const char *subject) __attribute__((warn_unused_result));
/* False when the session could not be ended (the caller answers 503: the
 * token must not stay valid behind a "logged out"). */
bool auth_logout(req *r) __attribute__((warn_unused_result));
/* Ends every session of the caller's account but the one in use (after a
 * password change); false when it could not (the change must then fail). */
bool auth_end_other_sessions(req *r) __attribute__((warn_unused_result));

/* CSRF tokens of the forms shown to someone not logged in: nonce.expiry.mac,
 * an HMAC under a secret kept in the settings table (shared by every node),
 * valid CSRF_TTL seconds and only with the nonce in the dj_csrf cookie. */
#define CSRF_COOKIE "dj_csrf"
#define CSRF_TTL (12 * 3600)
#define CSRF_NONCE_CHARS 12 /* 9 random bytes, URL-safe base64 */
bool auth_csrf_nonce_ok(const char *nonce);
/* out (at most 47 characters) gets the token over nonce; false when the secret cannot be had. */
bool auth_csrf_sign(db *d, const char *nonce, int64_t now, char out[48]);
bool auth_csrf_verify(db *d, const char *token, const char *nonce, int64_t now);

#define SESSION_COOKIE "dj_session"
#define SESSION_TTL (8 * 3600)          /* idle: a console session not used for this long ends */
#define SESSION_MAX_AGE (7 * 24 * 3600) /* absolute: it ends this long after the login, used or not */
#define API_TOKEN_TTL (30 * 24 * 3600)

/* Readies what the server needs before its first request (the anonymous
 * forms' CSRF secret, made once and shared by every node); false on failure. */
bool auth_prepare(db *d);

#endif
