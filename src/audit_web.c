/* audit_web — the audit log page: readable by admin (everything) and the
 * committee (the entries of its subtree); labels in Chinese, free-text and
 * date filters, paging, and the filtered log as .xlsx (itself audited). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	html_printf(&c->out, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s<br><code class=\"muted\">%s</code></td><td>%s", t, e->username, e->ip,
		    audit_action_label(e->action), e->action, e->entity);
	if (e->entity_id)
		html_printf(&c->out, " #%lld", (long long)e->entity_id);
	html_printf(&c->out, "</td><td>%s</td><td>%s</td></tr>", e->org_name, e->summary);
	c->n++;
}

/* The filter of the request's query. */
static void filter_of(req *r, struct audit_filter *f)
{
	memset(f, 0, sizeof *f);
	f->action = req_query(r, "action");
	f->q = req_query(r, "q");
	f->from = req_query(r, "from");
	f->to = req_query(r, "to");
	f->sort = req_query(r, "sort");
}

/* The filter as a query string (without page), for the pager and the export link. */
static void filter_query(buf *b, const struct audit_filter *f)
{
	const char *keys[] = {"q", "action", "from", "to", "sort"};
	const char *vals[] = {f->q, f->action, f->from, f->to, f->sort};
	for (int i = 0; i < 5; i++)
		if (vals[i] && *vals[i]) {
			buf_printf(b, "&%s=", keys[i]);
			url_encode(b, vals[i]);
		}
}

static void audit_page(req *r)
{
	int64_t page = parse_id(req_query(r, "page"));
	if (page < 1)
		page = 1;
	/* committee members read the entries of their own subtree; admin reads all */
	struct audit_filter f;
	filter_of(r, &f);
	f.limit = AUDIT_PAGE;
	f.offset = (page - 1) * AUDIT_PAGE;
	struct rows c = {{0}, 0};
	int64_t total = 0;
	struct field_errors e = {0};
	enum dj_result res = audit_list(r->db, &r->actor, &f, audit_row, &c, &total, &e);
	if (res != DJ_OK && res != DJ_INVALID) {
		buf_free(&c.out);
		req_fail(r, res, &e);
		return;
	}
	if (res == DJ_INVALID)
		form_errors_add(r, &e);
	page_begin(r, "审计日志");
	bool capped = total > AUDIT_COUNT_CAP;
	if (capped)
		html_printf(&r->out, "<p class=\"lead\">所有写操作和敏感查看的记录：谁、何时、做了什么、涉及哪条记录。共 %d+ 条。</p>", AUDIT_COUNT_CAP);
	else
		html_printf(&r->out, "<p class=\"lead\">所有写操作和敏感查看的记录：谁、何时、做了什么、涉及哪条记录。共 %lld 条。</p>", (long long)total);
	html_printf(&r->out,
		    "<form class=\"filters\" method=\"get\" action=\"/audit\">"
		    "<div class=\"field\"><label for=\"f-q\">检索</label><input id=\"f-q\" name=\"q\" type=\"search\" value=\"%s\" "
		    "placeholder=\"用户名、内容、记录、操作\"></div>",
		    f.q ? f.q : "");
	buf_puts(&r->out,
		 "<div class=\"field\"><label for=\"f-action\">操作</label><select id=\"f-action\" name=\"action\"><option value=\"\">全部操作</option>");
	for (const char *const *p = audit_actions; *p; p += 2)
		html_printf(&r->out, "<option value=\"%s\"%s>%s</option>", p[0], f.action && !strcmp(f.action, p[0]) ? " selected" : "", p[1]);
	buf_puts(&r->out, "</select></div>");
	const char *names[] = {"from", "to"}, *labels[] = {"开始日期", "结束日期"}, *vals[] = {f.from, f.to};
	for (int i = 0; i < 2; i++) {
		const char *err = form_error_for(r, names[i]);
		html_printf(&r->out, "<div class=\"field%s\"><label for=\"f-%s\">%s</label><input id=\"f-%s\" name=\"%s\" type=\"date\" value=\"%s\"",
			    err ? " has-error" : "", names[i], labels[i], names[i], names[i], vals[i] ? vals[i] : "");
		buf_puts(&r->out, err ? " aria-invalid=\"true\">" : ">"); /* html_printf would escape the attribute */
		if (err)
			html_printf(&r->out, "<p class=\"field-error\" id=\"e-%s\">%s</p>", names[i], err);
		buf_puts(&r->out, "</div>");
	}
	const char *serr = form_error_for(r, "sort");
	html_printf(&r->out, "<div class=\"field%s\"><label for=\"f-sort\">排序</label><select id=\"f-sort\" name=\"sort\">", serr ? " has-error" : "");
	for (const char *const *p = audit_sorts; *p; p += 2)
		html_printf(&r->out, "<option value=\"%s\"%s>%s</option>", p[0], f.sort && !strcmp(f.sort, p[0]) ? " selected" : "", p[1]);
	buf_puts(&r->out, "</select>");
	if (serr)
		html_printf(&r->out, "<p class=\"field-error\" id=\"e-sort\">%s</p>", serr);
	buf_puts(&r->out, "</div>");
	buf query = {0};
	filter_query(&query, &f);
	html_printf(&r->out,
		    "<div class=\"form-actions\"><button class=\"btn btn-primary\" type=\"submit\">筛选</button>"
		    "<a class=\"btn\" href=\"/audit/export?x=1%s\">导出 Excel</a></div></form>",
		    buf_str(&query));
	if (res == DJ_INVALID) {
		r->status = 422;
		buf_free(&c.out);
		buf_free(&query);
		page_end(r);
		return;
	}
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
			html_printf(&r->out, "<a href=\"?page=%lld%s\">上一页</a>", (long long)page - 1, buf_str(&query));
		if (capped)
			html_printf(&r->out, "<span>第 %lld 页</span>", (long long)page);
		else
			html_printf(&r->out, "<span>第 %lld / %lld 页</span>", (long long)page, (long long)pages);
		if (page < pages)
			html_printf(&r->out, "<a href=\"?page=%lld%s\">下一页</a>", (long long)page + 1, buf_str(&query));
		buf_puts(&r->out, "</nav>");
	}
	buf_free(&query);
	page_end(r);
}

/* The filtered log as .xlsx, written in a private directory (mkdtemp: 0700),
 * opened, removed at once and streamed from the descriptor (as the roster
 * export does). The export is on the audit log itself. */
static void audit_export_page(req *r)
{
	struct audit_filter f;
	filter_of(r, &f);
	const char *tmpdir = getenv("TMPDIR");
	char dir[512], path[600];
	snprintf(dir, sizeof dir, "%s/dj-audit-XXXXXX", tmpdir && *tmpdir && strlen(tmpdir) < 400 ? tmpdir : "/tmp");
	if (!mkdtemp(dir)) {
		fprintf(stderr, "dangjian: audit export: cannot create a directory: %s\n", strerror(errno));
		req_error(r, 503, "io", "导出失败，请稍后再试");
		return;
	}
	snprintf(path, sizeof path, "%s/audit.xlsx", dir);
	struct field_errors e = {0};
	int64_t rows = 0;
	enum dj_result res = audit_export(r->db, &r->actor, &f, path, &rows, &e);
	int fd = res == DJ_OK ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	struct stat st;
	bool open_ok = fd >= 0 && fstat(fd, &st) == 0;
	unlink(path);
	rmdir(dir);
	if (res != DJ_OK) {
		if (fd >= 0)
			close(fd);
		req_fail(r, res, &e);
		return;
	}
	if (!open_ok) {
		if (fd >= 0)
			close(fd);
		r->failed = true;
		req_error(r, 503, "io", "导出失败，请稍后再试");
		return;
	}
	req_send_fd(r, fd, (uint64_t)st.st_size);
	r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	req_set_header(r, "Content-Disposition", "attachment; filename=\"audit.xlsx\"; filename*=UTF-8''%E5%AE%A1%E8%AE%A1%E6%97%A5%E5%BF%97.xlsx");
}

static const route audit_routes[] = {
	{"GET", "/audit", audit_page, R_ADMIN | R_COMMITTEE, 0, 0, "audit"},
	{"GET", "/audit/export", audit_export_page, R_ADMIN | R_COMMITTEE, RF_WRITE, 0, "audit_export"},
};
static const struct nav_entry audit_nav[] = {
	{"/audit", "审计日志", R_ADMIN | R_COMMITTEE, 80, NAV_SYSTEM},
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
