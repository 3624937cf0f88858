/* audit_web — the audit log page: readable by admin (everything) and the
 * committee (the entries of its subtree). */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "layout.h"
#include "module.h"
#include "util.h"
#include "web.h"

#define AUDIT_PAGE 50

static void audit_page(req *r)
{
	int64_t page = parse_id(req_query(r, "page"));
	if (page < 1)
		page = 1;
	const char *action = req_query(r, "action");
	if (action && !*action)
		action = NULL;
	/* committee members read the entries of their own subtree; admin reads all */
	const char *prefix = r->actor.role == R_ADMIN ? "/" : r->actor.org_path;
	int64_t total = db_int1(r->db, 0,
				"SELECT COUNT(*) FROM audit a LEFT JOIN orgs o ON o.id = a.org_id "
				"WHERE (o.path LIKE ? || '%' OR (? = '/' AND a.org_id IS NULL)) AND (CAST(? AS TEXT) IS NULL OR a.action = ?)",
				"tttt", prefix, prefix, action, action);
	page_begin(r, "审计日志");
	html_printf(&r->out, "<p class=\"lead\">所有写操作的记录：谁、何时、做了什么、涉及哪条记录。共 %lld 条。</p>", (long long)total);
	html_printf(&r->out, "<form class=\"filters\" method=\"get\" action=\"/audit\"><input name=\"action\" placeholder=\"操作，如 login.fail\" value=\"%s\">"
			     "<button class=\"btn\" type=\"submit\">筛选</button></form>",
		    action ? action : "");
	db_stmt *s = db_query(r->db,
			      "SELECT a.at, a.username, a.ip, a.action, a.entity, a.entity_id, o.name, a.summary "
			      "FROM audit a LEFT JOIN orgs o ON o.id = a.org_id "
			      "WHERE (o.path LIKE ? || '%' OR (? = '/' AND a.org_id IS NULL)) AND (CAST(? AS TEXT) IS NULL OR a.action = ?) "
			      "ORDER BY a.id DESC LIMIT ? OFFSET ?",
			      "ttttII", prefix, prefix, action, action, (int64_t)AUDIT_PAGE, (page - 1) * AUDIT_PAGE);
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>时间</th><th>用户</th><th>地址</th>"
			  "<th>操作</th><th>记录</th><th>组织</th><th>内容</th></tr></thead><tbody>");
	int rows = 0;
	while (db_next(s)) {
		char t[20];
		fmt_time(db_int(s, 0), t);
		html_printf(&r->out, "<tr><td>%s</td><td>%s</td><td>%s</td><td><code>%s</code></td><td>%s", t, db_str(s, 1),
			    db_str(s, 2), db_str(s, 3), db_str(s, 4));
		if (!db_isnull(s, 5) && db_int(s, 5))
			html_printf(&r->out, " #%lld", (long long)db_int(s, 5));
		html_printf(&r->out, "</td><td>%s</td><td>%s</td></tr>", db_str(s, 6), db_str(s, 7));
		rows++;
	}
	db_done(s);
	buf_puts(&r->out, "</tbody></table></div>");
	if (!rows)
		buf_puts(&r->out, "<div class=\"empty\"><p>暂无记录</p></div>");
	int64_t pages = (total + AUDIT_PAGE - 1) / AUDIT_PAGE;
	if (pages > 1) {
		buf_puts(&r->out, "<nav class=\"pager\">");
		if (page > 1)
			html_printf(&r->out, "<a href=\"?page=%lld&amp;action=%s\">上一页</a>", (long long)page - 1, action ? action : "");
		html_printf(&r->out, "<span>第 %lld / %lld 页</span>", (long long)page, (long long)pages);
		if (page < pages)
			html_printf(&r->out, "<a href=\"?page=%lld&amp;action=%s\">下一页</a>", (long long)page + 1, action ? action : "");
		buf_puts(&r->out, "</nav>");
	}
	page_end(r);
}

static const route audit_routes[] = {
	{"GET", "/audit", audit_page, R_ADMIN | R_COMMITTEE, 0, 0, "audit"},
};
static const struct nav_entry audit_nav[] = {
	{"/audit", "审计日志", R_ADMIN | R_COMMITTEE, 80},
};
static const struct permission *const audit_perms[] = {&perm_audit_view};
const struct module audit_module = {
	.name = "audit",
	.routes = audit_routes, .routes_n = COUNT_OF(audit_routes),
	.nav = audit_nav, .nav_n = COUNT_OF(audit_nav),
	.permissions = audit_perms, .permissions_n = COUNT_OF(audit_perms),
};
