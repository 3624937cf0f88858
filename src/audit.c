/* audit — the audit log (issue 2 §5): every write, who, when, what, which
 * record, a short before/after. Written by the domain function that makes the
 * change, in its transaction, so a page, the API, the CLI and a background
 * task leave the same row. The page is in audit_web.c. */
#include "audit.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

const struct permission perm_audit_view = {"audit.view", "查看审计日志", R_ADMIN | R_COMMITTEE};

int audit_write(db *d, const struct actor *a, const char *action, const char *entity, int64_t entity_id, int64_t org_id, const char *summary)
{
	char sum[600];
	snprintf(sum, sizeof sum, "%s", summary ? summary : "");
	return db_run(d,
		      "INSERT INTO audit (at, user_id, username, ip, action, entity, entity_id, org_id, summary) "
		      "VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?)",
		      "IIttttIIt", /* 0 stands for "none" (an anonymous caller, no record) */
		      now_unix(), a->user_id, a->username, a->ip, action, entity, entity_id, org_id, sum);
}

/* What the actor may read: everything for "/" (no condition: newest first by
 * primary key); else the rows of the orgs of its subtree, a range of
 * orgs.path and the index on audit.org_id, as a list of ids (a plain
 * org_id IN … with ORDER BY id would walk the whole log). Both take the same
 * parameters. */
#define FROM_AUDIT "FROM audit a LEFT JOIN orgs o ON o.id = a.org_id WHERE "
#define VIS_ALL "CAST(? AS TEXT) IS NOT NULL AND CAST(? AS TEXT) IS NOT NULL "
#define VIS_SUBTREE "a.id IN (SELECT id FROM audit WHERE org_id IN (SELECT id FROM orgs WHERE path >= ? AND path < ?)) "
#define ACTION "AND (CAST(? AS TEXT) IS NULL OR a.action = ?) "

int64_t audit_list(db *d, const struct actor *a, const struct audit_filter *f, void (*fn)(void *ctx, const struct audit_entry *e), void *ctx)
{
	if (!permission_allows(&perm_audit_view, a))
		return 0;
	const char *scope = actor_scope(a);
	char lo[256], hi[256];
	snprintf(lo, sizeof lo, "%s", scope);
	snprintf(hi, sizeof hi, "%s", scope);
	if (*hi)
		hi[strlen(hi) - 1]++; /* paths are digits and '/': "/1/4/" covers ["/1/4/", "/1/40") */
	bool all = !strcmp(scope, "/");
	/* counted up to AUDIT_COUNT_CAP + 1: a county's years of rows are not worth counting per view */
	int64_t total = db_int1(d, 0,
				all ? "SELECT COUNT(*) FROM (SELECT a.id " FROM_AUDIT VIS_ALL ACTION "LIMIT ?) x"
				    : "SELECT COUNT(*) FROM (SELECT a.id " FROM_AUDIT VIS_SUBTREE ACTION "LIMIT ?) x",
				"ttttI", lo, hi, f->action, f->action, (int64_t)AUDIT_COUNT_CAP + 1);
	db_stmt *s = db_query(
		d,
		all ? "SELECT a.at, a.username, a.ip, a.action, a.entity, COALESCE(a.entity_id, 0), COALESCE(o.name, ''), a.summary " FROM_AUDIT VIS_ALL
				ACTION "ORDER BY a.id DESC LIMIT ? OFFSET ?"
		    : "SELECT a.at, a.username, a.ip, a.action, a.entity, COALESCE(a.entity_id, 0), COALESCE(o.name, ''), a.summary " FROM_AUDIT
				VIS_SUBTREE ACTION "ORDER BY a.id DESC LIMIT ? OFFSET ?",
		"ttttII", lo, hi, f->action, f->action, f->limit > 0 ? f->limit : 50, f->offset);
	while (db_next(s)) {
		struct audit_entry e = {db_int(s, 0), db_str(s, 1), db_str(s, 2), db_str(s, 3), db_str(s, 4), db_int(s, 5), db_str(s, 6), db_str(s, 7)};
		fn(ctx, &e);
	}
	db_done(s);
	return total;
}
#undef FROM_AUDIT
#undef VIS_ALL
#undef VIS_SUBTREE
#undef ACTION
