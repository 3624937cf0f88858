/* users — accounts (issue 2 §4): each has one role of SPEC §1 and belongs to
 * one org. The domain: checks, SQL and audit; the admin pages are in users_web.c. */
#ifndef DJ_USERS_H
#define DJ_USERS_H
#include <stdbool.h>
#include <stdint.h>

#include "actor.h"
#include "db.h"
#include "permission.h"
#include "result.h"

/* Permission rows: see accounts; create accounts, reset passwords, deactivate. */
extern const struct permission perm_user_view, perm_user_manage;

struct user {
	int64_t id;
	char username[64];
	char name[64];
	char role[16]; /* its key: "branch" */
	int64_t org_id;
	bool active;
	char org_code[40]; /* filled by users_each */
	char org_name[200];
	bool pending; /* filled by users_page: active, no password yet (awaiting activation) */
};

/* Loads an account the actor may manage (DJ_NOT_FOUND otherwise). */
enum dj_result users_load(db *d, const struct actor *a, int64_t id, struct user *u, struct field_errors *e);
/* Every account the actor may see (perm_user_view, its subtree), by org path,
 * then role and username; DJ_FORBIDDEN for a role that sees none. */
enum dj_result users_each(db *d, const struct actor *a, void (*fn)(const struct user *u, void *ctx), void *ctx);
/* One page of that list (offset, limit), narrowed to usernames or names that
 * contain q (NULL: all), and with pending to the accounts awaiting activation
 * (issue 10 §1: active, no password yet), in the order sort names (a key of
 * users_sorts; NULL or "": by org); *total the number that match. DJ_INVALID:
 * an unknown sort. */
extern const char *const users_sorts[]; /* key, label pairs, NULL-terminated */
enum dj_result users_page(db *d, const struct actor *a, const char *q, bool pending, const char *sort, int64_t limit, int64_t offset,
			  void (*fn)(const struct user *u, void *ctx), void *ctx, int64_t *total);
/* How many accounts of the actor's subtree await activation. */
int64_t users_count_pending(db *d, const struct actor *a);
/* The active accounts of the roles in mask (0: any role) in one org (org_id
 * > 0) or under an org path, by org path, then name. For pick lists and
 * counts, after the caller has checked what the actor may see. */
void users_each_active(db *d, const char *under, int64_t org_id, int roles, void (*fn)(const struct user *u, void *ctx), void *ctx);
int64_t users_count_active(db *d, const char *under);
/* The id of the account with this username, or 0. */
int64_t users_id_by_username(db *d, const char *username);

/* Creates an account in an org of the actor's subtree; audited as user.create.
 * DJ_INVALID names the field at fault (username, name, role, org_id, password). */
enum dj_result users_create(db *d, const struct actor *a, const char *username, const char *name, const char *role, int64_t org_id, const char *password,
			    int64_t *id, struct field_errors *e);
/* The same for the demo's accounts (demo.c), which keep the published demo
 * password: only its strength is checked, not the rules of password_refused(). */
enum dj_result users_create_demo(db *d, const struct actor *a, const char *username, const char *name, const char *role, int64_t org_id,
				 const char *password, int64_t *id, struct field_errors *e);
/* Changes an account's name, role, org and state, and its password when one is
 * given (NULL or "" keeps it); audited as user.update. Deactivating or setting
 * a password ends the account's sessions. Nobody deactivates or demotes themselves. */
enum dj_result users_update(db *d, const struct actor *a, int64_t id, const char *name, const char *role, int64_t org_id, bool active,
			    const char *password, struct field_errors *e);
/* Sets the password of an account: the account itself ("本人修改密码"), or
 * whoever manages its org (the CLI: "命令行重置密码"); audited as
 * user.password. When someone else sets it, every session of the account
 * ends; the account's own change leaves the caller to end the other sessions,
 * since only it knows which one is in use. */
enum dj_result users_set_password(db *d, const struct actor *a, int64_t id, const char *password, struct field_errors *e);
char *users_password_hash_of(db *d, int64_t id); /* malloc'd, NULL when none */

/* ---- accounts of roster members (issue 10 §1; accounts.c decides who may) ----
 * These do not check the actor's permission: accounts.c checks its own
 * (perm_account_issue) and the member's org before calling them. */

/* Reads an account without a check of the actor; false when there is none. */
bool users_get(db *d, int64_t id, struct user *u);
/* Whether the account has a password yet (false: awaiting activation). */
bool users_has_password(db *d, int64_t id);
/* Creates an account of role member or grid without a password: it cannot
 * log in until activated (users_activate). Audited as user.create. */
enum dj_result users_create_pending(db *d, const struct actor *a, const char *username, const char *name, const char *role, int64_t org_id, int64_t *id,
				    struct field_errors *e);
/* Reopens a member's account for a new activation code: active again, with
 * the role and org of the roster record. Audited as user.update. */
enum dj_result users_reopen(db *d, const struct actor *a, int64_t id, const char *name, const char *role, int64_t org_id, struct field_errors *e);
/* Moves a member's account to org_id (a transfer inside the committee): the
 * account stays active and its sessions go on, scoped by the new org from
 * their next request. Audited as user.update. */
enum dj_result users_move_org(db *d, const struct actor *a, int64_t id, int64_t org_id, const char *why, struct field_errors *e);
/* Sets the first password of an account by its activation (the rules of
 * password_refused apply; nor may it contain the phone number); ends any
 * session of the account. Audited as user.activate. */
enum dj_result users_activate(db *d, const struct actor *a, int64_t id, const char *phone, const char *password, struct field_errors *e);
/* Deactivates an account and ends its sessions; why goes into the audit row
 * (user.deactivate). An account already inactive is left as it is. */
enum dj_result users_deactivate(db *d, const struct actor *a, int64_t id, const char *why, struct field_errors *e);

/* Validates the fields of an account; NULL when fine, else the reason. */
const char *users_check_username(const char *username);
const char *users_check_name(const char *name);

#endif
