/* export_web — the roster's .xlsx download: the org of ?org=CODE (default the
 * caller's own), masked unless full=1; export_members() checks, writes and audits. */
#include "export_web.h"

#include <stdio.h>
#include <string.h>

#include "export.h"
#include "members.h"
#include "orgs_web.h"
#include "util.h"
#include "web.h"

struct roster_download {
	req *r;
	int64_t org;
	bool masked;
};

static enum dj_result write_roster(const char *path, void *ctx, struct field_errors *e)
{
	struct roster_download *x = ctx;
	int rows = 0;
	return export_members(x->r->db, &x->r->actor, x->org, x->masked, path, &rows, e);
}

void export_page_members(req *r)
{
	struct org_ref o;
	int64_t org = orgs_from_request(r, req_query(r, "org"), &perm_member_view, &o);
	if (!org)
		return;
	const char *full = req_query(r, "full");
	/* the file holds full numbers on ?full=1: req_send_download leaves nothing on disk */
	struct roster_download x = {r, org, !(full && !strcmp(full, "1"))};
	char ascii[96], name[256];
	snprintf(ascii, sizeof ascii, "members-%s.xlsx", o.code);
	snprintf(name, sizeof name, "%s-花名册.xlsx", o.name);
	req_send_download(r, write_roster, &x, XLSX_TYPE, ascii, name);
}
