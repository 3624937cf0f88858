/* notify_web — the inbox of a logged-in user: its pages, its API, and the
 * notify module's record (the overdue check and the outbox run every minute). */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "layout.h"
#include "module.h"
#include "notify.h"
#include "util.h"

static void inbox_page(req *r)
{
	page_begin(r, "消息");
	int64_t unread = db_int1(r->db, 0, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", "I", r->actor.user_id);
	html_printf(&r->out, "<p class=\"lead\">未读 %lld 条。</p>", (long long)unread);
	if (unread)
		html_printf(&r->out, "<form method=\"post\" action=\"/inbox/read\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
				     "<button class=\"btn btn-small\" type=\"submit\">全部标为已读</button></form>",
			    layout_csrf(r));
	db_stmt *s = db_query(r->db,
			      "SELECT n.at, n.text, n.entity, COALESCE(n.entity_id, 0), CASE WHEN n.read_at IS NULL THEN 1 ELSE 0 END "
			      "FROM notifications n WHERE n.user_id = ? ORDER BY n.id DESC LIMIT 100",
			      "I", r->actor.user_id);
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>时间</th><th>内容</th></tr></thead><tbody>");
	int rows = 0;
	while (db_next(s)) {
		char t[20];
		fmt_time(db_int(s, 0), t);
		html_printf(&r->out, "<tr><td>%s</td><td>", t);
		if (db_int(s, 4))
			buf_puts(&r->out, "<span class=\"badge badge-red\">未读</span> ");
		const char *href = entity_href_prefix(db_str(s, 2));
		if (db_int(s, 3) && *href)
			html_printf(&r->out, "<a href=\"%s%lld\">%s</a></td></tr>", href, (long long)db_int(s, 3), db_str(s, 1));
		else
			html_printf(&r->out, "%s</td></tr>", db_str(s, 1));
		rows++;
	}
	db_done(s);
	buf_puts(&r->out, "</tbody></table></div>");
	if (!rows)
		buf_puts(&r->out, "<div class=\"empty\"><p>暂无消息</p></div>");
	page_end(r);
}

static void inbox_read(req *r)
{
	db_run(r->db, "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL", "II", now_unix(), r->actor.user_id);
	req_redirect(r, "/inbox");
}

static void inbox_api(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_kint(&w, "unread", db_int1(r->db, 0, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", "I", r->actor.user_id));
	jw_key(&w, "notifications");
	jw_arr(&w);
	db_stmt *s = db_query(r->db,
			      "SELECT n.at, n.kind, n.text, n.entity, CASE WHEN n.read_at IS NULL THEN 0 ELSE 1 END, COALESCE(n.entity_id, 0) "
			      "FROM notifications n WHERE n.user_id = ? ORDER BY n.id DESC LIMIT 100",
			      "I", r->actor.user_id);
	while (db_next(s)) {
		jw_obj(&w);
		jw_kint(&w, "at", db_int(s, 0));
		jw_kstr(&w, "kind", db_str(s, 1));
		jw_kstr(&w, "text", db_str(s, 2));
		if (db_int(s, 5)) {
			jw_kstr(&w, "entity", db_str(s, 3));
			jw_kint(&w, "entity_id", db_int(s, 5));
			if (!strcmp(db_str(s, 3), "order"))
				jw_kint(&w, "order_id", db_int(s, 5)); /* as before entities: kept for clients */
		}
		jw_kbool(&w, "read", db_int(s, 4) != 0);
		jw_end(&w);
	}
	db_done(s);
	jw_aend(&w);
	jw_end(&w);
}

/* ---- the module record (module.h) ---- */

static const route notify_routes[] = {
	{"GET", "/inbox", inbox_page, R_STAFF | R_MEMBER | R_GRID, 0, 0, "inbox"},
	{"POST", "/inbox/read", inbox_read, R_STAFF | R_MEMBER | R_GRID, 0, 4 * KiB, "inbox_read"},
	{"GET", "/api/v1/inbox", inbox_api, R_STAFF | R_MEMBER | R_GRID, RF_API, 0, "api_inbox"},
};
static const struct nav_entry notify_nav[] = {
	{"/inbox", "消息", R_ADMIN | R_COMMITTEE | R_BRANCH | R_MEMBER | R_GRID, 90},
};
static const struct background_task notify_tasks[] = {
	{"overdue", notify_overdue}, /* tell the branch when an order passes its time limit */
	{"outbox", notify_flush}, /* send the outbox through the adapter */
};
const struct module notify_module = {
	.name = "notify",
	.routes = notify_routes, .routes_n = COUNT_OF(notify_routes),
	.nav = notify_nav, .nav_n = COUNT_OF(notify_nav),
	.tasks = notify_tasks, .tasks_n = COUNT_OF(notify_tasks),
};
