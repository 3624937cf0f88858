/* members — the member roster (花名册) of SPEC M1: fields, validation,
 * duties, dated status history, 双报到, privacy masks. Knows nothing of HTTP;
 * members_web.c holds the pages and the API. */
#ifndef DJ_MEMBERS_H
#define DJ_MEMBERS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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
	char status[16];    /* active | retired | mobile | stopped | transferred (转出: to an org outside the county) */
	bool in_service;
	char duties[256];  /* 、-separated, e.g. "书记、网格员" */
	char too_long[32]; /* the first field whose given value did not fit; validation reports it */
};

/* Field names, shared by forms, the JSON API and the import's columns. */
extern const char *const member_fields[];

const char *member_category_label(const char *key); /* 正式 / 预备 */
const char *member_status_label(const char *key);   /* 正常 / 离退休 / 流动 / 停止党籍 / 转出 */
extern const char *const member_duty_list[];        /* NULL-terminated */
extern const char *const member_education_list[];
extern const char *const member_status_keys[]; /* active retired mobile stopped transferred, NULL */

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
enum dj_result member_insert(db *d, const struct actor *a, struct member *m, const char *note, int64_t *id_out, struct field_errors *e);
/* Changes before (as loaded) into after (member.update), each change that
 * matters to the record's story as a dated history entry. Validates after;
 * its org must lie inside the actor's subtree; after->org_code is set from
 * after->org_id. */
enum dj_result member_update(db *d, const struct actor *a, const struct member *before, struct member *after, struct field_errors *e);

/* 转正, 离退休, 流动, 停止党籍, back to 正常: a dated change of category or
 * status, checked against the current state (member.full, member.status).
 * kind: "full" or "status"; to: a status key for "status". */
enum dj_result member_change(db *d, const struct actor *a, int64_t id, const char *kind, const char *to, const char *date, const char *note,
			     struct field_errors *e);

/* 转出: the member's relation has gone to an org outside the county (the
 * receipt of the letter came back; transfers.c): the status transferred, its
 * history row and audit, the account deactivated. member_change refuses it. */
enum dj_result member_transfer_out(db *d, const struct actor *a, int64_t id, const char *date, const char *note, struct field_errors *e);

/* The explicit reading of a member's full ID and phone numbers and address
 * (member.reveal): the member must be visible to the actor (DJ_NOT_FOUND),
 * and the actor's role may read full numbers of its own subtree's members
 * (DJ_FORBIDDEN). why: the audit summary; NULL for the member's name. */
enum dj_result member_reveal(db *d, const struct actor *a, int64_t id, const char *why, struct member *out, struct field_errors *e);

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

/* ---- the account of a roster member (issue 10 §1; accounts.c) ---- */

/* The account linked to the member (members.user_id), 0 when none, -1 when
 * the database failed. */
int64_t member_account_of(db *d, int64_t member_id);
/* The member an account is linked to, 0 when none (the other way round). */
int64_t member_of_account(db *d, int64_t user_id);
/* Links an account to the member (no check: accounts.c has made them). */
enum dj_result member_link_account(db *d, int64_t member_id, int64_t user_id, struct field_errors *e);
/* Up to max ids of the active accounts linked to members with this phone
 * number, but the member skip_member; returns how many, -1 when the
 * database failed. */
int member_accounts_by_phone(db *d, const char *phone, int64_t skip_member, int64_t *ids, int max);
/* The members of the subtree at path without an account, not 停止党籍, in
 * the roster's order: a malloc'd array of ids (free it), *n its length;
 * NULL when the database failed. */
int64_t *member_ids_without_account(db *d, const char *path, size_t *n);

/* ---- reading the roster ---- */

/* The list of a roster page and of GET /api/v1/members: the members of an
 * org subtree (or, registered, the in-service members registered with it:
 * 双报到), narrowed by filters. */
struct roster_query {
	const char *prefix;                   /* org subtree (the org's path); must lie inside the actor's */
	bool registered;                      /* in-service members registered with the subtree instead of its own members */
	const char *q;                        /* name part, or last 4 of ID or phone; NULL: any */
	const char *status, *category, *duty; /* NULL: any */
	int in_service;                       /* -1 any */
	const char *sort;                     /* name | join_date | birth_date | org (anything else: org) */
	int64_t limit, offset;
};
/* One row of the list; the strings live until the callback returns. Full
 * numbers: the caller masks them. */
struct member_row {
	int64_t id;
	const char *name, *gender, *birth_date, *ethnicity, *education, *id_number, *phone;
	const char *org_code, *org_name, *category, *status;
	bool in_service;
	const char *service_org_code, *service_org_name; /* "" when none */
	const char *join_date, *full_date;               /* full_date "" while 预备 */
	int64_t duties;                                  /* how many duties (member_duties_each lists them) */
};
/* Calls fn for each row of the page the query asks for, in the order of
 * q->sort; *total gets the number of rows that match without the limit.
 * DJ_NOT_FOUND when the subtree is not the actor's (or the role may not see
 * the roster), DJ_DB_ERROR when the reading failed. */
enum dj_result member_roster(db *d, const struct actor *a, const struct roster_query *q, void (*fn)(void *ctx, const struct member_row *m), void *ctx,
			     int64_t *total);

/* The members whose own org is in the subtree of prefix ("/" all), whatever
 * their status or category, from the counts per org the database keeps
 * (migration 043's triggers); failed when the reading failed. The roster's
 * unfiltered total and the dashboard's 党员 figure. */
int64_t member_count_under(db *d, const char *prefix, int64_t failed);
/* `dangjian check`: org_member_counts against a recount of the members;
 * prints each difference to out, returns how many (-1 when unreadable). */
int member_counts_check(db *d, FILE *out);

/* One entry of a member's history, as the detail page shows it. */
struct member_event {
	const char *date, *kind, *from, *to, *note;
	const char *by_name; /* "" when no account acted */
};
/* A member's history, newest first, without the readings of full numbers
 * (those are in the audit log). */
void member_history_each(db *d, int64_t id, void (*fn)(void *ctx, const struct member_event *ev), void *ctx);
/* A member's duties, in the order of their names. */
void member_duties_each(db *d, int64_t id, void (*fn)(void *ctx, const char *duty), void *ctx);

/* The dashboard's figures of the roster (members_figures.c, issue 17). */
struct figure_scope;
int64_t member_fig_members(db *d, const struct figure_scope *s);
int64_t member_fig_probationary(db *d, const struct figure_scope *s);
void member_href_members(const struct figure_scope *s, char *out, size_t n);
void member_href_probationary(const struct figure_scope *s, char *out, size_t n);

#endif
