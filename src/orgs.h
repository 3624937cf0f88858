/* orgs — the org tree of SPEC §1/M1: 县委 → 镇党委 → 党总支 → 党支部 → 党小组
 * (and 部门 under a 镇党委). The domain: rules, create, edit, move, dissolve,
 * history, the permission rows. It knows nothing of HTTP; the pages and API
 * handlers in orgs_web.c authorise, call it and render. */
#ifndef DJ_ORGS_H
#define DJ_ORGS_H
#include <stdbool.h>
#include <stdint.h>

#include <stddef.h>

#include "actor.h"
#include "db.h"
#include "permission.h"
#include "result.h"
#include "valid.h"

/* Permission rows: see the tree of one's subtree; create, edit, move, dissolve. */
extern const struct permission perm_org_view, perm_org_manage;

/* Limits of the fields, in characters (code points). */
#define ORG_CODE_MIN 2
#define ORG_CODE_MAX 32
#define ORG_NAME_MAX 40
#define ORG_SECRETARY_MAX 20
#define ORG_SERVES_MAX 200

struct org {
	int64_t id;
	int64_t parent_id; /* 0: a root (only a 县委) */
	char code[40];     /* stable: [A-Za-z0-9-], 2–32 */
	char name[168];
	char type[16]; /* county committee general branch group dept */
	char kind[24]; /* 农村 社区 机关 企业 学校 社会组织, or "" */
	char secretary[88];
	char serves[808]; /* villages/communities served, 、-separated */
	char phone[24];
	char path[256];       /* '/1/4/9/' */
	char parent_code[40]; /* filled by org_load */
	int64_t created_at;
	int64_t dissolved_at; /* 0 while active */
	char too_long[32];    /* the first field whose given value did not fit */
};

extern const char *const org_type_keys[]; /* county … dept, NULL */
extern const char *const org_kind_list[]; /* 农村 … 社会组织, NULL */

const char *org_type_label(const char *type); /* "branch" → "党支部" */
/* Whether an org of type may sit under a parent of parent_type (NULL or "": no parent). */
bool org_type_fits(const char *type, const char *parent_type);
/* The types an org of parent_type may hold, written for a message: "党总支、党支部或部门". */
const char *org_children_label(const char *parent_type);
/* Whether an org of this type may hold any children at all (not a 党小组 or a 部门). */
bool org_type_has_children(const char *type);
bool org_code_valid(const char *code);
bool org_kind_valid(const char *kind);   /* one of the six, or "" */
bool org_phone_valid(const char *phone); /* "" or a mobile or landline number */

/* Sets one field from text, trimmed; type also takes its Chinese label.
 * Returns false when the field name is unknown. */
bool org_set(struct org *o, const char *field, const char *value);
/* The checks that need no database: formats and lengths of every field
 * (code and type only when creating, as they never change afterwards). */
void org_check(const struct org *o, bool creating, struct field_errors *e);

bool org_load(db *d, int64_t id, struct org *o);
/* The orgs whose path begins with prefix (actor_scope(), or an org's path),
 * in tree order: a parent before its subtree, siblings oldest first. "" holds
 * nothing. The caller frees the array. */
struct org *orgs_under(db *d, const char *prefix, bool with_dissolved, size_t *n);
/* The direct children of an org in their order; the caller frees the array. */
struct org *org_children(db *d, int64_t id, bool with_dissolved, size_t *n);
/* How many of its direct children are dissolved. */
int64_t org_dissolved_children(db *d, int64_t id);

/* One row of an org's history: what changed, from → to, and who did it. */
struct org_change {
	int64_t at;
	char kind[16]; /* create rename move dissolve edit */
	char from[816], to[816];
	char note[256];
	char by_username[64], by_name[128]; /* "" when no account acted (the demo, the CLI) */
};
/* The history of an org, oldest first; the caller frees the array. */
struct org_change *org_history_load(db *d, int64_t id, size_t *n);

/* Writes: each checks the actor (perm_org_manage, and that the orgs it acts
 * on lie inside actor_scope(): outside looks like absent), checks the rules,
 * writes one org_history row per change with a->user_id and one audit row
 * (org.create, org.update, org.move, org.dissolve), and leaves the
 * transaction to the caller. Errors go to e by field: code name type kind
 * secretary serves phone parent, or _form for what belongs to no field. */
/* Creates o under o->parent_id (0: a root, only for a whole-tree actor): the
 * code is unused, the parent exists, is not dissolved and may hold o's type.
 * Sets o->id and o->path. */
enum dj_result org_create(db *d, const struct actor *a, struct org *o, struct field_errors *e);
/* Changes name, kind, secretary, serves and phone from before to after. */
enum dj_result org_update(db *d, const struct actor *a, const struct org *before, const struct org *after, struct field_errors *e);
/* Moves an org with its whole subtree under new_parent (not itself, not a
 * descendant, a type that fits); the paths of all of them change at once. */
enum dj_result org_move(db *d, const struct actor *a, int64_t id, int64_t new_parent, struct field_errors *e);
/* Dissolves an org that has no active children, no members and no active
 * users (DJ_CONFLICT names what is still there). */
enum dj_result org_dissolve(db *d, const struct actor *a, int64_t id, struct field_errors *e);

/* Creates an org under parent_id (0: a root) without the checks nor an audit
 * row: for the demo and tests. Returns its id or 0. */
int64_t orgs_create(db *d, int64_t parent_id, const char *code, const char *name, const char *type, const char *kind);
int64_t orgs_id_by_code(db *d, const char *code);

/* The orgs of one type in a subtree, not dissolved, in tree order
 * (malloc'd; orgs_figures.c), and the dashboard's figure of the branches. */
struct org *orgs_of_type(db *d, const char *prefix, const char *type, size_t *n);
struct figure_scope;
int64_t org_fig_branches(db *d, const struct figure_scope *s);
void org_href_branches(const struct figure_scope *s, char *out, size_t n);

#endif
