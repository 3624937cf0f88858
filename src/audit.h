/* audit — every write recorded: who, when, what, which record, a short before/after. */
#ifndef DJ_AUDIT_H
#define DJ_AUDIT_H
#include <stdint.h>

#include "actor.h"
#include "db.h"
#include "permission.h"
#include "result.h"

/* Permission row: read the audit log (admin everything, committee its subtree). */
extern const struct permission perm_audit_view;

/* Appends an entry in the caller's transaction, so it stands or falls with
 * the write it records. Called by the domain function that makes the change;
 * returns db_run's status, which the caller must look at (fail the change). */
int audit_write(db *d, const struct actor *a, const char *action, const char *entity, int64_t entity_id, int64_t org_id,
		const char *summary) DB_MUST_CHECK;

/* The Chinese label of an action code ("order.action" → "诉求办理"); the
 * code itself when it has none. */
const char *audit_action_label(const char *action);
/* Every action code with its label: code, label pairs, NULL-terminated. */
extern const char *const audit_actions[];

/* The entries the actor may read (perm_audit_view: admin everything, the
 * committee the entries of its subtree), newest first, filtered. */
struct audit_filter {
	const char *action;    /* NULL or "": any; else this exact code */
	const char *q;         /* NULL or "": anything; else found in the username, summary, entity
				 (or "#id" / the id), org name, action code or its label */
	const char *from, *to; /* NULL or "": open; else YYYY-MM-DD, both days included (Beijing time) */
	const char *sort;      /* NULL, "" or "new": newest first; "old": oldest first (DJ_INVALID otherwise) */
	int64_t limit, offset;
};
extern const char *const audit_sorts[]; /* key, label pairs, NULL-terminated */
struct audit_entry {
	int64_t at;
	const char *username, *ip, *action, *entity;
	int64_t entity_id; /* 0: none */
	const char *org_name, *summary;
};
#define AUDIT_COUNT_CAP 10000 /* the total is counted up to this, and one more */
/* DJ_INVALID names the field (from, to) of a date that is not one, or a
 * range that ends before it starts; *total: how many match without the limit. */
enum dj_result audit_list(db *d, const struct actor *a, const struct audit_filter *f, void (*fn)(void *ctx, const struct audit_entry *e), void *ctx,
			  int64_t *total, struct field_errors *e);
/* Writes the filtered log (no limit, at most 100000 rows) to filename as
 * .xlsx (0600), and audits the export itself (audit.export). */
enum dj_result audit_export(db *d, const struct actor *a, const struct audit_filter *f, const char *filename, int64_t *rows, struct field_errors *e);

#endif
