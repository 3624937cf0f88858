/* notify — who hears of what happens to an order: the branch of a new
 * order, the committee of an escalated one, whoever is assigned, the branch
 * when a time limit passes. Messages wait in the outbox, in the same
 * transaction as the change, until the background task sends them. */
#include "notify.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "json.h"
#include "layout.h"
#include "util.h"
#include "module.h"

static int log_send(const char *recipient, const char *text)
{
	fprintf(stderr, "dangjian: notify to %s: %s\n", recipient, text);
	return 0;
}

static const struct notify_adapter log_adapter = {"log", log_send};
const struct notify_adapter *notify_adapter = &log_adapter;

void notify_user(db *d, int64_t user_id, const char *kind, int64_t order_id, const char *text, int64_t now)
{
	if (!user_id)
		return;
	db_run(d, "INSERT INTO notifications (user_id, at, kind, order_id, text) VALUES (?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?)",
	       "IItIt", user_id, now, kind, order_id, text);
	db_run(d, "INSERT INTO outbox (at, channel, recipient, text) SELECT ?, ?, username, ? FROM users WHERE id = ?", "Itti", now,
	       notify_adapter->name, text, (int)user_id);
}

static void notify_query(db *d, db_stmt *s, const char *kind, int64_t order_id, const char *text, int64_t now)
{
	int64_t ids[64];
	int n = 0;
	while (db_next(s) && n < 64)
		ids[n++] = db_int(s, 0);
	db_done(s);
	for (int i = 0; i < n; i++)
		notify_user(d, ids[i], kind, order_id, text, now);
}

void notify_org_role(db *d, int64_t org_id, const char *role, const char *kind, int64_t order_id, const char *text, int64_t now)
{
	notify_query(d, db_query(d, "SELECT id FROM users WHERE org_id = ? AND role = ? AND active = 1", "It", org_id, role), kind,
		     order_id, text, now);
}

void notify_committee_above(db *d, int64_t org_id, const char *kind, int64_t order_id, const char *text, int64_t now)
{
	notify_query(d,
		     db_query(d,
			      "SELECT u.id FROM users u JOIN orgs c ON c.id = u.org_id, orgs o WHERE o.id = ? AND u.role = 'committee' "
			      "AND u.active = 1 AND o.path LIKE c.path || '%'",
			      "I", org_id),
		     kind, order_id, text, now);
}

int notify_overdue(db *d, int64_t now)
{
	int64_t ids[128], orgs[128];
	char codes[128][24];
	int n = 0;
	db_stmt *s = db_query(d,
			      "SELECT id, org_id, code FROM orders WHERE state NOT IN ('closed', 'rejected', 'withdrawn', 'delivered') "
			      "AND due_at < ? AND overdue_notified = 0 ORDER BY id LIMIT 128",
			      "I", now);
	while (db_next(s) && n < 128) {
		ids[n] = db_int(s, 0);
		orgs[n] = db_int(s, 1);
		snprintf(codes[n], sizeof codes[n], "%s", db_str(s, 2));
		n++;
	}
	db_done(s);
	for (int i = 0; i < n; i++) {
		char text[160];
		snprintf(text, sizeof text, "诉求 %.23s 已超过办理时限，请尽快处理", codes[i]);
		notify_org_role(d, orgs[i], "branch", "overdue", ids[i], text, now);
		db_run(d, "UPDATE orders SET overdue_notified = 1 WHERE id = ?", "I", ids[i]);
	}
	return n;
}

int notify_flush(db *d, int64_t now)
{
	int64_t ids[256];
	char rcpt[256][64], text[256][200];
	int n = 0, sent = 0;
	db_stmt *s = db_query(d, "SELECT id, recipient, text FROM outbox WHERE status = 'pending' AND channel = ? ORDER BY id LIMIT 256",
			      "t", notify_adapter->name);
	while (db_next(s) && n < 256) {
		ids[n] = db_int(s, 0);
		snprintf(rcpt[n], sizeof rcpt[n], "%s", db_str(s, 1));
		snprintf(text[n], sizeof text[n], "%s", db_str(s, 2));
		n++;
	}
	db_done(s);
	for (int i = 0; i < n; i++) {
		bool ok = notify_adapter->send(rcpt[i], text[i]) == 0;
		db_run(d,
		       "UPDATE outbox SET status = CASE WHEN ? = 1 THEN 'sent' WHEN attempts >= 4 THEN 'failed' ELSE 'pending' END, "
		       "attempts = attempts + 1, sent_at = CASE WHEN ? = 1 THEN ? ELSE sent_at END WHERE id = ?",
		       "iiII", ok ? 1 : 0, ok ? 1 : 0, now, ids[i]);
		sent += ok;
	}
	return sent;
}

void inbox_page(req *r)
{
	page_begin(r, "消息");
	int64_t unread = db_int1(r->db, 0, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", "I", r->actor.user_id);
	html_printf(&r->out, "<p class=\"lead\">未读 %lld 条。</p>", (long long)unread);
	if (unread)
		html_printf(&r->out, "<form method=\"post\" action=\"/inbox/read\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
				     "<button class=\"btn btn-small\" type=\"submit\">全部标为已读</button></form>",
			    layout_csrf(r));
	db_stmt *s = db_query(r->db,
			      "SELECT n.at, n.text, COALESCE(n.order_id, 0), CASE WHEN n.read_at IS NULL THEN 1 ELSE 0 END FROM notifications n "
			      "WHERE n.user_id = ? ORDER BY n.id DESC LIMIT 100",
			      "I", r->actor.user_id);
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>时间</th><th>内容</th></tr></thead><tbody>");
	int rows = 0;
	while (db_next(s)) {
		char t[20];
		fmt_time(db_int(s, 0), t);
		html_printf(&r->out, "<tr><td>%s</td><td>", t);
		if (db_int(s, 3))
			buf_puts(&r->out, "<span class=\"badge badge-red\">未读</span> ");
		if (db_int(s, 2))
			html_printf(&r->out, "<a href=\"/orders/%lld\">%s</a></td></tr>", (long long)db_int(s, 2), db_str(s, 1));
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

void inbox_read(req *r)
{
	db_run(r->db, "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL", "II", now_unix(), r->actor.user_id);
	req_redirect(r, "/inbox");
}

void inbox_api(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_kint(&w, "unread", db_int1(r->db, 0, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", "I", r->actor.user_id));
	jw_key(&w, "notifications");
	jw_arr(&w);
	db_stmt *s = db_query(r->db,
			      "SELECT n.at, n.kind, n.text, COALESCE(o.code, ''), CASE WHEN n.read_at IS NULL THEN 0 ELSE 1 END, COALESCE(n.order_id, 0) "
			      "FROM notifications n LEFT JOIN orders o ON o.id = n.order_id WHERE n.user_id = ? ORDER BY n.id DESC LIMIT 100",
			      "I", r->actor.user_id);
	while (db_next(s)) {
		jw_obj(&w);
		jw_kint(&w, "at", db_int(s, 0));
		jw_kstr(&w, "kind", db_str(s, 1));
		jw_kstr(&w, "text", db_str(s, 2));
		if (db_int(s, 5))
			jw_kint(&w, "order_id", db_int(s, 5));
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
