/* lessons_web — the micro-lesson pages and API (SPEC M4, issue 14): the
 * catalogue members order from on the phone, an order's page where the
 * lecturer confirms and the branch records attendance and rates, the
 * coverage report 巡讲进支部全覆盖. Thin: the rules and SQL are in lessons.c. */
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
#include "points.h"
#include "util.h"
#include "web.h"

/* ---- JSON ---- */

static void lesson_json(jw *w, const struct lesson *l)
{
	jw_obj(w);
	jw_kint(w, "id", l->id);
	jw_kstr(w, "title", l->title);
	jw_kstr(w, "topic", l->topic);
	jw_kstr(w, "topic_label", l->topic_label);
	jw_kint(w, "minutes", l->minutes);
	jw_kstr(w, "outline", l->outline);
	jw_kstr(w, "media_url", l->media_url);
	jw_kint(w, "org_id", l->org_id);
	jw_kstr(w, "org_name", l->org_name);
	jw_kstr(w, "lecturers", l->lecturers);
	jw_end(w);
}

static void order_keys(jw *w, const struct lesson_order *o)
{
	jw_kint(w, "id", o->id);
	jw_kint(w, "lesson_id", o->lesson_id);
	jw_kstr(w, "lesson_title", o->lesson_title);
	jw_kint(w, "org_id", o->org_id);
	jw_kstr(w, "org_name", o->org_name);
	jw_kstr(w, "state", o->state);
	jw_kstr(w, "state_label", lesson_state_label(o->state));
	jw_kstr(w, "want_from", o->want_from);
	jw_kstr(w, "want_to", o->want_to);
	jw_kstr(w, "note", o->note);
	jw_kint(w, "lecturer_id", o->lecturer_id);
	jw_kstr(w, "lecturer_name", o->lecturer_name);
	jw_kstr(w, "date", o->lesson_date);
	jw_kstr(w, "place", o->place);
	jw_kint(w, "present", o->present);
	jw_kint(w, "speakers", o->speakers);
	jw_kint(w, "others", o->others);
	jw_kint(w, "attendance", o->present + o->others);
	jw_key(w, "rating");
	if (o->rating)
		jw_int(w, o->rating);
	else
		jw_null(w);
	jw_kstr(w, "comment", o->comment);
	jw_kstr(w, "reason", o->reason);
	jw_kint(w, "created_at", o->created_at);
	jw_kint(w, "updated_at", o->updated_at);
}

static void order_json(jw *w, const struct lesson_order *o)
{
	jw_obj(w);
	order_keys(w, o);
	jw_end(w);
}

/* ---- the org and period picker of the theme-day reports (lessons_web.h) ---- */

bool lessons_report_query(req *r, const struct permission *action, struct report_q *q, struct field_errors *e)
{
	memset(q, 0, sizeof *q);
	if (!orgs_from_request(r, req_query(r, "org"), action, &q->org))
		return false; /* answered: 404 */
	const char *from = req_query(r, "from"), *to = req_query(r, "to");
	char y0[11], y1[11];
	if ((!from || !*from) && (!to || !*to)) { /* this year up to today */
		lesson_date_of(now_unix(), y1);
		snprintf(y0, sizeof y0, "%.4s-01-01", y1);
		from = y0, to = y1;
	}
	if (!from || strlen(from) != 10 || !day_start(from, &q->t0))
		ferr_add(e, "from", "起始日期应为 YYYY-MM-DD");
	else
		snprintf(q->from, sizeof q->from, "%s", from);
	if (!to || strlen(to) != 10 || !day_start(to, &q->t1))
		ferr_add(e, "to", "结束日期应为 YYYY-MM-DD");
	else if (snprintf(q->to, sizeof q->to, "%s", to), !e->n && q->t1 < q->t0)
		ferr_add(e, "to", "结束日期不能早于起始日期");
	q->t1 += 86400;
	return e->n == 0;
}

void lessons_report_picker(req *r, const char *action, const struct report_q *q, const char *export_href)
{
	/* the subtree's committee, 党总支 and branches, by code (?org=CODE) */
	html_printf(&r->out,
		    "<form class=\"filters report-picker\" method=\"get\" action=\"%s\"><div class=\"field\"><label for=\"f-org\">组织</label>"
		    "<select id=\"f-org\" name=\"org\">",
		    action);
	size_t no;
	struct org *ov = orgs_under(r->db, actor_scope(&r->actor), false, &no);
	for (size_t i = 0; i < no; i++)
		if (!strcmp(ov[i].type, "committee") || !strcmp(ov[i].type, "general") || !strcmp(ov[i].type, "branch"))
			html_printf(&r->out, "<option value=\"%s\"%s>%s</option>", ov[i].code, !strcmp(q->org.code, ov[i].code) ? " selected" : "",
				    ov[i].name);
	free(ov);
	html_printf(&r->out,
		    "</select></div><div class=\"field\"><label for=\"f-from\">开始</label><input id=\"f-from\" name=\"from\" type=\"date\" value=\"%s\">"
		    "</div><div class=\"field\"><label for=\"f-to\">结束</label><input id=\"f-to\" name=\"to\" type=\"date\" value=\"%s\"></div>"
		    "<div class=\"form-actions\"><button class=\"btn btn-primary\" type=\"submit\">查看</button>",
		    q->from, q->to);
	if (export_href)
		html_printf(&r->out, "<a class=\"btn\" href=\"%s?from=%s&amp;to=%s&amp;org=%s\">导出 Excel</a>", export_href, q->from, q->to, q->org.code);
	buf_puts(&r->out, "</div></form>");
}

/* A select of the entries still in use of a vocabulary. */
struct vocab_pairs {
	const char *p[2 * 100 + 1];
	char key[100][32], label[100][64];
	int n;
};
static void vocab_pair(void *ctx, const struct vocab_item *it)
{
	struct vocab_pairs *v = ctx;
	if (v->n >= 100)
		return;
	snprintf(v->key[v->n], 32, "%s", it->key);
	snprintf(v->label[v->n], 64, "%s", it->label);
	v->p[2 * v->n] = v->key[v->n];
	v->p[2 * v->n + 1] = v->label[v->n];
	v->p[2 * ++v->n] = NULL;
}
void lessons_vocab_select(req *r, enum lesson_vocab v, const char *name, const char *label, const char *selected)
{
	struct vocab_pairs *vp = calloc(1, sizeof *vp);
	if (!vp) {
		r->failed = true;
		return;
	}
	lesson_vocab_each(r->db, v, true, vocab_pair, vp);
	form_select(r, name, label, vp->p, selected);
	free(vp);
}

struct jctx {
	jw *w;
	int n;
};
static void lesson_json_row(void *ctx, const struct lesson *l)
{
	struct jctx *c = ctx;
	lesson_json(c->w, l);
	c->n++;
}
static void order_json_row(void *ctx, const struct lesson_order *o)
{
	struct jctx *c = ctx;
	order_json(c->w, o);
	c->n++;
}

static void api_lessons(req *r)
{
	struct lesson_filter f = {req_query(r, "topic"), parse_id(req_query(r, "lecturer"))};
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "lessons");
	jw_arr(&w);
	struct jctx c = {&w, 0};
	lesson_list(r->db, &r->actor, &f, lesson_json_row, &c);
	jw_aend(&w);
	jw_kint(&w, "total", c.n);
	jw_end(&w);
}

static void api_vocab_list(req *r, enum lesson_vocab v, int status);
static void api_topics(req *r) { api_vocab_list(r, LV_TOPIC, 200); }

static const struct json_field topic_fields[] = {
	{"key", "主题代码", true, 's', NULL}, {"label", "主题名称", true, 's', NULL}, {NULL, NULL, false, 0, NULL}};

static void api_topic_create(req *r)
{
	const char *key = NULL, *label = NULL;
	if (!req_json_unpack(r, topic_fields, false, "{s:s, s:s}", "key", &key, "label", &label))
		return;
	struct field_errors e = {0};
	enum dj_result res = lesson_topic_add(r->db, &r->actor, key, label, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	api_vocab_list(r, LV_TOPIC, 201);
}

static const struct json_field lesson_fields[] = {
	{"title", "课程名称", true, 's', NULL},           {"topic", "主题", true, 's', NULL},
	{"minutes", "时长（分钟）", true, 'I', NULL},     {"outline", "提纲", false, 's', NULL},
	{"media_url", "视频/课件链接", false, 's', NULL}, {"org", "开发单位", false, 's', NULL},
	{"lecturers", "本土讲师", true, 'a', NULL},       {NULL, NULL, false, 0, NULL},
};

/* An array of ids: false (field error) when an element is not a positive integer. */
static bool ids_of(json_t *arr, int64_t *out, int max, int *n, const char *field, struct field_errors *e)
{
	*n = 0;
	if (!arr)
		return true;
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) <= 0) {
			ferr_add(e, field, "应为党员编号的数组");
			return false;
		}
		if (*n >= max) {
			ferr_add(e, field, "人数过多（最多 %d 人）", max);
			return false;
		}
		out[(*n)++] = (int64_t)json_integer_value(v);
	}
	return true;
}

static void api_lesson_create(req *r)
{
	struct lesson_new n = {0};
	const char *org = NULL;
	json_int_t minutes = 0;
	json_t *lect = NULL;
	if (!req_json_unpack(r, lesson_fields, false, "{s:s, s:s, s:I, s?s, s?s, s?s, s:o}", "title", &n.title, "topic", &n.topic, "minutes", &minutes,
			     "outline", &n.outline, "media_url", &n.media_url, "org", &org, "lecturers", &lect))
		return;
	struct field_errors e = {0};
	n.minutes = minutes;
	if (org && *org && !(n.org_id = orgs_id_by_code(r->db, org)))
		ferr_add(&e, "org", "开发单位不存在");
	ids_of(lect, n.lecturers, LESSON_MAX_LECTURERS, &n.nlecturers, "lecturers", &e);
	int64_t id = 0;
	enum dj_result res = e.n ? DJ_INVALID : lesson_create(r->db, &r->actor, &n, &id, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	struct lesson l;
	lesson_load(r->db, id, &l);
	req_json_begin(r, 201);
	jw w;
	jw_init(&w, &r->out);
	lesson_json(&w, &l);
}

static void api_lesson_get(req *r)
{
	struct lesson l;
	char town[256];
	order_town(r->db, &r->actor, town);
	if (!lesson_load(r->db, req_param_id(r, "id"), &l) || (strncmp(l.org_path, town, strlen(town)) && !actor_covers(&r->actor, l.org_path))) {
		req_error(r, 404, "not_found", "微党课不存在");
		return;
	}
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	lesson_json(&w, &l);
}

static void api_orders(req *r)
{
	const char *mine = req_query(r, "mine");
	struct lesson_order_filter f = {req_query(r, "state"), mine && !strcmp(mine, "1")};
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "orders");
	jw_arr(&w);
	struct jctx c = {&w, 0};
	lesson_order_list(r->db, &r->actor, &f, order_json_row, &c);
	jw_aend(&w);
	jw_kint(&w, "total", c.n);
	/* a lecturer's points this year (issue 11): what giving lessons earned */
	int64_t me = lesson_member_of(r->db, &r->actor);
	if (me)
		jw_kint(&w, "my_points", points_total(r->db, me, points_year_of(now_unix())));
	jw_end(&w);
}

static const struct json_field order_fields[] = {
	{"lesson_id", "微党课", true, 'I', NULL},      {"org", "点单支部", false, 's', NULL}, {"want_from", "希望开始日期", true, 's', NULL},
	{"want_to", "希望结束日期", false, 's', NULL}, {"note", "备注", false, 's', NULL},    {NULL, NULL, false, 0, NULL},
};

static void api_order_create(req *r)
{
	json_int_t lesson = 0;
	const char *org = NULL, *from = NULL, *to = NULL, *note = NULL;
	if (!req_json_unpack(r, order_fields, false, "{s:I, s?s, s:s, s?s, s?s}", "lesson_id", &lesson, "org", &org, "want_from", &from, "want_to", &to,
			     "note", &note))
		return;
	struct field_errors e = {0};
	int64_t org_id = 0;
	if (org && *org && !(org_id = orgs_id_by_code(r->db, org)))
		ferr_add(&e, "org", "点单支部不存在");
	int64_t id = 0;
	enum dj_result res = e.n ? DJ_INVALID : lesson_order_create(r->db, &r->actor, lesson, org_id, from, to, note, now_unix(), &id, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	struct lesson_order o;
	lesson_order_load(r->db, id, &o);
	req_json_begin(r, 201);
	jw w;
	jw_init(&w, &r->out);
	order_json(&w, &o);
}

static void event_json(void *ctx, int64_t at, const char *action, const char *actor, const char *note)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "at", at);
	jw_kstr(w, "action", action);
	jw_kstr(w, "actor", actor);
	jw_kstr(w, "note", note);
	jw_end(w);
}

static void attendee_json(void *ctx, int64_t id, const char *name, bool spoke)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "member_id", id);
	jw_kstr(w, "name", name);
	jw_kbool(w, "spoke", spoke);
	jw_end(w);
}

static void api_order_get(req *r)
{
	struct lesson_order o;
	if (!lesson_order_load(r->db, req_param_id(r, "id"), &o) || !lesson_order_visible(r->db, &r->actor, &o)) {
		req_error(r, 404, "not_found", "点单不存在或不在您的管辖范围内");
		return;
	}
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	order_keys(&w, &o);
	jw_key(&w, "history");
	jw_arr(&w);
	lesson_order_events(r->db, o.id, event_json, &w);
	jw_aend(&w);
	jw_key(&w, "attendees");
	jw_arr(&w);
	lesson_order_attendance(r->db, o.id, attendee_json, &w);
	jw_aend(&w);
	jw_end(&w);
}

static const struct json_field act_fields[] = {
	{"date", "授课日期", false, 's', NULL},         {"place", "授课地点", false, 's', NULL},
	{"reason", "原因", false, 's', NULL},           {"rating", "评分", false, 'I', NULL},
	{"comment", "评价", false, 's', NULL},          {"present", "到场党员", false, 'a', NULL},
	{"speakers", "上台讲课党员", false, 'a', NULL}, {"others", "其他参加人数", false, 'I', NULL},
	{"lecturer", "讲师", false, 'I', NULL},         {NULL, NULL, false, 0, NULL},
};

static void api_order_action(req *r)
{
	struct lesson_act a = {0};
	json_int_t rating = 0, others = 0, lecturer = 0;
	json_t *present = NULL, *speakers = NULL;
	if (!req_json_unpack(r, act_fields, true, "{s?s, s?s, s?s, s?I, s?s, s?o, s?o, s?I, s?I}", "date", &a.date, "place", &a.place, "reason", &a.reason,
			     "rating", &rating, "comment", &a.comment, "present", &present, "speakers", &speakers, "others", &others, "lecturer",
			     &lecturer))
		return;
	struct field_errors e = {0};
	int64_t p[500], s[500];
	ids_of(present, p, 500, &a.npresent, "present", &e);
	ids_of(speakers, s, 500, &a.nspeakers, "speakers", &e);
	a.present = p;
	a.speakers = s;
	a.rating = rating > 0 && rating < 100 ? (int)rating : (rating ? 99 : 0);
	a.others = others;
	a.lecturer = lecturer;
	int64_t id = req_param_id(r, "id");
	enum dj_result res = e.n ? DJ_INVALID : lesson_order_transition(r->db, &r->actor, id, req_param(r, "action"), &a, now_unix(), &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	struct lesson_order o;
	lesson_order_load(r->db, id, &o);
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	order_json(&w, &o);
}

static void api_transitions(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "states");
	jw_arr(&w);
	for (const char *const *s = lesson_states; *s; s++)
		jw_str(&w, *s);
	jw_aend(&w);
	jw_key(&w, "actions");
	jw_arr(&w);
	for (const char *const *a = lesson_actions; *a; a++)
		jw_str(&w, *a);
	jw_aend(&w);
	jw_key(&w, "actors");
	jw_arr(&w);
	jw_str(&w, "lecturer");
	jw_str(&w, "branch");
	jw_aend(&w);
	jw_key(&w, "transitions");
	jw_arr(&w);
	for (int i = 0; i < lesson_transitions_count; i++) {
		const struct lesson_transition *t = &lesson_transitions[i];
		for (int who = LW_LECTURER; who <= LW_BRANCH; who <<= 1)
			if (t->who & who) {
				jw_obj(&w);
				jw_kstr(&w, "from", t->from);
				jw_kstr(&w, "action", t->action);
				jw_kstr(&w, "actor", lesson_who_key(who));
				jw_kstr(&w, "to", t->to);
				jw_end(&w);
			}
	}
	jw_aend(&w);
	jw_end(&w);
}

struct cov_json {
	jw *w;
};
static void coverage_json_row(void *ctx, int64_t org_id, const char *code, const char *name, int64_t n)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "org_id", org_id);
	jw_kstr(w, "code", code);
	jw_kstr(w, "name", name);
	jw_kint(w, "deliveries", n);
	jw_kbool(w, "covered", n > 0);
	jw_end(w);
}

static void api_coverage(req *r)
{
	struct field_errors e = {0};
	struct report_q q;
	if (!lessons_report_query(r, &perm_org_view, &q, &e)) {
		if (e.n)
			req_fail(r, DJ_INVALID, &e);
		return;
	}
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_kstr(&w, "org", q.org.code);
	jw_kstr(&w, "from", q.from);
	jw_kstr(&w, "to", q.to);
	jw_key(&w, "branches");
	jw_arr(&w);
	int64_t covered, branches;
	lesson_coverage(r->db, q.org.path, q.t0, q.t1, coverage_json_row, &w, &covered, &branches);
	jw_aend(&w);
	jw_kint(&w, "covered", covered);
	jw_kint(&w, "total", branches);
	jw_kbool(&w, "full_coverage", branches > 0 && covered == branches);
	jw_end(&w);
}

/* ---- pages ---- */

struct page_ctx {
	req *r;
	int n;
	const char *sel;
};

static void topic_opt(void *ctx, const char *key, const char *label, bool active)
{
	struct page_ctx *c = ctx;
	html_printf(&c->r->out, "<option value=\"%s\"%s>%s%s</option>", key, c->sel && !strcmp(c->sel, key) ? " selected" : "", label,
		    active ? "" : "（已停用）");
}

static void lesson_card(void *ctx, const struct lesson *l)
{
	struct page_ctx *c = ctx;
	html_printf(&c->r->out,
		    "<article class=\"card lesson-card\"><h3 class=\"lesson-title\"><a href=\"/lessons/%lld\">%s</a></h3>"
		    "<p class=\"lesson-meta\"><span class=\"badge\">%s</span> %lld 分钟 · 讲师 %s</p><p class=\"muted\">%s</p></article>",
		    (long long)l->id, l->title, l->topic_label, (long long)l->minutes, l->lecturers, l->org_name);
	c->n++;
}

struct member_opts {
	req *r;
	const int64_t *sel;
	int nsel;
};
static void member_opt(void *ctx, int64_t id, const char *name)
{
	struct member_opts *c = ctx;
	bool on = false;
	for (int i = 0; i < c->nsel; i++)
		on |= c->sel[i] == id;
	html_printf(&c->r->out, "<option value=\"%lld\"%s>%s</option>", (long long)id, on ? " selected" : "", name);
}

static void page_catalogue(req *r)
{
	const char *topic = req_query(r, "topic");
	struct lesson_filter f = {topic, parse_id(req_query(r, "lecturer"))};
	page_begin(r, "微党课");
	buf_puts(&r->out, "<p class=\"lead\">每个月都精选了普通党员自主开发的微党课供我们点单。</p>");
	html_printf(&r->out,
		    "<form class=\"filters\" method=\"get\" action=\"/lessons\"><div class=\"field topic-field\"><label for=\"f-topic\">主题</label>"
		    "<select id=\"f-topic\" name=\"topic\"><option value=\"\">全部主题</option>");
	struct page_ctx c = {r, 0, topic};
	lesson_topics_each(r->db, topic_opt, &c);
	buf_puts(&r->out, "</select></div><div class=\"field\"><label for=\"f-lecturer\">讲师</label><select id=\"f-lecturer\" name=\"lecturer\">"
			  "<option value=\"\">全部讲师</option>");
	struct member_opts mo = {r, &f.lecturer, 1};
	lesson_town_lecturers(r->db, &r->actor, member_opt, &mo);
	buf_puts(&r->out, "</select></div><div class=\"form-actions\"><button class=\"btn btn-primary\" type=\"submit\">筛选</button></div></form>");
	if (permission_allows(&perm_lesson_edit, &r->actor)) {
		buf_puts(&r->out, "<p><a class=\"btn\" href=\"/lessons/new\">新增微党课</a> <a class=\"btn\" href=\"/lesson-orders\">点单记录</a> "
				  "<a class=\"btn\" href=\"/lessons/coverage\">巡讲覆盖</a>");
		if (permission_allows(&perm_lesson_topic, &r->actor))
			buf_puts(&r->out, " <a class=\"btn\" href=\"/lessons/topics\">主题和类别</a>");
		buf_puts(&r->out, "</p>");
	} else
		buf_puts(&r->out, "<p><a class=\"btn\" href=\"/lesson-orders?mine=1\">我的授课</a></p>");
	c.n = 0;
	lesson_list(r->db, &r->actor, &f, lesson_card, &c);
	if (!c.n)
		buf_puts(&r->out, "<div class=\"empty\"><p>暂无微党课</p></div>");
	page_end(r);
}

/* Every value of a repeated form field as ids. */
static int form_ids(req *r, const char *key, int64_t *out, int max)
{
	int n = 0;
	for (size_t i = 0; i < r->form.n && n < max; i++)
		if (!strcmp(r->form.v[i].key, key)) {
			int64_t id = parse_id(r->form.v[i].val);
			if (id)
				out[n++] = id;
		}
	return n;
}

static void page_lesson_new(req *r)
{
	struct lesson_new n = {0};
	if (req_is_post(r)) {
		n.title = req_form(r, "title");
		n.topic = req_form(r, "topic");
		n.minutes = parse_id(req_form(r, "minutes"));
		n.outline = req_form(r, "outline");
		n.media_url = req_form(r, "media_url");
		n.org_id = parse_id(req_form(r, "org"));
		n.nlecturers = form_ids(r, "lecturers", n.lecturers, LESSON_MAX_LECTURERS);
		struct field_errors e = {0};
		int64_t id;
		enum dj_result res = lesson_create(r->db, &r->actor, &n, &id, &e);
		if (res == DJ_OK) {
			char to[64];
			snprintf(to, sizeof to, "/lessons/%lld", (long long)id);
			flash_set(r, "ok", "微党课已加入清单");
			req_redirect(r, to);
			return;
		}
		if (res != DJ_INVALID) {
			req_fail(r, res, &e);
			return;
		}
		form_errors_add(r, &e);
	}
	page_begin(r, "新增微党课");
	buf_puts(&r->out, "<div class=\"breadcrumbs\"><a href=\"/lessons\">微党课</a> › <span>新增</span></div><section class=\"card\">");
	form_begin(r, "/lessons/new");
	form_input(r, "title", "课程名称", "text", form_value(r, "title", ""), "60字以内");
	lessons_vocab_select(r, LV_TOPIC, "topic", "主题", form_value(r, "topic", "")); /* a retired topic is not offered */
	const char *err;
	form_input(r, "minutes", "时长（分钟）", "number", form_value(r, "minutes", "20"), NULL);
	form_input(r, "outline", "提纲", "text", form_value(r, "outline", ""), NULL);
	form_input(r, "media_url", "视频/课件链接", "url", form_value(r, "media_url", ""), "http(s) 链接，可不填");
	orgs_form_select(r, "org", "开发单位", form_value(r, "org", ""));
	err = form_error_for(r, "lecturers");
	html_printf(&r->out,
		    "<div class=\"field%s\"><label for=\"f-lecturers\">本土讲师（可多选）</label><select id=\"f-lecturers\" name=\"lecturers\" multiple "
		    "size=\"6\">",
		    err ? " has-error" : "");
	char town[256];
	order_town(r->db, &r->actor, town);
	struct member_opts mo = {r, n.lecturers, n.nlecturers};
	int64_t town_id = 0;
	{
		size_t k;
		struct org *v = orgs_under(r->db, town, false, &k);
		town_id = k ? v[0].id : 0;
		free(v);
	}
	if (town_id)
		lesson_branch_members(r->db, town_id, member_opt, &mo);
	buf_puts(&r->out, "</select>");
	if (err)
		html_printf(&r->out, "<p class=\"field-error\">%s</p>", err);
	buf_puts(&r->out, "</div>");
	form_end(r, "加入清单");
	buf_puts(&r->out, "</section>");
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}

static void lecturer_li(void *ctx, int64_t id, const char *name, const char *org)
{
	struct page_ctx *c = ctx;
	(void)id;
	html_printf(&c->r->out, "<li>%s（%s）</li>", name, org);
}

static void page_lesson(req *r)
{
	int64_t id = req_param_id(r, "id");
	struct lesson l;
	char town[256];
	order_town(r->db, &r->actor, town);
	if (!lesson_load(r->db, id, &l) || (strncmp(l.org_path, town, strlen(town)) && !actor_covers(&r->actor, l.org_path))) {
		req_error(r, 404, "not_found", "微党课不存在");
		return;
	}
	if (req_is_post(r)) {
		struct field_errors e = {0};
		int64_t oid;
		enum dj_result res = lesson_order_create(r->db, &r->actor, id, parse_id(req_form(r, "org")), req_form(r, "want_from"),
							 req_form(r, "want_to"), req_form(r, "note"), now_unix(), &oid, &e);
		if (res == DJ_OK) {
			char to[64];
			snprintf(to, sizeof to, "/lesson-orders/%lld", (long long)oid);
			flash_set(r, "ok", "点单成功，等待讲师确认时间地点");
			req_redirect(r, to);
			return;
		}
		if (res != DJ_INVALID) {
			req_fail(r, res, &e);
			return;
		}
		form_errors_add(r, &e);
	}
	page_begin(r, l.title);
	html_printf(&r->out,
		    "<div class=\"breadcrumbs\"><a href=\"/lessons\">微党课</a> › <span>%s</span></div><section class=\"card\">"
		    "<p><span class=\"badge\">%s</span> %lld 分钟 · %s</p><h3>本土讲师</h3><ul>",
		    l.title, l.topic_label, (long long)l.minutes, l.org_name);
	struct page_ctx c = {r, 0, NULL};
	lesson_lecturers_each(r->db, id, lecturer_li, &c);
	buf_puts(&r->out, "</ul>");
	if (*l.outline)
		html_printf(&r->out, "<h3>提纲</h3><p>%s</p>", l.outline);
	if (*l.media_url)
		html_printf(&r->out, "<p><a href=\"%s\" rel=\"noopener noreferrer\" target=\"_blank\">观看视频/课件</a></p>", l.media_url);
	buf_puts(&r->out, "</section>");
	if (permission_allows(&perm_lesson_order, &r->actor)) {
		char action[64], today_s[11];
		snprintf(action, sizeof action, "/lessons/%lld", (long long)id);
		lesson_date_of(now_unix(), today_s);
		buf_puts(&r->out, "<section class=\"card\"><h2 class=\"card-title\">点单</h2>");
		form_begin(r, action);
		if (r->actor.role != R_BRANCH)
			orgs_form_select(r, "org", "点单支部", form_value(r, "org", ""));
		form_input(r, "want_from", "希望开始日期", "date", form_value(r, "want_from", today_s), NULL);
		form_input(r, "want_to", "希望结束日期", "date", form_value(r, "want_to", ""), "可不填");
		form_input(r, "note", "备注", "text", form_value(r, "note", ""), "如 希望在屋场讲，适合老党员");
		form_end(r, "点单");
		buf_puts(&r->out, "</section>");
	}
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}

static void order_row(void *ctx, const struct lesson_order *o)
{
	struct page_ctx *c = ctx;
	html_printf(
		&c->r->out,
		"<tr><td data-label=\"课程\"><a href=\"/lesson-orders/%lld\">%s</a></td><td data-label=\"支部\">%s</td>"
		"<td data-label=\"状态\"><span class=\"badge lesson-%s\">%s</span></td><td data-label=\"时间\">%s</td><td data-label=\"地点\">%s</td></tr>",
		(long long)o->id, o->lesson_title, o->org_name, o->state, lesson_state_label(o->state), *o->lesson_date ? o->lesson_date : o->want_from,
		o->place);
	c->n++;
}

static void page_orders(req *r)
{
	const char *mine = req_query(r, "mine");
	struct lesson_order_filter f = {req_query(r, "state"), mine && !strcmp(mine, "1")};
	page_begin(r, f.mine ? "我的授课" : "微党课点单");
	buf_puts(&r->out, "<div class=\"breadcrumbs\"><a href=\"/lessons\">微党课</a> › <span>点单记录</span></div>");
	int64_t me = lesson_member_of(r->db, &r->actor);
	if (me)
		html_printf(&r->out, "<p class=\"lead\">我的党员积分（今年）：<strong id=\"my-points\">%lld</strong> 分</p>",
			    (long long)points_total(r->db, me, points_year_of(now_unix())));
	buf_puts(&r->out,
		 "<div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>课程</th><th>支部</th><th>状态</th><th>时间</th><th>地点</th>"
		 "</tr></thead><tbody>");
	struct page_ctx c = {r, 0, NULL};
	lesson_order_list(r->db, &r->actor, &f, order_row, &c);
	buf_puts(&r->out, "</tbody></table></div>");
	if (!c.n)
		buf_puts(&r->out, "<div class=\"empty\"><p>暂无点单</p></div>");
	page_end(r);
}

static void event_li(void *ctx, int64_t at, const char *action, const char *actor, const char *note)
{
	struct page_ctx *c = ctx;
	char t[20];
	fmt_time(at, t);
	html_printf(&c->r->out, "<li>%s %s：%s %s</li>", t, actor, strcmp(action, "create") ? lesson_action_label(action) : "点单", note);
}

static void attendee_li(void *ctx, int64_t id, const char *name, bool spoke)
{
	struct page_ctx *c = ctx;
	(void)id;
	html_printf(&c->r->out, "<li>%s%s</li>", name, spoke ? "（上台讲课）" : "");
}

static void member_check(void *ctx, int64_t id, const char *name)
{
	struct page_ctx *c = ctx;
	html_printf(&c->r->out,
		    "<li class=\"attend-row\"><label><input type=\"checkbox\" name=\"present\" value=\"%lld\"> %s</label>"
		    "<label class=\"muted\"><input type=\"checkbox\" name=\"speakers\" value=\"%lld\"> 上台讲</label></li>",
		    (long long)id, name, (long long)id);
}

static void page_order(req *r)
{
	int64_t id = req_param_id(r, "id");
	struct lesson_order o;
	if (!lesson_order_load(r->db, id, &o) || !lesson_order_visible(r->db, &r->actor, &o)) {
		req_error(r, 404, "not_found", "点单不存在或不在您的管辖范围内");
		return;
	}
	int who = lesson_order_who(r->db, &r->actor, &o);
	page_begin(r, o.lesson_title);
	html_printf(&r->out,
		    "<div class=\"breadcrumbs\"><a href=\"/lesson-orders\">点单记录</a> › <span>%s</span></div><section class=\"card\">"
		    "<p><span class=\"badge lesson-%s\" id=\"lesson-state\">%s</span></p><dl class=\"kv\"><dt>点单支部</dt><dd>%s</dd>"
		    "<dt>希望时间</dt><dd>%s 至 %s</dd>",
		    o.lesson_title, o.state, lesson_state_label(o.state), o.org_name, o.want_from, o.want_to);
	if (*o.lesson_date)
		html_printf(&r->out, "<dt>授课</dt><dd>%s %s（%s）</dd>", o.lesson_date, o.place, o.lecturer_name);
	if (o.delivered_at)
		html_printf(&r->out, "<dt>参加</dt><dd>党员 %lld 人，其他 %lld 人，上台讲课 %lld 人次</dd>", (long long)o.present, (long long)o.others,
			    (long long)o.speakers);
	if (o.rating)
		html_printf(&r->out, "<dt>评价</dt><dd>%d 分 %s</dd>", o.rating, o.comment);
	if (*o.reason)
		html_printf(&r->out, "<dt>原因</dt><dd>%s</dd>", o.reason);
	buf_puts(&r->out, "</dl>");
	struct page_ctx c = {r, 0, NULL};
	if (o.present) {
		buf_puts(&r->out, "<h3>到场党员</h3><ul>");
		lesson_order_attendance(r->db, id, attendee_li, &c);
		buf_puts(&r->out, "</ul>");
	}
	buf_puts(&r->out, "<h3>经过</h3><ul class=\"timeline\">");
	lesson_order_events(r->db, id, event_li, &c);
	buf_puts(&r->out, "</ul></section>");
	char action[96];
	for (int i = 0; i < lesson_transitions_count; i++) {
		const struct lesson_transition *t = &lesson_transitions[i];
		if (strcmp(t->from, o.state) || !(t->who & who))
			continue;
		snprintf(action, sizeof action, "/lesson-orders/%lld/%s", (long long)id, t->action);
		html_printf(&r->out, "<section class=\"card\" id=\"act-%s\"><h2 class=\"card-title\">%s</h2>", t->action, lesson_action_label(t->action));
		form_begin(r, action);
		if (!strcmp(t->action, "confirm")) {
			form_input(r, "date", "授课日期", "date", form_value(r, "date", o.want_from), NULL);
			form_input(r, "place", "授课地点", "text", form_value(r, "place", ""), "如 村党群服务中心、张家屋场");
		} else if (!strcmp(t->action, "decline") || !strcmp(t->action, "cancel")) {
			form_input(r, "reason", "原因", "text", form_value(r, "reason", ""), NULL);
		} else if (!strcmp(t->action, "deliver")) {
			buf_puts(&r->out, "<div class=\"field\"><span class=\"label\">到场党员</span><ul class=\"attend-list\">");
			lesson_branch_members(r->db, o.org_id, member_check, &c);
			buf_puts(&r->out, "</ul></div>");
			form_input(r, "others", "其他参加人数", "number", form_value(r, "others", "0"), "群众、未在名单上的党员");
		} else if (!strcmp(t->action, "rate")) {
			static const char *const ratings[] = {"5", "5 分 很满意", "4", "4 分", "3", "3 分", "2", "2 分", "1", "1 分", NULL};
			form_select(r, "rating", "评分", ratings, form_value(r, "rating", "5"));
			form_input(r, "comment", "评价", "text", form_value(r, "comment", ""), NULL);
		}
		if (!strcmp(t->action, "cancel") || !strcmp(t->action, "decline"))
			form_end_confirm(r, lesson_action_label(t->action), "确定吗？", NULL);
		else
			form_end(r, lesson_action_label(t->action));
		buf_puts(&r->out, "</section>");
	}
	page_end(r);
	if (form_has_errors(r))
		r->status = 422;
}

static void page_order_action(req *r)
{
	int64_t id = req_param_id(r, "id");
	const char *action = req_param(r, "action");
	struct lesson_act a = {0};
	int64_t p[500], s[500];
	a.date = req_form(r, "date");
	a.place = req_form(r, "place");
	a.reason = req_form(r, "reason");
	a.rating = (int)parse_id(req_form(r, "rating"));
	a.comment = req_form(r, "comment");
	a.npresent = form_ids(r, "present", p, 500);
	a.nspeakers = form_ids(r, "speakers", s, 500);
	a.present = p;
	a.speakers = s;
	const char *others = req_form(r, "others");
	a.others = others && *others ? (strspn(others, "0123456789") == strlen(others) && strlen(others) < 9 ? atoll(others) : -1) : 0;
	struct field_errors e = {0};
	enum dj_result res = lesson_order_transition(r->db, &r->actor, id, action, &a, now_unix(), &e);
	char to[64];
	snprintf(to, sizeof to, "/lesson-orders/%lld", (long long)id);
	if (res == DJ_OK) {
		char msg[64];
		snprintf(msg, sizeof msg, "已%s", lesson_action_label(action));
		flash_set(r, "ok", msg);
		req_redirect(r, to);
		return;
	}
	if (res != DJ_INVALID) {
		req_fail(r, res, &e);
		return;
	}
	/* the order's page again, with the errors beside their fields */
	form_errors_add(r, &e);
	page_order(r);
	r->status = 422;
}

static void coverage_row(void *ctx, int64_t org_id, const char *code, const char *name, int64_t n)
{
	buf *b = ctx;
	(void)org_id;
	html_printf(b,
		    "<tr class=\"%s\"><td data-label=\"支部\">%s <span class=\"muted\">%s</span></td><td data-label=\"授课\">%lld 场</td>"
		    "<td data-label=\"覆盖\"><span class=\"badge\">%s</span></td></tr>",
		    n ? "covered" : "uncovered", name, code, (long long)n, n ? "已覆盖" : "未覆盖");
}

static void page_coverage(req *r)
{
	struct field_errors e = {0};
	struct report_q q;
	bool ok = lessons_report_query(r, &perm_org_view, &q, &e);
	if (!ok && !e.n)
		return; /* answered: not an org of the caller's */
	page_begin(r, "巡讲进支部全覆盖");
	html_printf(&r->out, "<div class=\"breadcrumbs\"><a href=\"/lessons\">微党课</a> › <span>巡讲进支部全覆盖</span></div>");
	lessons_report_picker(r, "/lessons/coverage", &q, NULL);
	if (!ok) {
		for (int i = 0; i < e.n; i++)
			html_printf(&r->out, "<div class=\"flash flash-error\" role=\"alert\">%s</div>", e.e[i].msg);
		page_end(r);
		r->status = 422;
		return;
	}
	buf body = {0}; /* the rows, written before the summary that counts them */
	int64_t covered, branches;
	lesson_coverage(r->db, q.org.path, q.t0, q.t1, coverage_row, &body, &covered, &branches);
	html_printf(&r->out, "<p class=\"lead\" id=\"coverage-summary\">%s，%s 至 %s：%lld 个支部中 %lld 个已接受微党课巡讲%s</p>", q.org.name, q.from,
		    q.to, (long long)branches, (long long)covered, branches && covered == branches ? "，实现全覆盖" : "");
	buf_puts(&r->out, "<div class=\"table-wrap\"><table class=\"table cards\"><thead><tr><th>支部</th><th>授课</th><th>覆盖</th></tr></thead><tbody>");
	buf_puts(&r->out, buf_str(&body));
	buf_free(&body);
	buf_puts(&r->out, "</tbody></table></div>");
	page_end(r);
}

/* ---- the vocabularies the committee keeps: topics and film kinds ---- */

static void vocab_json(void *ctx, const struct vocab_item *it)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kstr(w, "key", it->key);
	jw_kstr(w, "label", it->label);
	jw_kbool(w, "active", it->active);
	jw_kint(w, "uses", it->uses);
	jw_end(w);
}

/* GET: every entry (?active=1: those a new lesson or film may take). */
static void api_vocab_list(req *r, enum lesson_vocab v, int status)
{
	const char *act = req_query(r, "active");
	req_json_begin(r, status);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, v == LV_TOPIC ? "topics" : "kinds");
	jw_arr(&w);
	lesson_vocab_each(r->db, v, act && !strcmp(act, "1"), vocab_json, &w);
	jw_aend(&w);
	jw_end(&w);
}
static void api_film_kinds(req *r) { api_vocab_list(r, LV_FILM_KIND, 200); }

static const struct json_field kind_fields[] = {
	{"key", "类别代码", false, 's', NULL}, {"label", "类别名称", true, 's', NULL}, {NULL, NULL, false, 0, NULL}};

static void api_film_kind_create(req *r)
{
	const char *key = NULL, *label = NULL;
	if (!req_json_unpack(r, kind_fields, false, "{s?s, s:s}", "key", &key, "label", &label))
		return;
	struct field_errors e = {0};
	char made[32];
	enum dj_result res = lesson_vocab_add(r->db, &r->actor, LV_FILM_KIND, key, label, made, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	api_vocab_list(r, LV_FILM_KIND, 201);
}

static const struct json_field vocab_set_fields[] = {
	{"label", "名称", false, 's', NULL}, {"active", "启用", false, 'b', NULL}, {NULL, NULL, false, 0, NULL}};

/* POST …/:key {label?, active?}: rename, retire (active false), take back. */
static void api_vocab_set(req *r, enum lesson_vocab v)
{
	const char *label = NULL;
	int active = -1;
	if (!req_json_unpack(r, vocab_set_fields, false, "{s?s, s?b}", "label", &label, "active", &active))
		return;
	struct field_errors e = {0};
	enum dj_result res = lesson_vocab_set(r->db, &r->actor, v, req_param(r, "key"), label, active, &e);
	struct vocab_item it;
	if (res == DJ_OK && !lesson_vocab_get(r->db, v, req_param(r, "key"), &it))
		res = DJ_DB_ERROR;
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	vocab_json(&w, &it);
}
static void api_topic_set(req *r) { api_vocab_set(r, LV_TOPIC); }
static void api_film_kind_set(req *r) { api_vocab_set(r, LV_FILM_KIND); }

static void vocab_row(void *ctx, const struct vocab_item *it)
{
	struct page_ctx *c = ctx;
	req *r = c->r;
	const char *vn = c->sel;
	html_printf(
		&r->out,
		"<tr class=\"vocab-%s\" data-key=\"%s\"><td data-label=\"名称\"><form method=\"post\" action=\"/lessons/topics/%s/%s\" class=\"inline\">"
		"<input type=\"hidden\" name=\"_csrf\" value=\"%s\"><input name=\"label\" value=\"%s\" aria-label=\"名称\" maxlength=\"10\"> "
		"<button class=\"btn btn-small\" type=\"submit\">改名</button></form></td><td data-label=\"已用\">%lld</td>"
		"<td data-label=\"状态\"><span class=\"badge%s\">%s</span></td><td data-label=\"操作\">"
		"<form method=\"post\" action=\"/lessons/topics/%s/%s\" class=\"inline\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
		"<input type=\"hidden\" name=\"active\" value=\"%d\"><button class=\"btn btn-small\" type=\"submit\">%s</button></form></td></tr>",
		it->active ? "active" : "retired", it->key, vn, it->key, layout_csrf(r), it->label, (long long)it->uses, it->active ? " badge-green" : "",
		it->active ? "使用中" : "已停用", vn, it->key, layout_csrf(r), it->active ? 0 : 1, it->active ? "停用" : "启用");
	c->n++;
}

static void page_vocab(req *r)
{
	page_begin(r, "课程主题和教育片类别");
	buf_puts(&r->out, "<div class=\"breadcrumbs\"><a href=\"/lessons\">微党课</a> › <span>主题和类别</span></div>"
			  "<p class=\"lead\">新增微党课、教育片时可选的主题和类别。停用后，已有的课程和教育片保留原来的主题，新增时不再可选；"
			  "改名后，已有的记录随之显示新名称。主题和类别不删除。</p>");
	for (int v = 0; v < LV_COUNT; v++) {
		const char *vn = lesson_vocab_name((enum lesson_vocab)v), *what = lesson_vocab_what((enum lesson_vocab)v);
		html_printf(
			&r->out,
			"<section class=\"card\" id=\"vocab-%s\"><h2 class=\"card-title\">%s</h2><div class=\"table-wrap\"><table class=\"table cards\">"
			"<thead><tr><th>名称</th><th>已用</th><th>状态</th><th>操作</th></tr></thead><tbody>",
			vn, what);
		struct page_ctx c = {r, 0, vn};
		lesson_vocab_each(r->db, (enum lesson_vocab)v, false, vocab_row, &c);
		char action[64], label[64];
		snprintf(action, sizeof action, "/lessons/topics/%s", vn);
		snprintf(label, sizeof label, "新增%s", what);
		buf_puts(&r->out, "</tbody></table></div>");
		form_begin(r, action);
		html_printf(&r->out,
			    "<div class=\"field\"><label for=\"f-label-%s\">%s</label><input id=\"f-label-%s\" name=\"label\" maxlength=\"10\" "
			    "placeholder=\"2到10个字\"></div>",
			    vn, label, vn);
		form_end(r, "添加");
		buf_puts(&r->out, "</section>");
	}
	page_end(r);
}

/* After a form of the page: the domain's answer as a flash, back to the page. */
static void vocab_done(req *r, enum dj_result res, const struct field_errors *e, const char *ok)
{
	if (res == DJ_DB_ERROR || res == DJ_NOT_FOUND) {
		req_fail(r, res, e);
		return;
	}
	if (res != DJ_OK) {
		r->failed = true; /* rolled back */
		flash_set(r, "error", dj_message(res, e));
	} else
		flash_set(r, "ok", ok);
	req_redirect(r, "/lessons/topics");
}

static void page_vocab_add(req *r)
{
	enum lesson_vocab v;
	if (!lesson_vocab_of(req_param(r, "vocab"), &v)) {
		req_error(r, 404, "not_found", "页面不存在");
		return;
	}
	struct field_errors e = {0};
	char key[32];
	enum dj_result res = lesson_vocab_add(r->db, &r->actor, v, NULL, req_form(r, "label"), key, &e);
	char msg[96];
	snprintf(msg, sizeof msg, "%s已添加", lesson_vocab_what(v));
	vocab_done(r, res, &e, msg);
}

static void page_vocab_set(req *r)
{
	enum lesson_vocab v;
	if (!lesson_vocab_of(req_param(r, "vocab"), &v)) {
		req_error(r, 404, "not_found", "页面不存在");
		return;
	}
	struct field_errors e = {0};
	const char *act = req_form(r, "active");
	int active = act && !strcmp(act, "1") ? 1 : act && !strcmp(act, "0") ? 0 : act ? 2 : -1; /* 2: neither, refused by the domain */
	enum dj_result res = lesson_vocab_set(r->db, &r->actor, v, req_param(r, "key"), req_form(r, "label"), active, &e);
	char msg[96];
	snprintf(msg, sizeof msg, "%s已%s", lesson_vocab_what(v), active == 0 ? "停用" : active == 1 ? "启用" : "改名");
	vocab_done(r, res, &e, msg);
}

static const route lessons_routes[] = {
	{"GET", "/lessons", page_catalogue, R_ANY, 0, 0, "lessons"},
	{"GET", "/lessons/new", page_lesson_new, R_STAFF, 0, 0, "lesson_new"},
	{"POST", "/lessons/new", page_lesson_new, R_STAFF, 0, 0, "lesson_new"},
	{"GET", "/lessons/coverage", page_coverage, R_STAFF, 0, 0, "lesson_coverage"},
	{"GET", "/lessons/topics", page_vocab, R_ADMIN | R_COMMITTEE, 0, 0, "lesson_topics"},
	{"POST", "/lessons/topics/:vocab", page_vocab_add, R_ADMIN | R_COMMITTEE, 0, 4 * KiB, "lesson_topic_new"},
	{"POST", "/lessons/topics/:vocab/:key", page_vocab_set, R_ADMIN | R_COMMITTEE, 0, 4 * KiB, "lesson_topic_set"},
	{"GET", "/lessons/:id", page_lesson, R_ANY, 0, 0, "lesson"},
	{"POST", "/lessons/:id", page_lesson, R_STAFF, 0, 0, "lesson_order_new"},
	{"GET", "/lesson-orders", page_orders, R_ANY, 0, 0, "lesson_orders"},
	{"GET", "/lesson-orders/:id", page_order, R_ANY, 0, 0, "lesson_order"},
	{"POST", "/lesson-orders/:id/:action", page_order_action, R_ANY, 0, 0, "lesson_order_action"},
	{"GET", "/api/v1/lessons", api_lessons, R_ANY, RF_API, 0, "api_lessons"},
	{"POST", "/api/v1/lessons", api_lesson_create, R_STAFF, RF_API, 0, "api_lesson_create"},
	{"GET", "/api/v1/lessons/coverage", api_coverage, R_STAFF, RF_API, 0, "api_lesson_coverage"},
	{"GET", "/api/v1/lessons/:id", api_lesson_get, R_ANY, RF_API, 0, "api_lesson"},
	{"GET", "/api/v1/lesson-topics", api_topics, R_ANY, RF_API, 0, "api_lesson_topics"},
	{"POST", "/api/v1/lesson-topics", api_topic_create, R_ADMIN | R_COMMITTEE, RF_API, 0, "api_lesson_topic_create"},
	{"POST", "/api/v1/lesson-topics/:key", api_topic_set, R_ADMIN | R_COMMITTEE, RF_API, 4 * KiB, "api_lesson_topic_set"},
	{"GET", "/api/v1/film-kinds", api_film_kinds, R_ANY, RF_API, 0, "api_film_kinds"},
	{"POST", "/api/v1/film-kinds", api_film_kind_create, R_ADMIN | R_COMMITTEE, RF_API, 4 * KiB, "api_film_kind_create"},
	{"POST", "/api/v1/film-kinds/:key", api_film_kind_set, R_ADMIN | R_COMMITTEE, RF_API, 4 * KiB, "api_film_kind_set"},
	{"GET", "/api/v1/lesson-orders", api_orders, R_ANY, RF_API, 0, "api_lesson_orders"},
	{"POST", "/api/v1/lesson-orders", api_order_create, R_STAFF, RF_API, 0, "api_lesson_order_create"},
	{"GET", "/api/v1/lesson-orders/transitions", api_transitions, R_ANY, RF_API, 0, "api_lesson_transitions"},
	{"GET", "/api/v1/lesson-orders/:id", api_order_get, R_ANY, RF_API, 0, "api_lesson_order"},
	{"POST", "/api/v1/lesson-orders/:id/actions/:action", api_order_action, R_ANY, RF_API, 0, "api_lesson_order_action"},
};
static const struct nav_entry lessons_nav[] = {
	{"/lessons", "微党课", R_ADMIN | R_COMMITTEE | R_BRANCH | R_MEMBER | R_GRID, 45, NAV_LIFE},
};
static const struct permission *const lessons_perms[] = {&perm_lesson_edit, &perm_lesson_order, &perm_lesson_topic};
static const struct entity_link lessons_entities[] = {{"lesson", "/lessons/"}, {"lesson_order", "/lesson-orders/"}};
int demo_lessons(db *d, const struct actor *cli, FILE *out);
const struct module lessons_module = {
	.name = "lessons",
	.routes = lessons_routes,
	.routes_n = COUNT_OF(lessons_routes),
	.nav = lessons_nav,
	.nav_n = COUNT_OF(lessons_nav),
	.permissions = lessons_perms,
	.permissions_n = COUNT_OF(lessons_perms),
	.entities = lessons_entities,
	.entities_n = COUNT_OF(lessons_entities),
	.demo = demo_lessons,
	.figures = lessons_figures,
	.figures_n = LESSONS_FIGURES_N,
};
