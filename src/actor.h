/* actor — who is acting, whatever the door they came in by: a logged-in
 * account (filled once by the session code), the resident on the public
 * site, the command line, or a background task. Every domain function takes
 * one: (db *, const struct actor *, …). */
#ifndef DJ_ACTOR_H
#define DJ_ACTOR_H
#include <stdbool.h>
#include <stdint.h>

#include "roles.h"

struct actor {
	int64_t user_id; /* 0: not an account (public, system, cli) */
	int role;        /* one bit of enum role, or A_PUBLIC, A_SYSTEM */
	int64_t org_id;
	char org_path[256]; /* '/1/4/9/'; "/" for the whole tree */
	char org_name[128];
	char username[64]; /* "cli" on the command line, "" for the public */
	char name[64];
	char label[200]; /* shown in histories: "陈集村党支部 张建国", "群众", "系统" */
	char ip[64];     /* "local" on the command line */
};

/* The resident on the public site, from an address. */
void actor_public(struct actor *a, const char *ip);
/* The system itself: background tasks and auto-close ("系统"). */
void actor_system(struct actor *a);
/* The command line: acts with the whole tree in scope, recorded as 'cli'. */
void actor_cli(struct actor *a);
/* Fills the label from the org and the name of an account actor. */
void actor_set_label(struct actor *a);

/* The org subtree the actor may see: "/" for admin, system and cli, its
 * org's path otherwise, "" (nothing) for the public. */
const char *actor_scope(const struct actor *a);
/* Whether a record of the org at org_path lies inside the actor's subtree. */
bool actor_covers(const struct actor *a, const char *org_path);

#endif
