/* audit — the audit log (issue 2 §5): every write, who, when, what, which
 * record, a short before/after. Written by the domain function that makes the
 * change, in its transaction, so a page, the API, the CLI and a background
 * task leave the same row. The page is in audit_web.c. */
#include "audit.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

const struct permission perm_audit_view = {"audit.view", "查看审计日志", R_ADMIN | R_COMMITTEE};

int audit_write(db *d, const struct actor *a, const char *action, const char *entity, int64_t entity_id, int64_t org_id,
		const char *summary)
{
	char sum[600];
	snprintf(sum, sizeof sum, "%s", summary ? summary : "");
	return db_run(d,
		      "INSERT INTO audit (at, user_id, username, ip, action, entity, entity_id, org_id, summary) "
		      "VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?)",
		      "IIttttIIt", /* 0 stands for "none" (an anonymous caller, no record) */
		      now_unix(), a->user_id, a->username, a->ip, action, entity, entity_id, org_id, sum);
}

