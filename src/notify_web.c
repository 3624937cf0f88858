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

static void inbox_page(req *r)
{
	page_begin(r, "消息");
	int64_t unread = notify_unread(r->db, r->actor.user_id);
	html_printf(&r->out, "<p class=\"lead\">未读 %lld 条。</p>", (long long)unread);
	if (unread)
		html_printf(&r->out,
			    "<form method=\"post\" action=\"/inbox/read\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
			    "<button class=\"btn btn-small\" type=\"submit\">全部标为已读</button></form>",
			    layout_csrf(r));
	/* newest first, a page at a time by the last id shown (before=) */
	int64_t before = parse_id(req_query(r, "before")), total = notify_count(r->db, r->actor.user_id);
	if (total > NOTIFY_COUNT_CAP)
		html_printf(&r->out, "<p class=\"muted\">共 %d+ 条</p>", NOTIFY_COUNT_CAP);
	else
		html_printf(&r->out, "<p class=\"muted\">共 %lld 条</p>", (long long)total);
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>时间</th><th>内容</th></tr></thead><tbody>");
	struct inbox c = {r, 0, 0};
	notify_page(r->db, r->actor.user_id, before, INBOX_PAGE, inbox_row, &c);
	buf_puts(&r->out, "</tbody></table></div>");
	if (!c.n)
		buf_puts(&r->out, "<div class=\"empty\"><p>暂无消息</p></div>");
	if (before || c.n == INBOX_PAGE) {
		buf_puts(&r->out, "<nav class=\"pager\">");
		if (before)
			buf_puts(&r->out, "<a href=\"/inbox\">最新消息</a>");
		if (c.n == INBOX_PAGE)
			html_printf(&r->out, "<a rel=\"next\" href=\"/inbox?before=%lld\">更早的消息</a>", (long long)c.last_id);
		buf_puts(&r->out, "</nav>");
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
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_kint(&w, "unread", notify_unread(r->db, r->actor.user_id));
	jw_key(&w, "notifications");
	jw_arr(&w);
	/* ?before=<id>&limit=N: the page below that id (default the newest 100) */
	int64_t before = parse_id(req_query(r, "before")), limit = parse_id(req_query(r, "limit"));
	if (limit < 1 || limit > 500)
		limit = 100;
	notify_page(r->db, r->actor.user_id, before, (int)limit, inbox_json, &w);
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
	{"/inbox", "消息", R_ADMIN | R_COMMITTEE | R_BRANCH | R_MEMBER | R_GRID | R_REVIEWER, 90},
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
