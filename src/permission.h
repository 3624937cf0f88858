/* permission — one row of the permission table: an action on a mechanism's
 * records and the roles that may take it. A mechanism declares its rows in
 * its own header and lists them in its module record; authorize() (auth.h)
 * adds the check that the record lies inside the caller's org subtree. */
#ifndef DJ_PERMISSION_H
#define DJ_PERMISSION_H
#include <stdbool.h>

#include "actor.h"

struct permission {
	const char *key;   /* "member.reveal" */
	const char *label; /* "查看完整身份证号和手机号（留痕）" */
	int roles;         /* a mask of enum role */
};

/* Whether the actor's role may take the action (the org scope is separate). */
static inline bool permission_allows(const struct permission *p, const struct actor *a) { return p && (p->roles & a->role) != 0; }

#endif
