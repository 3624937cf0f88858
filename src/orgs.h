/* orgs — the org tree of SPEC §1/M1: 县委 → 镇党委 → 党总支 → 党支部 → 党小组
 * (and 部门 under a 镇党委). The domain part (rules, create, edit, move,
 * dissolve, history) knows nothing of HTTP; the pages and API handlers at
 * the end of orgs.c authorise, call it and render. */
#ifndef DJ_ORGS_H
#define DJ_ORGS_H
#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "server.h"
#include "valid.h"
#include "permission.h"

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
	int64_t parent_id;     /* 0: a root (only a 县委) */
	char code[40];         /* stable: [A-Za-z0-9-], 2–32 */
	char name[168];
	char type[16];         /* county committee general branch group dept */
	char kind[24];         /* 农村 社区 机关 企业 学校 社会组织, or "" */
	char secretary[88];
	char serves[808];      /* villages/communities served, 、-separated */
	char phone[24];
	char path[256];        /* '/1/4/9/' */
	char parent_code[40];  /* filled by org_load */
	int64_t created_at;
	int64_t dissolved_at;  /* 0 while active */
	char too_long[32];     /* the first field whose given value did not fit */
};

/* What a write came to: the API maps these to 200/201, 422, 409, 503. */
enum org_result { ORG_OK = 0, ORG_INVALID, ORG_CONFLICT, ORG_DBERR };

extern const char *const org_type_keys[]; /* county … dept, NULL */
extern const char *const org_kind_list[]; /* 农村 … 社会组织, NULL */

const char *org_type_label(const char *type); /* "branch" → "党支部" */
/* Whether an org of type may sit under a parent of parent_type (NULL or "": no parent). */
bool org_type_fits(const char *type, const char *parent_type);
/* The types an org of parent_type may hold, written for a message: "党总支、党支部或部门". */
const char *org_children_label(const char *parent_type);
bool org_code_valid(const char *code);
bool org_kind_valid(const char *kind); /* one of the six, or "" */
bool org_phone_valid(const char *phone); /* "" or a mobile or landline number */

/* Sets one field from text, trimmed; type also takes its Chinese label.
 * Returns false when the field name is unknown. */
bool org_set(struct org *o, const char *field, const char *value);
/* The checks that need no database: formats and lengths of every field
 * (code and type only when creating, as they never change afterwards). */
void org_check(const struct org *o, bool creating, struct field_errors *e);

bool org_load(db *d, int64_t id, struct org *o);

/* Writes: each checks the rules, writes one org_history row per change with
 * by_user, and leaves the transaction and the audit log to the caller.
 * Errors go to e by field: code name type kind secretary serves phone parent,
 * or _form for what belongs to no field. */
/* Creates o under o->parent_id: the code is unused, the parent exists, is
 * not dissolved and may hold o's type. Sets o->id and o->path. */
enum org_result org_create(db *d, struct org *o, int64_t by_user, struct field_errors *e);
/* Changes name, kind, secretary, serves and phone from before to after. */
enum org_result org_update(db *d, const struct org *before, const struct org *after, int64_t by_user, struct field_errors *e);
/* Moves an org with its whole subtree under new_parent (not itself, not a
 * descendant, a type that fits); the paths of all of them change at once. */
enum org_result org_move(db *d, int64_t id, int64_t new_parent, int64_t by_user, struct field_errors *e);
/* Dissolves an org that has no active children, no members and no active
 * users (ORG_CONFLICT names what is still there). */
enum org_result org_dissolve(db *d, int64_t id, int64_t by_user, struct field_errors *e);

/* Creates an org under parent_id (0: a root) without the checks: for the
 * demo and tests. Returns its id or 0. */
int64_t orgs_create(db *d, int64_t parent_id, const char *code, const char *name, const char *type, const char *kind);
int64_t orgs_id_by_code(db *d, const char *code);

/* The org a request names with ?org=CODE (default: the caller's own), if the
 * caller may take action a on it; fills its path, name and code. Otherwise
 * answers 404 — another subtree looks like nothing — and returns 0. */
struct org_ref {
	int64_t id;
	char path[256], name[128], code[64];
};
int64_t orgs_from_request(req *r, const char *code, const struct permission *action, struct org_ref *o);
/* A <select> of the orgs inside the caller's subtree. */
void orgs_form_select(req *r, const char *name, const char *label, const char *selected);

/* pages */
void orgs_page_list(req *r);
void orgs_page_detail(req *r);
void orgs_page_new(req *r);
void orgs_page_edit(req *r);
void orgs_page_move(req *r);
void orgs_page_dissolve(req *r);
/* API */
void orgs_api_list(req *r);
void orgs_api_detail(req *r);
void orgs_api_create(req *r);
void orgs_api_patch(req *r);

#endif
