/* members — the member roster (花名册) of SPEC M1: fields, validation,
 * duties, dated status history, 双报到, privacy masks. Knows nothing of HTTP;
 * members_web.c holds the pages and the API. */
#ifndef DJ_MEMBERS_H
#define DJ_MEMBERS_H
#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "valid.h"
#include "permission.h"

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

/* Writes a validated member with its duties and a 'create' history entry; returns the id or 0. */
int64_t member_insert(db *d, const struct member *m, int64_t by_user, const char *note);
/* Writes the changes from before to after, each as a dated history entry. */
int member_update(db *d, const struct member *before, const struct member *after, int64_t by_user);
bool member_load(db *d, int64_t id, struct member *m);

/* 转正, 离退休, 流动, 停止党籍, back to 正常: a dated change of category or
 * status, checked against the current state. kind: "full" or "status".
 * Returns NULL on success or the reason. */
const char *member_change(db *d, int64_t id, const char *kind, const char *to, const char *date, const char *note,
			  int64_t by_user);

#endif
