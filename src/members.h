/* members — the member roster (花名册) of SPEC M1: fields, validation,
 * duties, dated status history, 双报到, privacy masks. Knows nothing of HTTP;
 * members_web.c holds the pages and the API. */
#ifndef DJ_MEMBERS_H
#define DJ_MEMBERS_H
#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "valid.h"
#include "actor.h"
#include "permission.h"
#include "result.h"

/* Permission rows: see the roster (masked); add and change members, 转正,
 * status changes and imports; read full ID and phone numbers (audited). */
extern const struct permission perm_member_view, perm_member_edit, perm_member_reveal;

struct member {
	int64_t id;
	int64_t org_id;
	int64_t service_org_id; /* 双报到 community, 0 when none */
	char org_code[64];      /* as given by an import or the API; resolved into org_id */
	char service_org[128];  /* code or name of the service community, as given */
	char name[96];
	char gender[8];
	char ethnicity[32];
	char birth_date[11];
	char education[32];
	char id_number[24];
	char phone[24];
	char address[256];
	char join_date[11];
	char full_date[11]; /* "" while 预备 */
	char category[16];  /* full | probationary */
	char status[16];    /* active | retired | mobile | stopped */
	bool in_service;
	char duties[256];   /* 、-separated, e.g. "书记、网格员" */
	char too_long[32];  /* the first field whose given value did not fit; validation reports it */
};

/* Field names, shared by forms, the JSON API and the import's columns. */
extern const char *const member_fields[];

const char *member_category_label(const char *key); /* 正式 / 预备 */
const char *member_status_label(const char *key);   /* 正常 / 离退休 / 流动 / 停止党籍 */
extern const char *const member_duty_list[];        /* NULL-terminated */
extern const char *const member_education_list[];
extern const char *const member_status_keys[];      /* active retired mobile stopped, NULL */

/* Sets one field from text (trimmed; Chinese labels accepted for category,
 * status, in_service, gender). Returns false when the field name is unknown. */
bool member_set(struct member *m, const char *field, const char *value);

/* Normalises and checks every field, and what depends on the database: the
 * org exists and is a 党支部/党小组, the service org is a community, the ID
 * number is not taken by another member (self_id: the member being edited).
 * Every problem goes to errs, named by field. */
void member_validate(db *d, struct member *m, int64_t self_id, struct field_errors *errs);

bool member_load(db *d, int64_t id, struct member *m);

/* The domain functions below check the role and the org subtree of the
 * actor, write in the caller's transaction, keep who acted (a->user_id) in
 * the member's history and leave their audit row (audit_write), so a page,
 * the API and the CLI leave the same trace. A member outside the actor's
 * subtree is DJ_NOT_FOUND; field problems are DJ_INVALID with e filled,
 * named by field (the org under "org_code"). */

/* Adds a member (member.create): validates every field, then the org must
 * lie inside the actor's subtree. *id_out gets the new id. note goes into the
 * 'create' history entry ("新增", "API"). */
enum dj_result member_insert(db *d, const struct actor *a, struct member *m, const char *note, int64_t *id_out,
			     struct field_errors *e);
/* Changes before (as loaded) into after (member.update), each change that
 * matters to the record's story as a dated history entry. Validates after;
 * its org must lie inside the actor's subtree; after->org_code is set from
 * after->org_id. */
enum dj_result member_update(db *d, const struct actor *a, const struct member *before, struct member *after,
			     struct field_errors *e);

/* 转正, 离退休, 流动, 停止党籍, back to 正常: a dated change of category or
 * status, checked against the current state (member.full, member.status).
 * kind: "full" or "status"; to: a status key for "status". */
enum dj_result member_change(db *d, const struct actor *a, int64_t id, const char *kind, const char *to, const char *date,
			     const char *note, struct field_errors *e);

/* The explicit reading of a member's full ID and phone numbers and address
 * (member.reveal): the member must be visible to the actor (DJ_NOT_FOUND),
 * and the actor's role may read full numbers of its own subtree's members
 * (DJ_FORBIDDEN). why: the audit summary; NULL for the member's name. */
enum dj_result member_reveal(db *d, const struct actor *a, int64_t id, const char *why, struct member *out,
			     struct field_errors *e);

/* Whether the actor may see the member: its org, or for an in-service
 * member the community it registered with (双报到), lies in the subtree. */
bool member_visible(db *d, const struct actor *a, const struct member *m);
/* Whether the org lies inside the actor's subtree. */
bool member_org_covered(db *d, const struct actor *a, int64_t org_id);

/* Writes a validated member with its duties and a 'create' history entry by
 * a->user_id, without the checks and without an audit row: for the importer,
 * which audits the whole file once (member.import), and the demo data.
 * Returns the id or 0. */
int64_t member_write(db *d, const struct actor *a, const struct member *m, const char *note);

#endif
