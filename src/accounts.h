/* accounts — logins for roster members (issue 10 §1): a branch secretary, or
 * the committee within its subtree, gives a member of the roster an account
 * of role member (grid when the duties include 网格员) linked to the roster
 * record (members.user_id), with a one-time activation code; the member sets
 * a password at /activate with the mobile number and the code. The account
 * follows the record: 停止党籍 or a move out of the branch deactivates it.
 * Staff accounts stay the admin's (users.c). Pages: accounts_web.c. */
#ifndef DJ_ACCOUNTS_H
#define DJ_ACCOUNTS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "actor.h"
#include "db.h"
#include "permission.h"
#include "result.h"
#include "valid.h"

/* Permission row: give roster members accounts and activation codes. */
extern const struct permission perm_account_issue;

#define ACTIVATION_TTL (7 * 24 * 3600)
#define ACTIVATION_CODE_LEN 8 /* shown as XXXX-XXXX */

/* What a slip shows, once: the code is not kept anywhere but here. */
struct account_slip {
	int64_t member_id, user_id;
	char name[96];
	char org_name[168];
	char username[64];
	char phone[24];
	char role[16];
	char code[ACTIVATION_CODE_LEN + 2]; /* XXXX-XXXX */
	int64_t expires_at;
};

/* Gives the member an account (account.issue) or, when it has one of role
 * member or grid, a new code for it (older unused codes end; the account is
 * active again with the record's role and org). DJ_NOT_FOUND outside the
 * actor's subtree; DJ_FORBIDDEN for a role that may not; DJ_INVALID (field
 * "phone") without a mobile number; DJ_CONFLICT for 停止党籍, a staff
 * account, or a phone number that another member's account uses. */
enum dj_result account_issue(db *d, const struct actor *a, int64_t member_id, struct account_slip *slip, struct field_errors *e);

/* The same for every member of the 党支部 (and its 党小组) without an
 * account: fn gets each slip, or (slip NULL) the name and the reason of a
 * member left out. *issued counts the slips. DJ_NOT_FOUND for an org outside
 * the subtree, DJ_INVALID when it is not a 党支部. */
enum dj_result account_issue_branch(db *d, const struct actor *a, int64_t org_id,
				    void (*fn)(void *ctx, const struct account_slip *slip, const char *name, const char *why), void *ctx, int *issued,
				    struct field_errors *e);

/* The activation (the actor is the public at its address). password NULL:
 * only checks phone and code, and fills username. Otherwise sets the
 * password and uses the code up. A wrong phone, code, an expired or used code
 * all give the same DJ_INVALID (no hint whether the phone exists); the
 * password's rules give DJ_INVALID with field "password". */
enum dj_result account_activate(db *d, const struct actor *a, const char *phone, const char *code, const char *password, char username[64],
				struct field_errors *e);

/* Called by members.c after a change of a member's status or org, in its
 * transaction: a member account whose member is 停止党籍 or no longer under
 * the account's org is deactivated (user.deactivate) and its codes end.
 * Staff accounts linked to a record are left to the admin. */
enum dj_result account_follow_member(db *d, const struct actor *a, int64_t member_id, struct field_errors *e);

/* "k7qm 4xwp" → "K7QM4XWP"; false when it is not a code's shape. */
bool account_code_normalise(const char *in, char out[ACTIVATION_CODE_LEN + 1]);

#endif
