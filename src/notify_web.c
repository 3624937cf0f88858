/* notify_web — the inbox of a logged-in user: its pages, its API, and the
 * notify module's record (the overdue check and the outbox run every minute). */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "layout.h"
#include "module.h"
#include "notify.h"
#include "util.h"
#include "web.h"

struct inbox {
	req *r;
	int n;
	int64_t last_id;
};

static void inbox_row(void *ctx, const struct notification *n)
{
	struct inbox *c = ctx;
	req *r = c->r;
	char t[20];
	fmt_time(n->at, t);
	html_printf(&r->out, "<tr><td data-label=\"时间\">%s</td><td data-label=\"内容\">", t);
	if (!n->read)
		buf_puts(&r->out, "<span class=\"badge badge-red\">未读</span> ");
	/* through /inbox/:id, which marks it read on the way to its record */
	const char *href = entity_href_prefix(n->entity);
	if ((n->entity_id && *href) || !n->read)
		html_printf(&r->out, "<a href=\"/inbox/%lld\">%s</a></td></tr>", (long long)n->id, n->text);
	else
		html_printf(&r->out, "%s</td></tr>", n->text);
	c->n++;
	c->last_id = n->id;
}

#define INBOX_PAGE 30

/* The inbox's filter from the query: q, unread=1, sort=old, and the cursor
 * (before= when newest first, after= when oldest first). False (after
 * answering 422 naming the field) for a sort that is not one. */
static bool inbox_filter(req *r, struct notify_filter *f)
{
	memset(f, 0, sizeof *f);
	const char *sort = req_query(r, "sort"), *unread = req_query(r, "unread");
	if (sort && *sort && strcmp(sort, "new") && strcmp(sort, "old")) {
		struct field_errors e = {0};
		ferr_add(&e, "sort", "排序方式应为“最新在前”或“最早在前”");
		req_fail(r, DJ_INVALID, &e);
		return false;
	}
	f->oldest = sort && !strcmp(sort, "old");
	f->unread = unread && !strcmp(unread, "1");
	f->q = req_query(r, "q");
	f->cursor = parse_id(req_query(r, f->oldest ? "after" : "before"));
	return true;
}

/* The filter as a query string for the pager ("&q=…&unread=1&sort=old"). */
static void inbox_query(buf *b, const struct notify_filter *f)
{
	if (f->q && *f->q) {
		buf_puts(b, "&q=");
		url_encode(b, f->q);
	}
	if (f->unread)
		buf_puts(b, "&unread=1");
	if (f->oldest)
		buf_puts(b, "&sort=old");
}

static void inbox_page(req *r)
{
	struct notify_filter f;
	if (!inbox_filter(r, &f))
		return;
	page_begin(r, "消息");
	int64_t unread = notify_unread(r->db, r->actor.user_id);
	html_printf(&r->out, "<p class=\"lead\">未读 %lld 条。</p>", (long long)unread);
	if (unread)
		html_printf(&r->out,
			    "<form method=\"post\" action=\"/inbox/read\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
			    "<button class=\"btn btn-small\" type=\"submit\">全部标为已读</button></form>",
			    layout_csrf(r));
	html_printf(&r->out,
		    "<form class=\"filters\" method=\"get\" action=\"/inbox\"><label class=\"sr-only\" for=\"f-q\">检索消息</label>"
		    "<input id=\"f-q\" name=\"q\" type=\"search\" placeholder=\"查询码或消息内容\" value=\"%s\">",
		    f.q ? f.q : "");
	html_printf(&r->out, "<label class=\"check\"><input type=\"checkbox\" name=\"unread\" value=\"1\"%s> 只看未读</label>",
		    f.unread ? " checked" : "");
	html_printf(&r->out,
		    "<label class=\"sr-only\" for=\"f-sort\">排序</label><select id=\"f-sort\" name=\"sort\"><option value=\"new\"%s>最新在前</option>"
		    "<option value=\"old\"%s>最早在前</option></select><button class=\"btn\" type=\"submit\">查询</button></form>",
		    f.oldest ? "" : " selected", f.oldest ? " selected" : "");
	bool filtered = f.unread || (f.q && *f.q);
	int64_t total = filtered ? notify_count_filtered(r->db, r->actor.user_id, &f) : notify_count(r->db, r->actor.user_id);
	if (total > NOTIFY_COUNT_CAP)
		html_printf(&r->out, "<p class=\"muted\" id=\"inbox-total\">共 %d+ 条</p>", NOTIFY_COUNT_CAP);
	else
		html_printf(&r->out, "<p class=\"muted\" id=\"inbox-total\">共 %lld 条</p>", (long long)total);
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>时间</th><th>内容</th></tr></thead><tbody>");
	struct inbox c = {r, 0, 0};
	notify_page_filtered(r->db, r->actor.user_id, &f, INBOX_PAGE, inbox_row, &c);
	buf_puts(&r->out, "</tbody></table></div>");
	if (!c.n)
		buf_puts(&r->out, filtered ? "<div class=\"empty\"><p>没有符合条件的消息</p></div>" : "<div class=\"empty\"><p>暂无消息</p></div>");
	if (f.cursor || c.n == INBOX_PAGE) {
		buf q = {0};
		inbox_query(&q, &f);
		buf_puts(&r->out, "<nav class=\"pager\">");
		if (f.cursor) /* the first page of the same filter: the query without its leading & */
			html_printf(&r->out, "<a href=\"/inbox%s%s\">%s</a>", q.len ? "?" : "", q.len ? buf_str(&q) + 1 : "",
				    f.oldest ? "最早的消息" : "最新消息");
		if (c.n == INBOX_PAGE)
			html_printf(&r->out, "<a rel=\"next\" href=\"/inbox?%s=%lld%s\">%s</a>", f.oldest ? "after" : "before", (long long)c.last_id,
				    buf_str(&q), f.oldest ? "更新的消息" : "更早的消息");
		buf_puts(&r->out, "</nav>");
		buf_free(&q);
	}
	page_end(r);
}

static void inbox_read(req *r)
{
	if (notify_mark_all_read(r->db, r->actor.user_id, now_unix()) != DB_OK) {
		req_error(r, 503, "db", "保存失败，请稍后再试");
		return;
	}
	req_redirect(r, "/inbox");
}

/* Opening a message marks it read and goes on to the record it is about
 * (the inbox when it is about none). */
static void inbox_open(req *r)
{
	char entity[32];
	int64_t entity_id;
	enum dj_result res = notify_open(r->db, r->actor.user_id, req_param_id(r, "id"), now_unix(), entity, &entity_id);
	if (res != DJ_OK) {
		struct field_errors e = {0};
		if (res == DJ_NOT_FOUND)
			dj_fail(&e, res, "消息不存在");
		req_fail(r, res, &e);
		return;
	}
	const char *href = entity_href_prefix(entity);
	char loc[96];
	if (entity_id && *href)
		snprintf(loc, sizeof loc, "%s%lld", href, (long long)entity_id);
	else
		snprintf(loc, sizeof loc, "/inbox");
	req_redirect(r, loc);
}

static void inbox_json(void *ctx, const struct notification *n)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "at", n->at);
	jw_kint(w, "id", n->id);
	jw_kstr(w, "kind", n->kind);
	jw_kstr(w, "text", n->text);
	if (n->entity_id) {
		jw_kstr(w, "entity", n->entity);
		jw_kint(w, "entity_id", n->entity_id);
		if (!strcmp(n->entity, "order"))
			jw_kint(w, "order_id", n->entity_id); /* the name before entities: kept for clients */
	}
	jw_kbool(w, "read", n->read);
	jw_end(w);
}

static void inbox_api(req *r)
{
	struct notify_filter f;
	if (!inbox_filter(r, &f))
		return;
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_kint(&w, "unread", notify_unread(r->db, r->actor.user_id));
	jw_key(&w, "notifications");
	jw_arr(&w);
	/* ?before=<id>&limit=N: the page below that id (default the newest 100);
	 * q, unread=1, sort=old (with after=<id>) as on the page */
	int64_t limit = parse_id(req_query(r, "limit"));
	if (limit < 1 || limit > 500)
		limit = 100;
	notify_page_filtered(r->db, r->actor.user_id, &f, (int)limit, inbox_json, &w);
	jw_aend(&w);
	jw_end(&w);
}

/* ---- the module record (module.h) ---- */

static const route notify_routes[] = {
	{"GET", "/inbox", inbox_page, R_STAFF | R_MEMBER | R_GRID | R_REVIEWER, 0, 0, "inbox"},
	{"GET", "/inbox/:id", inbox_open, R_STAFF | R_MEMBER | R_GRID | R_REVIEWER, RF_WRITE, 0, "inbox_open"},
	{"POST", "/inbox/read", inbox_read, R_STAFF | R_MEMBER | R_GRID | R_REVIEWER, 0, 4 * KiB, "inbox_read"},
	{"GET", "/api/v1/inbox", inbox_api, R_STAFF | R_MEMBER | R_GRID | R_REVIEWER, RF_API, 0, "api_inbox"},
};
static const struct nav_entry notify_nav[] = {
	{"/inbox", "消息", R_ADMIN | R_COMMITTEE | R_BRANCH | R_MEMBER | R_GRID | R_REVIEWER, 90, NAV_TOP},
};
static const struct background_task notify_tasks[] = {
	{"overdue", notify_overdue}, /* tell the branch when an order passes its time limit */
	{"outbox", notify_flush},    /* send the outbox through the adapter */
};
const struct module notify_module = {
	.name = "notify",
	.routes = notify_routes,
	.routes_n = COUNT_OF(notify_routes),
	.nav = notify_nav,
	.nav_n = COUNT_OF(notify_nav),
	.tasks = notify_tasks,
	.tasks_n = COUNT_OF(notify_tasks),
};
