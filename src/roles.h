/* roles — who may act (SPEC §1), as bits so that a route, a permission or a
 * row of a state table can name several at once. */
#ifndef DJ_ROLES_H
#define DJ_ROLES_H

enum role {
	R_ADMIN = 1 << 0,
	R_COMMITTEE = 1 << 1,
	R_BRANCH = 1 << 2,
	R_MEMBER = 1 << 3,
	R_GRID = 1 << 4,
	R_REVIEWER = 1 << 5,
};
#define R_PUBLIC 0 /* no login needed */
#define R_ANY (R_ADMIN | R_COMMITTEE | R_BRANCH | R_MEMBER | R_GRID | R_REVIEWER)
#define R_STAFF (R_ADMIN | R_COMMITTEE | R_BRANCH)

/* Callers that are not accounts: the resident on the public site, and the
 * system itself (background tasks). They appear in state tables beside the roles. */
#define A_PUBLIC (1 << 8)
#define A_SYSTEM (1 << 9)

const char *role_key(int role);   /* "branch"; "public", "system" for the two callers */
const char *role_label(int role); /* "支部书记" */
int role_from_key(const char *k); /* 0 when unknown */

#endif
