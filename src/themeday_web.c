/* themeday_web — the pages and API of the theme party day around the lessons
 * (SPEC M4, issue 14): the monthly film lists, a film's page where the
 * branch records a screening and a member writes a reflection on the phone,
 * the monthly plans with the compliance table and 催办, and the report with
 * its .xlsx. Thin: the rules and SQL are in themeday.c (and lessons.c). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "json.h"
#include "layout.h"
#include "lessons.h"
#include "lessons_web.h"
#include "module.h"
#include "orders.h"
#include "orgs.h"
#include "orgs_web.h"
#include "themeday.h"
#include "util.h"
#include "web.h"

static int64_t org_by_code(req *r, const char *code, struct field_errors *e)
{
	if (!code || !*code)
		return 0;
	int64_t id = orgs_id_by_code(r->db, code);
	if (!id)
		ferr_add(e, "org", "组织不存在");
	return id;
}

static void answer_id(req *r, int status, const char *key, int64_t id)
{
	req_json_begin(r, status);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_kint(&w, key, id);
	jw_end(&w);
}

/* ---- API: films ---- */

static void film_json(void *ctx, const struct film *f)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "id", f->id);
	jw_kstr(w, "title", f->title);
	jw_kstr(w, "kind", f->kind);
	jw_kstr(w, "kind_label", f->kind_label);
	jw_kstr(w, "url", f->url);
	jw_kint(w, "screenings", f->screenings);
	jw_kint(w, "reflections", f->reflections);
	jw_end(w);
}

struct list_ctx {
	req *r;
	jw *w;
	int n;
};
static void list_json(void *ctx, const struct film_list *l)
{
	struct list_ctx *c = ctx;
	jw_obj(c->w);
	jw_kint(c->w, "id", l->id);
	jw_kstr(c->w, "month", l->month);
	jw_kstr(c->w, "org_name", l->org_name);
	jw_kstr(c->w, "notice", l->notice);
	jw_key(c->w, "films");
	jw_arr(c->w);
	films_each(c->r->db, l->id, film_json, c->w);
	jw_aend(c->w);
	jw_end(c->w);
	c->n++;
}

static void api_film_lists(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "lists");
	jw_arr(&w);
	struct list_ctx c = {r, &w, 0};
	film_lists_each(r->db, &r->actor, list_json, &c);
	jw_aend(&w);
	jw_end(&w);
}

static const struct json_field list_fields[] = {
	{"month", "月份", true, 's', NULL}, {"notice", "观看预告", false, 's', NULL}, {"org", "发布单位", false, 's', NULL}, {NULL, NULL, false, 0, NULL}};

static void api_film_list_create(req *r)
{
	const char *month = NULL, *notice = NULL, *org = NULL;
	if (!req_json_unpack(r, list_fields, false, "{s:s, s?s, s?s}", "month", &month, "notice", &notice, "org", &org))
		return;
	struct field_errors e = {0};
	int64_t org_id = org_by_code(r, org, &e), id = 0;
	enum dj_result res = e.n ? DJ_INVALID : film_list_create(r->db, &r->actor, org_id, month, notice, now_unix(), &id, &e);
	if (res != DJ_OK)
		req_fail(r, res, &e);
	else
		answer_id(r, 201, "id", id);
}

static const struct json_field film_fields[] = {
	{"title", "片名", true, 's', NULL}, {"kind", "类别", true, 's', NULL}, {"url", "观看链接", true, 's', NULL}, {NULL, NULL, false, 0, NULL}};

static void api_film_create(req *r)
{
	const char *title = NULL, *kind = NULL, *url = NULL;
	if (!req_json_unpack(r, film_fields, false, "{s:s, s:s, s:s}", "title", &title, "kind", &kind, "url", &url))
		return;
	struct field_errors e = {0};
	int64_t id = 0;
	enum dj_result res = film_add(r->db, &r->actor, req_param_id(r, "id"), title, kind, url, now_unix(), &id, &e);
	if (res != DJ_OK)
		req_fail(r, res, &e);
	else
		answer_id(r, 201, "id", id);
}

static const struct json_field screening_fields[] = {{"date", "观看日期", true, 's', NULL},
						     {"place", "观看地点", true, 's', NULL},
						     {"attendees", "观看人数", true, 'I', NULL},
						     {"org", "支部", false, 's', NULL},
						     {NULL, NULL, false, 0, NULL}};

static void api_screening_create(req *r)
{
	const char *date = NULL, *place = NULL, *org = NULL;
	json_int_t n = 0;
	if (!req_json_unpack(r, screening_fields, false, "{s:s, s:s, s:I, s?s}", "date", &date, "place", &place, "attendees", &n, "org", &org))
		return;
	struct field_errors e = {0};
	int64_t org_id = org_by_code(r, org, &e), id = 0;
	enum dj_result res = e.n ? DJ_INVALID : screening_add(r->db, &r->actor, req_param_id(r, "id"), org_id, date, place, n, now_unix(), &id, &e);
	if (res != DJ_OK)
		req_fail(r, res, &e);
	else
		answer_id(r, 201, "id", id);
}

static const struct json_field reflection_fields[] = {{"body", "观后感", true, 's', NULL}, {NULL, NULL, false, 0, NULL}};

static void api_reflection_create(req *r)
{
	const char *body = NULL;
	if (!req_json_unpack(r, reflection_fields, false, "{s:s}", "body", &body))
		return;
	struct field_errors e = {0};
	int64_t id = 0;
	enum dj_result res = reflection_add(r->db, &r->actor, req_param_id(r, "id"), body, now_unix(), &id, &e);
	if (res != DJ_OK)
		req_fail(r, res, &e);
	else
		answer_id(r, 201, "id", id);
}

static void reflection_json(void *ctx, const struct reflection *x)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "id", x->id);
	jw_kint(w, "film_id", x->film_id);
	jw_kstr(w, "film_title", x->film_title);
	jw_kint(w, "member_id", x->member_id);
	jw_kstr(w, "member_name", x->member_name);
	jw_kstr(w, "org_name", x->org_name);
	jw_kstr(w, "body", x->body);
	jw_kbool(w, "shared", x->shared);
	jw_kint(w, "created_at", x->created_at);
	jw_end(w);
}

static void api_reflections(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "reflections");
	jw_arr(&w);
	reflections_each(r->db, &r->actor, parse_id(req_query(r, "film")), reflection_json, &w);
	jw_aend(&w);
	jw_end(&w);
}

static const struct json_field share_fields[] = {{"shared", "分享", true, 'b', NULL}, {NULL, NULL, false, 0, NULL}};

static void api_reflection_share(req *r)
{
	int shared = 0;
	if (!req_json_unpack(r, share_fields, false, "{s:b}", "shared", &shared))
		return;
	struct field_errors e = {0};
	enum dj_result res = reflection_share(r->db, &r->actor, req_param_id(r, "id"), shared != 0, &e);
	if (res != DJ_OK)
		req_fail(r, res, &e);
	else
		answer_id(r, 200, "id", req_param_id(r, "id"));
}

static const struct json_field practice_fields[] = {
	{"title", "实践活动", true, 's', NULL}, {"date", "活动日期", true, 's', NULL}, {"participants", "参加人数", true, 'I', NULL},
	{"note", "说明", false, 's', NULL},     {"org", "支部", false, 's', NULL},     {NULL, NULL, false, 0, NULL}};

static void api_practice_create(req *r)
{
	const char *title = NULL, *date = NULL, *note = NULL, *org = NULL;
	json_int_t n = 0;
	if (!req_json_unpack(r, practice_fields, false, "{s:s, s:s, s:I, s?s, s?s}", "title", &title, "date", &date, "participants", &n, "note", &note,
			     "org", &org))
		return;
	struct field_errors e = {0};
	int64_t org_id = org_by_code(r, org, &e), id = 0;
	enum dj_result res = e.n ? DJ_INVALID : practice_add(r->db, &r->actor, org_id, title, date, n, note, now_unix(), &id, &e);
	if (res != DJ_OK)
		req_fail(r, res, &e);
	else
		answer_id(r, 201, "id", id);
}

/* ---- API: plans ---- */

static const struct json_field plan_fields[] = {{"month", "月份", true, 's', NULL},      {"org", "支部", false, 's', NULL},
						{"lesson", "一课", true, 's', NULL},     {"film", "一片", true, 's', NULL},
						{"practice", "一实践", true, 's', NULL}, {NULL, NULL, false, 0, NULL}};

static void api_plan_create(req *r)
{
	const char *month = NULL, *org = NULL, *t[3] = {NULL, NULL, NULL};
	if (!req_json_unpack(r, plan_fields, false, "{s:s, s?s, s:s, s:s, s:s}", "month", &month, "org", &org, "lesson", &t[0], "film", &t[1], "practice",
			     &t[2]))
		return;
	struct field_errors e = {0};
	int64_t org_id = org_by_code(r, org, &e), id = 0;
	enum dj_result res = e.n ? DJ_INVALID : plan_create(r->db, &r->actor, org_id, month, t, now_unix(), &id, &e);
	if (res != DJ_OK)
		req_fail(r, res, &e);
	else
		answer_id(r, 201, "id", id);
}

static const struct json_field part_fields[] = {
	{"kind", "记录类型", true, 's', NULL}, {"id", "记录编号", true, 'I', NULL}, {"title", "记录名称", false, 's', NULL}, {NULL, NULL, false, 0, NULL}};

static void api_plan_complete(req *r)
{
	const char *kind = NULL, *title = NULL;
	json_int_t ref = 0;
	if (!req_json_unpack(r, part_fields, false, "{s:s, s:I, s?s}", "kind", &kind, "id", &ref, "title", &title))
		return;
	struct field_errors e = {0};
	enum dj_result res = plan_complete(r->db, &r->actor, req_param_id(r, "id"), req_param(r, "part"), kind, ref, title, now_unix(), &e);
	if (res != DJ_OK)
		req_fail(r, res, &e);
	else
		answer_id(r, 200, "id", req_param_id(r, "id"));
}

static void plan_row_json(void *ctx, const struct plan_row *row)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "org_id", row->org_id);
	jw_kstr(w, "org_code", row->org_code);
	jw_kstr(w, "org_name", row->org_name);
	jw_kstr(w, "month", row->month);
	jw_key(w, "plan_id");
	if (row->plan_id)
		jw_int(w, row->plan_id);
	else
		jw_null(w);
	for (int p = 0; p < 3; p++) {
		jw_key(w, plan_parts[p]);
		jw_obj(w);
		jw_kbool(w, "planned", row->part[p].planned);
		jw_kbool(w, "done", row->part[p].done);
		jw_kstr(w, "title", row->part[p].title);
		if (row->part[p].done) {
			jw_kstr(w, "kind", row->part[p].done_kind);
			jw_kint(w, "id", row->part[p].done_id);
			jw_kstr(w, "record", row->part[p].done_title);
			jw_kbool(w, "auto", row->part[p].automatic);
		}
		jw_end(w);
	}
	jw_kbool(w, "gap", row->gap);
	jw_end(w);
}

static void api_compliance(req *r)
{
	struct field_errors e = {0};
	struct org_ref o;
	if (!orgs_from_request(r, req_query(r, "org"), &perm_org_view, &o))
		return;
	const char *prefix = o.path;
	buf rows = {0};
	jw w;
	jw_init(&w, &rows);
	jw_arr(&w);
	int64_t n, gaps;
	enum dj_result res = plan_compliance(r->db, &r->actor, prefix, req_query(r, "from"), req_query(r, "to"), plan_row_json, &w, &n, &gaps, &e);
	jw_aend(&w);
	if (res != DJ_OK) {
		buf_free(&rows);
		req_fail(r, res, &e);
		return;
	}
	req_json_begin(r, 200);
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "rows");
	buf_puts(&r->out, buf_str(&rows));
	w.need_comma[w.depth] = true;
	buf_free(&rows);
	jw_kint(&w, "total", n);
	jw_kint(&w, "gaps", gaps);
	jw_end(&w);
}

static const struct json_field chase_fields[] = {{"month", "月份", true, 's', NULL}, {NULL, NULL, false, 0, NULL}};

static void api_chase(req *r)
{
	const char *month = NULL;
	if (!req_json_unpack(r, chase_fields, false, "{s:s}", "month", &month))
		return;
	struct field_errors e = {0};
	int64_t n = 0;
	enum dj_result res = plan_chase(r->db, &r->actor, month, now_unix(), &n, &e);
	if (res != DJ_OK)
		req_fail(r, res, &e);
	else
		answer_id(r, 200, "chased", n);
}

/* ---- API: the report ---- */

static void stats_json(jw *w, const struct themeday_stats *st)
{
	const struct lesson_stats *l = &st->lessons;
	jw_kint(w, "lessons", l->lessons);
	jw_kint(w, "orders", l->orders);
	jw_key(w, "orders_by_state");
	jw_obj(w);
	for (int i = 0; lesson_states[i]; i++)
		jw_kint(w, lesson_states[i], l->by_state[i]);
	jw_end(w);
	jw_kint(w, "deliveries", l->deliveries);
	jw_kint(w, "attendance", l->attendance);
	jw_kint(w, "members_present", l->present);
	jw_kint(w, "others", l->others);
	jw_kint(w, "speakers", l->speakers);
	jw_kint(w, "rated", l->rated);
	jw_kint(w, "film_lists", st->film_lists);
	jw_kint(w, "films", st->films);
	jw_kint(w, "screenings", st->screenings);
	jw_kint(w, "screening_attendance", st->screening_attendance);
	jw_kint(w, "reflections", st->reflections);
	jw_kint(w, "practices", st->practices);
	jw_kint(w, "plans", st->plans);
	jw_kint(w, "plans_complete", st->plans_complete);
}

static void api_stats(req *r)
{
	struct field_errors e = {0};
	struct report_q q;
	if (!lessons_report_query(r, &perm_org_view, &q, &e)) {
		if (e.n)
			req_fail(r, DJ_INVALID, &e);
		return;
	}
	struct themeday_stats st;
	themeday_stats_compute(r->db, q.org.path, q.t0, q.t1, &st);
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_kstr(&w, "org", q.org.code);
	jw_kstr(&w, "from", q.from);
	jw_kstr(&w, "to", q.to);
	stats_json(&w, &st);
	jw_end(&w);
}

struct export_ctx {
	req *r;
	const char *prefix, *from, *to;
};
static enum dj_result write_report(const char *path, void *ctx, struct field_errors *e)
{
	struct export_ctx *x = ctx;
	return themeday_export(x->r->db, &x->r->actor, x->prefix, x->from, x->to, path, e);
}

static void page_export(req *r)
{
	struct org_ref o;
	if (!orgs_from_request(r, req_query(r, "org"), &perm_org_view, &o))
		return;
	struct export_ctx x = {r, o.path, req_query(r, "from"), req_query(r, "to")};
	req_send_download(r, write_report, &x, XLSX_TYPE, "themeday.xlsx", "主题党日统计.xlsx");
}

/* ---- pages ---- */

struct pctx {
	req *r;
	int n;
};

static void film_li(void *ctx, const struct film *f)
{
	struct pctx *c = ctx;
	html_printf(
		&c->r->out,
		"<li class=\"film\"><a href=\"/films/%lld\">%s</a> <span class=\"badge\">%s</span> <span class=\"muted\">观看 %lld 场 · 观后感 %lld 篇</span></li>",
		(long long)f->id, f->title, f->kind_label, (long long)f->screenings, (long long)f->reflections);
}

static void list_card(void *ctx, const struct film_list *l)
{
	struct pctx *c = ctx;
	html_printf(&c->r->out, "<section class=\"card\"><h2 class=\"card-title\">%s 教育片清单</h2>", l->month);
	if (*l->notice)
		html_printf(&c->r->out, "<p class=\"notice\">预告：%s</p>", l->notice);
	buf_puts(&c->r->out, "<ul class=\"film-list\">");
	films_each(c->r->db, l->id, film_li, c);
	buf_puts(&c->r->out, "</ul>");
	if (permission_allows(&perm_film_publish, &c->r->actor)) {
		char action[64];
		snprintf(action, sizeof action, "/films/lists/%lld", (long long)l->id);
		buf_puts(&c->r->out, "<details><summary>添加教育片</summary>");
		form_begin(c->r, action);
		form_input(c->r, "title", "片名", "text", "", NULL);
		lessons_vocab_select(c->r, LV_FILM_KIND, "kind", "类别", "red"); /* a retired kind is not offered */
		form_input(c->r, "url", "观看链接", "url", "", "http(s) 链接");
		form_end(c->r, "添加");
		buf_puts(&c->r->out, "</details>");
	}
	buf_puts(&c->r->out, "</section>");
	c->n++;
}

static void page_films(req *r)
{
	if (req_is_post(r)) {
		struct field_errors e = {0};
		int64_t id;
		enum dj_result res = film_list_create(r->db, &r->actor, 0, req_form(r, "month"), req_form(r, "notice"), now_unix(), &id, &e);
		if (res == DJ_OK) {
			flash_set(r, "ok", "教育片清单已发布");
			req_redirect(r, "/films");
			return;
		}
		if (res != DJ_INVALID) {
			req_fail(r, res, &e);
			return;
		}
		form_errors_add(r, &e);
	}
	page_begin(r, "党员教育片");
	buf_puts(&r->out, "<p class=\"lead\">每月制定教育片清单、发布观看预告、推送观看链接；看完写一写观后感。</p>"
			  "<p><a class=\"btn\" href=\"/reflections\">观后感分享</a></p>");
	if (permission_allows(&perm_themeday_record, &r->actor))
		buf_puts(&r->out, "<p><a class=\"btn\" href=\"/plans\">一月一课一片一实践</a> <a class=\"btn\" href=\"/themeday/report\">统计</a></p>");
	if (permission_allows(&perm_film_publish, &r->actor)) {
		buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">发布本月清单</h2>");
		form_begin(r, "/films");
		char m[11];
		lesson_date_of(now_unix(), m);
		m[7] = 0;
		form_input(r, "month", "月份", "month", form_value(r, "month", m), "YYYY-MM");
		form_input(r, "notice", "观看预告", "text", form_value(r, "notice", ""), NULL);
		form_end(r, "发布");
		buf_puts(&r->out, "</section>");
	}
	struct pctx c = {r, 0};
	film_lists_each(r->db, &r->actor, list_card, &c);
	if (!c.n)
		buf_puts(&r->out, "<div class=\"empty\"><p>暂无教育片清单</p></div>");
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}

static void page_film_add(req *r)
{
	struct field_errors e = {0};
	int64_t id;
	enum dj_result res = film_add(r->db, &r->actor, req_param_id(r, "id"), req_form(r, "title"), req_form(r, "kind"), req_form(r, "url"), now_unix(),
				      &id, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	flash_set(r, "ok", "教育片已添加");
	req_redirect(r, "/films");
}

static void screening_li(void *ctx, const struct screening *s)
{
	struct pctx *c = ctx;
	html_printf(&c->r->out, "<li>%s %s %s，%lld 人观看</li>", s->date, s->org_name, s->place, (long long)s->attendees);
	c->n++;
}

struct refl_ctx {
	req *r;
	bool staff;
	int n;
};
static void reflection_card(void *ctx, const struct reflection *x)
{
	struct refl_ctx *c = ctx;
	html_printf(&c->r->out, "<article class=\"reflection\"><p>%s</p><p class=\"muted\">%s · %s · 《<a href=\"/films/%lld\">%s</a>》%s</p>", x->body,
		    x->member_name, x->org_name, (long long)x->film_id, x->film_title, x->shared ? " · 已分享" : "");
	if (c->staff) {
		char action[64];
		snprintf(action, sizeof action, "/reflections/%lld/share", (long long)x->id);
		form_begin(c->r, action);
		html_printf(&c->r->out, "<input type=\"hidden\" name=\"shared\" value=\"%s\"><input type=\"hidden\" name=\"film\" value=\"%lld\">",
			    x->shared ? "0" : "1", (long long)x->film_id);
		form_end(c->r, x->shared ? "取消分享" : "分享到支部");
	}
	buf_puts(&c->r->out, "</article>");
	c->n++;
}

static void page_film(req *r)
{
	int64_t id = req_param_id(r, "id");
	struct film f;
	if (!film_load(r->db, &r->actor, id, &f)) {
		req_error(r, 404, "not_found", "教育片不存在");
		return;
	}
	page_begin(r, f.title);
	html_printf(
		&r->out,
		"<div class=\"breadcrumbs\"><a href=\"/films\">教育片</a> › <span>%s</span></div><section class=\"card\"><p><span class=\"badge\">%s</span> "
		"%s 清单</p><p><a class=\"btn btn-primary\" href=\"%s\" rel=\"noopener noreferrer\" target=\"_blank\">观看教育片</a></p>",
		f.title, f.kind_label, f.month, f.url);
	struct pctx c = {r, 0};
	buf_puts(&r->out, "<h3>观看场次</h3><ul>");
	screenings_each(r->db, &r->actor, id, screening_li, &c);
	buf_puts(&r->out, "</ul>");
	if (!c.n)
		buf_puts(&r->out, "<p class=\"muted\">本支部还没有记录观看场次</p>");
	buf_puts(&r->out, "</section>");
	char action[64];
	if (permission_allows(&perm_themeday_record, &r->actor)) {
		snprintf(action, sizeof action, "/films/%lld/screenings", (long long)id);
		char today_s[11];
		lesson_date_of(now_unix(), today_s);
		buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">记录观看场次</h2>");
		form_begin(r, action);
		if (r->actor.role != R_BRANCH)
			orgs_form_select(r, "org", "支部", form_value(r, "org", ""));
		form_input(r, "date", "观看日期", "date", form_value(r, "date", today_s), NULL);
		form_input(r, "place", "观看地点", "text", form_value(r, "place", ""), "如 屋场微阵地");
		form_input(r, "attendees", "观看人数", "number", form_value(r, "attendees", ""), NULL);
		form_end(r, "记录");
		buf_puts(&r->out, "</section>");
	}
	if (reflection_written(r->db, &r->actor, id) && !form_has_errors(r))
		buf_puts(&r->out, "<p class=\"notice\" id=\"reflected\">您已提交过这部教育片的观后感，每部教育片提交一次。</p>");
	else if (lesson_member_of(r->db, &r->actor)) {
		snprintf(action, sizeof action, "/films/%lld/reflections", (long long)id);
		buf_puts(&r->out, "<section class=\"card\" id=\"reflect\"><h2 class=\"card-title\">写观后感</h2>");
		form_begin(r, action);
		const char *err = form_error_for(r, "body");
		if (!err)
			err = form_error_for(r, "film_id");
		html_printf(&r->out,
			    "<div class=\"field%s\"><label for=\"f-body\">观后感</label><textarea id=\"f-body\" name=\"body\" rows=\"5\">%s</textarea>",
			    err ? " has-error" : "", form_value(r, "body", ""));
		if (err)
			html_printf(&r->out, "<p class=\"field-error\">%s</p>", err);
		buf_puts(&r->out, "</div>");
		form_end(r, "提交观后感");
		buf_puts(&r->out, "</section>");
	}
	struct refl_ctx rc = {r, permission_allows(&perm_themeday_record, &r->actor), 0};
	buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">观后感</h2>");
	reflections_each(r->db, &r->actor, id, reflection_card, &rc);
	if (!rc.n)
		buf_puts(&r->out, "<p class=\"muted\">还没有观后感</p>");
	buf_puts(&r->out, "</section>");
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}

/* The branch's page of reflections (观后感分享): a member reads its own and
 * those its branch shared; the branch reads its subtree's and shares them. */
static void page_reflections(req *r)
{
	page_begin(r, "观后感分享");
	buf_puts(&r->out, "<div class=\"breadcrumbs\"><a href=\"/films\">教育片</a> › <span>观后感分享</span></div>"
			  "<p class=\"lead\">支部分享的党员观后感：自觉学、随时看、深入悟。</p><section class=\"card\">");
	struct refl_ctx rc = {r, permission_allows(&perm_themeday_record, &r->actor), 0};
	reflections_each(r->db, &r->actor, 0, reflection_card, &rc);
	if (!rc.n)
		buf_puts(&r->out, "<p class=\"muted\">还没有观后感</p>");
	buf_puts(&r->out, "</section>");
	page_end(r);
}

static void page_screening_add(req *r)
{
	struct field_errors e = {0};
	int64_t id = req_param_id(r, "id"), sid;
	const char *n = req_form(r, "attendees");
	enum dj_result res = screening_add(r->db, &r->actor, id, parse_id(req_form(r, "org")), req_form(r, "date"), req_form(r, "place"), parse_id(n),
					   now_unix(), &sid, &e);
	if (res == DJ_OK) {
		char to[64];
		snprintf(to, sizeof to, "/films/%lld", (long long)id);
		flash_set(r, "ok", "观看场次已记录");
		req_redirect(r, to);
		return;
	}
	if (res != DJ_INVALID) {
		req_fail(r, res, &e);
		return;
	}
	form_errors_add(r, &e);
	page_film(r);
	r->status = 422;
}

static void page_reflection_add(req *r)
{
	struct field_errors e = {0};
	int64_t id = req_param_id(r, "id"), rid;
	enum dj_result res = reflection_add(r->db, &r->actor, id, req_form(r, "body"), now_unix(), &rid, &e);
	if (res == DJ_OK) {
		char to[64];
		snprintf(to, sizeof to, "/films/%lld", (long long)id);
		flash_set(r, "ok", "观后感已提交");
		req_redirect(r, to);
		return;
	}
	if (res != DJ_INVALID) {
		req_fail(r, res, &e);
		return;
	}
	form_errors_add(r, &e);
	page_film(r);
	r->status = 422;
}

static void page_reflection_share(req *r)
{
	struct field_errors e = {0};
	const char *s = req_form(r, "shared");
	enum dj_result res = reflection_share(r->db, &r->actor, req_param_id(r, "id"), s && !strcmp(s, "1"), &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	char to[64];
	snprintf(to, sizeof to, "/films/%lld", (long long)parse_id(req_form(r, "film")));
	flash_set(r, "ok", "已更新");
	req_redirect(r, to);
}

struct plan_page {
	req *r;
	bool staff;
};
static void plan_tr(void *ctx, const struct plan_row *row)
{
	struct plan_page *c = ctx;
	html_printf(&c->r->out, "<tr class=\"%s\" data-org=\"%s\" data-month=\"%s\"><td data-label=\"支部\">%s</td><td data-label=\"月份\">%s</td>",
		    row->gap ? "gap" : "ok", row->org_code, row->month, row->org_name, row->month);
	for (int p = 0; p < 3; p++) {
		html_printf(&c->r->out, "<td data-label=\"%s\" class=\"part-%s\">", plan_part_label(plan_parts[p]), plan_parts[p]);
		if (!row->plan_id)
			buf_puts(&c->r->out, "<span class=\"badge\">无计划</span>");
		else if (row->part[p].done) {
			struct plan_ref ref;
			const char *href = "";
			if (themeday_ref_lookup(c->r->db, row->part[p].done_kind, row->part[p].done_id, row->part[p].done_title, &ref))
				href = ref.href;
			if (*href)
				html_printf(&c->r->out, "✓ <a href=\"%s%lld\">%s</a>", href, (long long)row->part[p].done_id, row->part[p].done_title);
			else
				html_printf(&c->r->out, "✓ %s", row->part[p].done_title);
			if (row->part[p].automatic) /* nobody typed it: a held meeting, a finished activity of the month */
				buf_puts(&c->r->out, " <span class=\"badge auto\" title=\"按本月记录自动计入\">自动计入</span>");
		} else
			html_printf(&c->r->out, "<span class=\"badge\">未完成</span> %s", row->part[p].title);
		buf_puts(&c->r->out, "</td>");
	}
	html_printf(&c->r->out, "<td data-label=\"落实\">%s", row->gap ? "有缺项" : "已落实");
	if (row->plan_id && row->gap && c->staff) {
		char action[64];
		snprintf(action, sizeof action, "/plans/%lld/complete", (long long)row->plan_id);
		buf_puts(&c->r->out, "<details><summary>登记完成</summary>");
		form_begin(c->r, action);
		static const char *const parts[] = {"lesson", "一课", "film", "一片", "practice", "一实践", NULL};
		form_select(c->r, "part", "哪一项", parts, "lesson");
		form_select(c->r, "kind", "记录类型", plan_ref_kinds, "lesson_order");
		form_input(c->r, "ref_id", "记录编号", "number", "", NULL);
		form_end(c->r, "登记");
		buf_puts(&c->r->out, "</details>");
	}
	buf_puts(&c->r->out, "</td></tr>");
}

static void page_plans(req *r)
{
	char m1[11], m0[24];
	lesson_date_of(now_unix(), m1);
	m1[7] = 0;
	int y = atoi(m1), m = atoi(m1 + 5) - 2;
	if (m < 1)
		m += 12, y--;
	snprintf(m0, sizeof m0, "%04d-%02d", y, m);
	const char *from = req_query(r, "from"), *to = req_query(r, "to");
	if (!from || !*from)
		from = m0;
	if (!to || !*to)
		to = m1;
	bool staff = permission_allows(&perm_themeday_record, &r->actor);
	if (req_is_post(r) && staff) {
		struct field_errors e = {0};
		const char *t[3] = {req_form(r, "lesson"), req_form(r, "film"), req_form(r, "practice")};
		int64_t id;
		enum dj_result res = plan_create(r->db, &r->actor, parse_id(req_form(r, "org")), req_form(r, "month"), t, now_unix(), &id, &e);
		if (res == DJ_OK) {
			flash_set(r, "ok", "计划已制定");
			req_redirect(r, "/plans");
			return;
		}
		if (res != DJ_INVALID) {
			req_fail(r, res, &e);
			return;
		}
		form_errors_add(r, &e);
	}
	page_begin(r, "一月一课一片一实践");
	html_printf(&r->out,
		    "<form class=\"filters\" method=\"get\" action=\"/plans\"><div class=\"field\"><label for=\"f-from\">起始月份</label>"
		    "<input id=\"f-from\" name=\"from\" type=\"month\" value=\"%s\"></div><div class=\"field\"><label for=\"f-to\">结束月份</label>"
		    "<input id=\"f-to\" name=\"to\" type=\"month\" value=\"%s\"></div><div class=\"form-actions\"><button class=\"btn btn-primary\" "
		    "type=\"submit\">查看</button></div></form>",
		    from, to);
	buf rows = {0};
	buf saved = r->out;
	r->out = rows; /* the rows first: the summary above counts them */
	struct plan_page c = {r, staff};
	int64_t n = 0, gaps = 0;
	struct field_errors e = {0};
	enum dj_result res = plan_compliance(r->db, &r->actor, NULL, from, to, plan_tr, &c, &n, &gaps, &e);
	rows = r->out;
	r->out = saved;
	if (res != DJ_OK) {
		buf_free(&rows);
		html_printf(&r->out, "<div class=\"flash flash-error\">%s</div>", dj_message(res, &e));
		r->status = res == DJ_INVALID ? 422 : 404;
		page_end(r);
		return;
	}
	html_printf(&r->out, "<p class=\"lead\" id=\"plan-summary\">%lld 个支部·月中 %lld 个有缺项</p>", (long long)n, (long long)gaps);
	if (permission_allows(&perm_plan_chase, &r->actor)) {
		buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">催办</h2>");
		form_begin(r, "/plans/chase");
		form_input(r, "month", "月份", "month", to, NULL);
		form_end(r, "通知有缺项的支部");
		buf_puts(&r->out, "</section>");
	}
	buf_puts(&r->out,
		 "<div class=\"table-wrap\"><table class=\"table cards plan-table\"><thead><tr><th>支部</th><th>月份</th><th>一课</th><th>一片</th>"
		 "<th>一实践</th><th>落实</th></tr></thead><tbody>");
	buf_puts(&r->out, buf_str(&rows));
	buf_free(&rows);
	buf_puts(&r->out, "</tbody></table></div>");
	if (staff) {
		buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">制定月度计划</h2>");
		form_begin(r, "/plans");
		if (r->actor.role != R_BRANCH)
			orgs_form_select(r, "org", "支部", form_value(r, "org", ""));
		form_input(r, "month", "月份", "month", form_value(r, "month", m1), NULL);
		form_input(r, "lesson", "一课", "text", form_value(r, "lesson", ""), "如 点单微党课《……》");
		form_input(r, "film", "一片", "text", form_value(r, "film", ""), "如 观看本月教育片");
		form_input(r, "practice", "一实践", "text", form_value(r, "practice", ""), "如 志愿服务、人居环境整治");
		form_end(r, "制定计划");
		buf_puts(&r->out, "</section><section class=\"card\"><h2 class=\"card-title\">记录实践活动</h2>");
		form_begin(r, "/practices");
		if (r->actor.role != R_BRANCH)
			orgs_form_select(r, "org", "支部", "");
		form_input(r, "title", "活动名称", "text", "", NULL);
		form_input(r, "date", "日期", "date", "", NULL);
		form_input(r, "participants", "参加人数", "number", "", NULL);
		form_end(r, "记录");
		buf_puts(&r->out, "</section>");
	}
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}

static void page_plan_complete(req *r)
{
	struct field_errors e = {0};
	enum dj_result res = plan_complete(r->db, &r->actor, req_param_id(r, "id"), req_form(r, "part"), req_form(r, "kind"),
					   parse_id(req_form(r, "ref_id")), req_form(r, "title"), now_unix(), &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	flash_set(r, "ok", "已登记完成");
	req_redirect(r, "/plans");
}

static void page_chase(req *r)
{
	struct field_errors e = {0};
	int64_t n = 0;
	enum dj_result res = plan_chase(r->db, &r->actor, req_form(r, "month"), now_unix(), &n, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	char msg[100];
	snprintf(msg, sizeof msg, "已通知 %lld 个支部", (long long)n);
	flash_set(r, "ok", msg);
	req_redirect(r, "/plans");
}

static void page_practice(req *r)
{
	struct field_errors e = {0};
	int64_t id;
	enum dj_result res = practice_add(r->db, &r->actor, parse_id(req_form(r, "org")), req_form(r, "title"), req_form(r, "date"),
					  parse_id(req_form(r, "participants")), req_form(r, "note"), now_unix(), &id, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	char msg[100];
	snprintf(msg, sizeof msg, "实践活动已记录（编号 %lld）", (long long)id);
	flash_set(r, "ok", msg);
	req_redirect(r, "/plans");
}

static void page_report(req *r)
{
	struct field_errors e = {0};
	struct report_q q;
	bool ok = lessons_report_query(r, &perm_org_view, &q, &e);
	if (!ok && !e.n)
		return; /* answered: not an org of the caller's */
	page_begin(r, "主题党日统计");
	lessons_report_picker(r, "/themeday/report", &q, "/themeday/report.xlsx");
	if (!ok) {
		for (int i = 0; i < e.n; i++)
			html_printf(&r->out, "<div class=\"flash flash-error\" role=\"alert\">%s</div>", e.e[i].msg);
		page_end(r);
		r->status = 422;
		return;
	}
	struct themeday_stats st;
	themeday_stats_compute(r->db, q.org.path, q.t0, q.t1, &st);
	int64_t covered, branches;
	lesson_coverage(r->db, q.org.path, q.t0, q.t1, NULL, NULL, &covered, &branches);
	html_printf(
		&r->out,
		"<p class=\"lead\" id=\"themeday-summary\">开发微党课%lld堂，接受点单%lld次，授课%lld场，上台讲微党课%lld人次，观看党员教育片%lld场次。</p>",
		(long long)st.lessons.lessons, (long long)st.lessons.orders, (long long)st.lessons.deliveries, (long long)st.lessons.speakers,
		(long long)st.screenings);
	const struct {
		const char *key, *label;
		int64_t v;
	} figs[] = {
		{"lessons", "微党课", st.lessons.lessons},
		{"orders", "点单", st.lessons.orders},
		{"deliveries", "授课场次", st.lessons.deliveries},
		{"attendance", "听课人次", st.lessons.attendance},
		{"speakers", "上台讲课人次", st.lessons.speakers},
		{"screenings", "观看场次", st.screenings},
		{"screening_attendance", "观看人次", st.screening_attendance},
		{"reflections", "观后感", st.reflections},
		{"practices", "实践活动", st.practices},
		{"plans_complete", "计划全部落实", st.plans_complete},
		{"covered", "巡讲覆盖支部", covered},
		{"branches", "支部总数", branches},
	};
	buf_puts(&r->out, "<div class=\"stats\">");
	for (size_t i = 0; i < sizeof figs / sizeof figs[0]; i++)
		html_printf(&r->out,
			    "<div class=\"stat\" data-key=\"%s\"><strong class=\"stat-num\">%lld</strong><span class=\"stat-label\">%s</span></div>",
			    figs[i].key, (long long)figs[i].v, figs[i].label);
	buf_puts(&r->out, "</div><h3>点单状态</h3><ul>");
	for (int i = 0; lesson_states[i]; i++)
		html_printf(&r->out, "<li data-state=\"%s\">%s：%lld</li>", lesson_states[i], lesson_state_label(lesson_states[i]),
			    (long long)st.lessons.by_state[i]);
	html_printf(&r->out,
		    "</ul><p><a href=\"/lessons/coverage?org=%s&amp;from=%s&amp;to=%s\">巡讲进支部全覆盖</a> · <a href=\"/plans\">月度落实情况</a></p>",
		    q.org.code, q.from, q.to);
	page_end(r);
}

static const route themeday_routes[] = {
	{"GET", "/films", page_films, R_ANY, 0, 0, "films"},
	{"POST", "/films", page_films, R_ADMIN | R_COMMITTEE, 0, 0, "film_list_new"},
	{"POST", "/films/lists/:id", page_film_add, R_ADMIN | R_COMMITTEE, 0, 0, "film_new"},
	{"GET", "/films/:id", page_film, R_ANY, 0, 0, "film"},
	{"POST", "/films/:id/screenings", page_screening_add, R_STAFF, 0, 0, "screening_new"},
	{"POST", "/films/:id/reflections", page_reflection_add, R_ANY, 0, 0, "reflection_new"},
	{"GET", "/reflections", page_reflections, R_ANY, 0, 0, "reflections"},
	{"POST", "/reflections/:id/share", page_reflection_share, R_STAFF, 0, 0, "reflection_share"},
	{"GET", "/plans", page_plans, R_STAFF, 0, 0, "plans"},
	{"POST", "/plans", page_plans, R_STAFF, 0, 0, "plan_new"},
	{"POST", "/plans/chase", page_chase, R_ADMIN | R_COMMITTEE, 0, 0, "plan_chase"},
	{"POST", "/plans/:id/complete", page_plan_complete, R_STAFF, 0, 0, "plan_complete"},
	{"POST", "/practices", page_practice, R_STAFF, 0, 0, "practice_new"},
	{"GET", "/themeday/report", page_report, R_STAFF, 0, 0, "themeday_report"},
	{"GET", "/themeday/report.xlsx", page_export, R_STAFF, RF_WRITE, 0, "themeday_export"},
	{"GET", "/api/v1/film-lists", api_film_lists, R_ANY, RF_API, 0, "api_film_lists"},
	{"POST", "/api/v1/film-lists", api_film_list_create, R_ADMIN | R_COMMITTEE, RF_API, 0, "api_film_list_create"},
	{"POST", "/api/v1/film-lists/:id/films", api_film_create, R_ADMIN | R_COMMITTEE, RF_API, 0, "api_film_create"},
	{"POST", "/api/v1/films/:id/screenings", api_screening_create, R_STAFF, RF_API, 0, "api_screening_create"},
	{"POST", "/api/v1/films/:id/reflections", api_reflection_create, R_ANY, RF_API, 0, "api_reflection_create"},
	{"GET", "/api/v1/reflections", api_reflections, R_ANY, RF_API, 0, "api_reflections"},
	{"POST", "/api/v1/reflections/:id/share", api_reflection_share, R_STAFF, RF_API, 0, "api_reflection_share"},
	{"POST", "/api/v1/practices", api_practice_create, R_STAFF, RF_API, 0, "api_practice_create"},
	{"POST", "/api/v1/plans", api_plan_create, R_STAFF, RF_API, 0, "api_plan_create"},
	{"GET", "/api/v1/plans/compliance", api_compliance, R_STAFF, RF_API, 0, "api_plan_compliance"},
	{"POST", "/api/v1/plans/chase", api_chase, R_ADMIN | R_COMMITTEE, RF_API, 0, "api_plan_chase"},
	{"POST", "/api/v1/plans/:id/parts/:part", api_plan_complete, R_STAFF, RF_API, 0, "api_plan_complete"},
	{"GET", "/api/v1/stats/themeday", api_stats, R_STAFF, RF_API, 0, "api_themeday_stats"},
};
static const struct nav_entry themeday_nav[] = {
	{"/films", "教育片", R_ADMIN | R_COMMITTEE | R_BRANCH | R_MEMBER | R_GRID, 46, NAV_LIFE},
	{"/plans", "主题党日", R_ADMIN | R_COMMITTEE | R_BRANCH, 47, NAV_LIFE},
};
static const struct permission *const themeday_perms[] = {&perm_film_publish, &perm_themeday_record, &perm_plan_chase};
static const struct entity_link themeday_entities[] = {{"film_list", "/films#"}, {"film", "/films/"}, {"plan", "/plans#"}};
int demo_themeday(db *d, const struct actor *cli, FILE *out);
const struct module themeday_module = {
	.name = "themeday",
	.routes = themeday_routes,
	.routes_n = COUNT_OF(themeday_routes),
	.nav = themeday_nav,
	.nav_n = COUNT_OF(themeday_nav),
	.permissions = themeday_perms,
	.permissions_n = COUNT_OF(themeday_perms),
	.entities = themeday_entities,
	.entities_n = COUNT_OF(themeday_entities),
	.demo = demo_themeday,
	.figures = themeday_figures,
	.figures_n = THEMEDAY_FIGURES_N,
};
