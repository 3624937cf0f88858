/* wishes — the public micro-wish wall (微心愿, SPEC M2): open wishes that a
 * member can claim; the claim (the table's "claim") is the assignment. */
#include "wishes.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "json.h"
#include "layout.h"
#include "util.h"

#define OPEN_WISHES                                                                                      \
	"SELECT o.id, o.code, o.content, g.name, o.created_at, o.state FROM orders o JOIN orgs g ON g.id = o.org_id " \
	"WHERE o.kind = 'wish' AND o.state IN ('submitted', 'accepted') ORDER BY o.created_at DESC LIMIT 100"

void wishes_page(req *r)
{
	page_begin(r, "微心愿墙");
	buf_puts(&r->out, "<p class=\"lead\">群众的小心愿，党员来认领。心愿实现后，许愿人可在查询页确认评价。</p>");
	db_stmt *s = db_query(r->db, OPEN_WISHES, "");
	int n = 0;
	bool member = r->logged_in && r->actor.role == R_MEMBER;
	buf_puts(&r->out, "<div class=\"tiles wishes\">");
	while (db_next(s)) {
		char t[20];
		fmt_time(db_int(s, 4), t);
		html_printf(&r->out, "<div class=\"card wish\"><p>%s</p><p class=\"muted\">%s · %.10s</p>", db_str(s, 2), db_str(s, 3), t);
		if (member)
			html_printf(&r->out, "<form method=\"post\" action=\"/wishes/%lld/claim\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
					     "<button class=\"btn btn-primary btn-small\" type=\"submit\">我来认领</button></form>",
				    (long long)db_int(s, 0), layout_csrf(r));
		buf_puts(&r->out, "</div>");
		n++;
	}
	db_done(s);
	buf_puts(&r->out, "</div>");
	if (!n)
		buf_puts(&r->out, "<div class=\"empty\"><p>目前的心愿都已有人认领，谢谢大家！</p></div>");
	else if (!member)
		buf_puts(&r->out, "<p class=\"muted\">党员请<a href=\"/login?next=%2Fwishes\">登录</a>后认领。</p>");
	page_end(r);
}

void wishes_claim(req *r)
{
	int64_t id = req_param_id(r, "id");
	char label[200];
	snprintf(label, sizeof label, "%s %s", r->actor.org_name, r->actor.name);
	struct order_actor who = {R_MEMBER, r->actor.user_id, label, r->actor.org_path};
	struct order_act a = {0};
	struct field_errors e = {0};
	int status;
	/* a member may claim the wishes of the whole town, not only its branch's */
	who.scope_path = "/";
	const char *why = order_apply(r->db, id, "claim", &a, &who, now_unix(), &status, &e);
	if (why) {
		req_error(r, status == 422 ? 409 : status, "claim", why);
		return;
	}
	flash_set(r, "ok", "认领成功，请尽快联系许愿人帮助实现心愿");
	req_redirect(r, "/wishes");
}

void wishes_api(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "wishes");
	jw_arr(&w);
	db_stmt *s = db_query(r->db, OPEN_WISHES, "");
	while (db_next(s)) {
		jw_obj(&w);
		jw_kint(&w, "id", db_int(s, 0));
		jw_kstr(&w, "content", db_str(s, 2));
		jw_kstr(&w, "org_name", db_str(s, 3));
		jw_kint(&w, "created_at", db_int(s, 4));
		jw_end(&w);
	}
	db_done(s);
	jw_aend(&w);
	jw_end(&w);
}
