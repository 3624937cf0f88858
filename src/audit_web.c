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

struct rows {
	buf out; /* the table's rows, written before the page that counts them */
	int n;
};

static void audit_row(void *ctx, const struct audit_entry *e)
{
	struct rows *c = ctx;
	char t[20];
	fmt_time(e->at, t);
	html_printf(&c->out, "<tr><td>%s</td><td>%s</td><td>%s</td><td><code>%s</code></td><td>%s", t, e->username, e->ip, e->action, e->entity);
	if (e->entity_id)
		html_printf(&c->out, " #%lld", (long long)e->entity_id);
	html_printf(&c->out, "</td><td>%s</td><td>%s</td></tr>", e->org_name, e->summary);
	c->n++;
}

static void audit_page(req *r)
{
	int64_t page = parse_id(req_query(r, "page"));
	if (page < 1)
		page = 1;
	const char *action = req_query(r, "action");
	if (action && !*action)
		action = NULL;
	/* committee members read the entries of their own subtree; admin reads all */
	struct audit_filter f = {action, AUDIT_PAGE, (page - 1) * AUDIT_PAGE};
	struct rows c = {{0}, 0};
	int64_t total = audit_list(r->db, &r->actor, &f, audit_row, &c);
	page_begin(r, "审计日志");
	bool capped = total > AUDIT_COUNT_CAP;
	if (capped)
		html_printf(&r->out, "<p class=\"lead\">所有写操作的记录：谁、何时、做了什么、涉及哪条记录。共 %d+ 条。</p>", AUDIT_COUNT_CAP);
	else
		html_printf(&r->out, "<p class=\"lead\">所有写操作的记录：谁、何时、做了什么、涉及哪条记录。共 %lld 条。</p>", (long long)total);
	html_printf(&r->out,
		    "<form class=\"filters\" method=\"get\" action=\"/audit\"><input name=\"action\" placeholder=\"操作，如 login.fail\" value=\"%s\">"
		    "<button class=\"btn\" type=\"submit\">筛选</button></form>",
		    action ? action : "");
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>时间</th><th>用户</th><th>地址</th>"
			  "<th>操作</th><th>记录</th><th>组织</th><th>内容</th></tr></thead><tbody>");
	buf_append(&r->out, c.out.p ? c.out.p : "", c.out.len);
	buf_free(&c.out);
	buf_puts(&r->out, "</tbody></table></div>");
	if (!c.n)
		buf_puts(&r->out, "<div class=\"empty\"><p>暂无记录</p></div>");
	/* past the counted rows the pages go on while they are full */
	int64_t pages = capped ? page + (c.n == AUDIT_PAGE) : (total + AUDIT_PAGE - 1) / AUDIT_PAGE;
	if (pages > 1) {
		buf_puts(&r->out, "<nav class=\"pager\">");
		if (page > 1)
			html_printf(&r->out, "<a href=\"?page=%lld&amp;action=%s\">上一页</a>", (long long)page - 1, action ? action : "");
		if (capped)
			html_printf(&r->out, "<span>第 %lld 页</span>", (long long)page);
		else
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
	.routes = audit_routes,
	.routes_n = COUNT_OF(audit_routes),
	.nav = audit_nav,
	.nav_n = COUNT_OF(audit_nav),
	.permissions = audit_perms,
	.permissions_n = COUNT_OF(audit_perms),
};
