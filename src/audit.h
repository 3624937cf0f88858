/* audit — every write recorded: who, when, what, which record, a short before/after. */
#ifndef DJ_AUDIT_H
#define DJ_AUDIT_H
#include <stdint.h>

#include "actor.h"
#include "db.h"
#include "permission.h"

/* Permission row: read the audit log (admin everything, committee its subtree). */
extern const struct permission perm_audit_view;

/* Appends an entry in the caller's transaction, so it stands or falls with
 * the write it records. Called by the domain function that makes the change;
 * returns db_run's status, which the caller must look at (fail the change). */
int audit_write(db *d, const struct actor *a, const char *action, const char *entity, int64_t entity_id, int64_t org_id,
		const char *summary) DB_MUST_CHECK;

/* The entries the actor may read (perm_audit_view: admin everything, the
 * committee the entries of its subtree), newest first; returns how many match
 * without the limit. */
struct audit_filter {
	const char *action; /* NULL: any */
	int64_t limit, offset;
};
struct audit_entry {
	int64_t at;
	const char *username, *ip, *action, *entity;
	int64_t entity_id; /* 0: none */
	const char *org_name, *summary;
};
#define AUDIT_COUNT_CAP 10000 /* the total is counted up to this, and one more */
int64_t audit_list(db *d, const struct actor *a, const struct audit_filter *f, void (*fn)(void *ctx, const struct audit_entry *e), void *ctx);

#endif
