/* assess_api — the JSON API of branch assessment (SPEC M8, issue 16) under
 * /api/v1/assessment/: checks and their drill-down, the rules, bulletins,
 * quarters, years and stars, branch histories, evaluation items and
 * excellent branches. Thin: the rules and SQL are in assess.c; the routes are
 * in the module record at the end of assess_web.c. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess.h"
#include "assess_web.h"
#include "json.h"
#include "orgs.h"
#include "util.h"
#include "web.h"

static void jw_score(jw *w, const char *k, bool has, int64_t c)
{
	jw_key(w, k);
	if (has)
		jw_double(w, (double)c / 100.0);
	else
		jw_null(w);
}

/* rank 0: not ranked (未纳入考核) → null */
static void jw_rank(jw *w, int64_t rank)
{
	jw_key(w, "rank");
	if (rank > 0)
		jw_int(w, rank);
	else
		jw_null(w);
}

static void check_json(jw *w, const struct assess_check *c)
{
	jw_obj(w);
	jw_kstr(w, "org", c->org_code);
	jw_kint(w, "org_id", c->org_id);
	jw_kstr(w, "org_name", c->org_name);
	jw_rank(w, c->rank);
	jw_kbool(w, "assessed", !c->not_assessed); /* false: 未纳入考核 (before start_month) */
	jw_kstr(w, "start_month", c->start);
	jw_score(w, "score", c->has_score, c->score);
	jw_key(w, "items");
	jw_arr(w);
	for (int i = 0; i < c->n; i++) {
		const struct assess_score *s = &c->s[i];
		const struct assess_item_def *def = assess_item_def(s->item);
		jw_obj(w);
		jw_kstr(w, "item", s->item);
		jw_kstr(w, "label", def ? def->label : s->item);
		jw_kbool(w, "has_data", s->has_data);
		jw_kint(w, "weight", s->weight);
		jw_kint(w, "num", s->num);
		jw_kint(w, "den", s->den);
		jw_score(w, "measure", s->has_data, s->measure);
		jw_score(w, "score", s->has_data, s->got);
		jw_end(w);
	}
	jw_aend(w);
	jw_end(w);
}

void assess_api_checks(req *r)
{
	struct field_errors e = {0};
	char m8[16], prefix[256];
	const char *month = assess_web_month(r, m8);
	if (!assess_web_scope(r, prefix))
		return;
	struct assess_check *v;
	size_t n;
	struct assess_rules rules;
	enum dj_result res = assess_month(r->db, &r->actor, prefix, month, now_unix(), &v, &n, &rules, &e);
	if (!req_ok(r, res, &e))
		return;
	jw w;
	req_json_obj(r, 200, &w);
	jw_kstr(&w, "month", month);
	jw_kint(&w, "rules_version", rules.id);
	jw_key(&w, "branches");
	jw_arr(&w);
	for (size_t i = 0; i < n; i++)
		check_json(&w, &v[i]);
	jw_aend(&w);
	jw_end(&w);
	free(v);
}

static void record_json(void *ctx, const struct assess_record *x)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kstr(w, "kind", x->kind);
	jw_kint(w, "id", x->id);
	jw_kstr(w, "title", x->title);
	jw_kstr(w, "href", x->href);
	jw_kstr(w, "detail", x->detail);
	jw_kbool(w, "counts", x->counts);
	jw_end(w);
}

void assess_api_drill(req *r)
{
	struct field_errors e = {0};
	int64_t org = orgs_id_by_code(r->db, req_param(r, "org"));
	buf records = {0};
	jw rw;
	jw_rows(&rw, &records);
	struct assess_score s;
	enum dj_result res = org ? assess_drill(r->db, &r->actor, org, req_param(r, "month"), req_param(r, "item"), now_unix(), record_json, &rw, &s, &e)
				 : dj_fail(&e, DJ_NOT_FOUND, "支部不存在");
	if (!req_rows_done(r, &rw, &records, res, &e))
		return;
	jw w;
	req_json_obj(r, 200, &w);
	jw_kstr(&w, "item", s.item);
	jw_kbool(&w, "assessed", !s.not_assessed);
	jw_kbool(&w, "has_data", s.has_data);
	jw_kint(&w, "num", s.num);
	jw_kint(&w, "den", s.den);
	jw_kint(&w, "weight", s.weight);
	jw_score(&w, "score", s.has_data, s.got);
	jw_krows(&w, "records", &records);
	jw_end(&w);
}

static void rules_json(void *ctx, const struct assess_rules *x)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "id", x->id);
	jw_kstr(w, "valid_from", x->valid_from);
	jw_kstr(w, "note", x->note);
	jw_key(w, "items");
	jw_arr(w);
	for (int i = 0; i < x->n; i++) {
		jw_obj(w);
		jw_kstr(w, "item", x->item[i].item);
		jw_kint(w, "weight", x->item[i].weight);
		jw_kstr(w, "rule", x->item[i].rule);
		jw_kint(w, "full", x->item[i].full);
		jw_end(w);
	}
	jw_aend(w);
	jw_key(w, "quarter_weights");
	jw_arr(w);
	for (int i = 0; i < 3; i++)
		jw_int(w, x->q_w[i]);
	jw_aend(w);
	jw_kint(w, "basic_pct", x->basic_pct);
	jw_kint(w, "eval_pct", x->eval_pct);
	jw_key(w, "cutoffs");
	jw_arr(w);
	for (int i = 0; i < 4; i++)
		jw_int(w, x->cut[i]);
	jw_aend(w);
	jw_kint(w, "quota5", x->quota5);
	jw_end(w);
}

void assess_api_rules(req *r)
{
	jw w;
	req_json_list(r, &w, "versions");
	assess_rules_each(r->db, rules_json, &w);
	req_json_list_end(&w);
}

static const struct json_field rules_fields[] = {{"valid_from", "生效月份", true, 's', NULL},
						 {"note", "说明", false, 's', NULL},
						 {"items", "考核项目", true, 'a', NULL},
						 {"quarter_weights", "季度各月权重", false, 'a', NULL},
						 {"basic_pct", "基础分比例", false, 'I', NULL},
						 {"eval_pct", "评议分比例", false, 'I', NULL},
						 {"cutoffs", "星级分数线", false, 'a', NULL},
						 {"quota5", "五星比例", false, 'I', NULL},
						 {NULL, NULL, false, 0, NULL}};

void assess_api_rules_save(req *r)
{
	const char *from = NULL, *note = NULL;
	json_t *items = NULL, *qw = NULL, *cuts = NULL;
	json_int_t basic = 70, ev = 30, quota = 30;
	if (!req_json_unpack(r, rules_fields, false, "{s:s, s?s, s:o, s?o, s?I, s?I, s?o, s?I}", "valid_from", &from, "note", &note, "items", &items,
			     "quarter_weights", &qw, "basic_pct", &basic, "eval_pct", &ev, "cutoffs", &cuts, "quota5", &quota))
		return;
	struct field_errors e = {0};
	struct assess_rules x = {0};
	snprintf(x.valid_from, sizeof x.valid_from, "%s", from);
	snprintf(x.note, sizeof x.note, "%s", note ? note : "");
	x.q_w[0] = x.q_w[1] = x.q_w[2] = 1;
	x.basic_pct = basic, x.eval_pct = ev, x.quota5 = quota;
	x.cut[0] = 90, x.cut[1] = 80, x.cut[2] = 70, x.cut[3] = 60;
	size_t i;
	json_t *it;
	if (!json_is_array(items) || json_array_size(items) > ASSESS_ITEMS)
		ferr_add(&e, "items", "考核项目应为数组（至多 %d 项）", ASSESS_ITEMS);
	else
		json_array_foreach(items, i, it)
		{
			const char *k = NULL, *rule = "linear";
			json_int_t wgt = 0, full = 100;
			if (json_unpack(it, "{s:s, s:I, s?s, s?I}", "item", &k, "weight", &wgt, "rule", &rule, "full", &full)) {
				ferr_add(&e, "items", "第 %zu 项应含 item（项目）和 weight（权重）", i + 1);
				continue;
			}
			snprintf(x.item[x.n].item, sizeof x.item[0].item, "%s", k);
			snprintf(x.item[x.n].rule, sizeof x.item[0].rule, "%s", rule);
			x.item[x.n].weight = wgt, x.item[x.n].full = full;
			x.n++;
		}
	if (qw) {
		if (!json_is_array(qw) || json_array_size(qw) != 3)
			ferr_add(&e, "q_w", "季度各月权重应为三个整数");
		else
			for (int k = 0; k < 3; k++)
				x.q_w[k] = json_is_integer(json_array_get(qw, (size_t)k)) ? json_integer_value(json_array_get(qw, (size_t)k)) : -1;
	}
	if (cuts) {
		if (!json_is_array(cuts) || json_array_size(cuts) != 4)
			ferr_add(&e, "cutoffs", "星级分数线应为四个整数（五、四、三、二星）");
		else
			for (int k = 0; k < 4; k++)
				x.cut[k] = json_is_integer(json_array_get(cuts, (size_t)k)) ? json_integer_value(json_array_get(cuts, (size_t)k)) : -1;
	}
	int64_t id = 0;
	enum dj_result res = e.n ? DJ_INVALID : assess_rules_save(r->db, &r->actor, &x, now_unix(), &id, &e);
	if (!req_ok(r, res, &e))
		return;
	jw w;
	req_json_obj(r, 201, &w);
	jw_kint(&w, "id", id);
	jw_end(&w);
}

static void bulletin_json(jw *w, const struct assess_bulletin *b)
{
	jw_obj(w);
	jw_kint(w, "id", b->id);
	jw_kint(w, "org_id", b->org_id);
	jw_kstr(w, "org_name", b->org_name);
	jw_kstr(w, "month", b->month);
	jw_kint(w, "version", b->version);
	jw_kbool(w, "published", b->id != 0);
	jw_kint(w, "published_at", b->published_at);
	jw_kstr(w, "publisher", b->publisher);
	jw_kstr(w, "summary", b->summary);
	jw_kstr(w, "remarks", b->remarks);
	jw_key(w, "figures");
	jw_obj(w);
	for (int k = 0; k < ASSESS_FIGURES; k++)
		jw_kint(w, assess_figure_keys[k], b->fig[k]);
	jw_end(w);
	jw_key(w, "rows");
	jw_arr(w);
	for (size_t i = 0; i < b->n; i++) {
		jw_obj(w);
		jw_rank(w, b->rows[i].rank);
		jw_kbool(w, "assessed", b->rows[i].rank > 0);
		jw_kint(w, "org_id", b->rows[i].org_id);
		jw_kstr(w, "org_name", b->rows[i].org_name);
		jw_score(w, "score", b->rows[i].has_score, b->rows[i].score);
		jw_kstr(w, "items", b->rows[i].items);
		jw_end(w);
	}
	jw_aend(w);
	jw_end(w);
}

static int64_t org_code_q(req *r, const char *code, struct field_errors *e)
{
	if (!code || !*code)
		return 0;
	int64_t id = orgs_id_by_code(r->db, code);
	if (!id)
		ferr_add(e, "org", "组织不存在");
	return id;
}

void assess_api_bulletin_draft(req *r)
{
	struct field_errors e = {0};
	char m8[16];
	struct assess_bulletin b;
	int64_t org = org_code_q(r, req_query(r, "org"), &e);
	enum dj_result res = e.n ? DJ_INVALID : assess_bulletin_draft(r->db, &r->actor, org, assess_web_month(r, m8), now_unix(), &b, &e);
	if (!req_ok(r, res, &e))
		return;
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	bulletin_json(&w, &b);
	assess_bulletin_free(&b);
}

static void bulletin_list_json(void *ctx, const struct assess_bulletin *b) { bulletin_json(ctx, b); }

void assess_api_bulletins(req *r)
{
	jw w;
	req_json_list(r, &w, "bulletins");
	assess_bulletins_each(r->db, &r->actor, bulletin_list_json, &w);
	req_json_list_end(&w);
}

static const struct json_field publish_fields[] = {
	{"month", "月份", true, 's', NULL}, {"remarks", "党委点评", false, 's', NULL}, {"org", "镇党委", false, 's', NULL}, {NULL, NULL, false, 0, NULL}};

void assess_api_bulletin_publish(req *r)
{
	const char *month = NULL, *remarks = NULL, *org = NULL;
	if (!req_json_unpack(r, publish_fields, false, "{s:s, s?s, s?s}", "month", &month, "remarks", &remarks, "org", &org))
		return;
	struct field_errors e = {0};
	int64_t org_id = org_code_q(r, org, &e), id = 0;
	enum dj_result res = e.n ? DJ_INVALID : assess_bulletin_publish(r->db, &r->actor, org_id, month, remarks, now_unix(), &id, &e);
	if (!req_ok(r, res, &e))
		return;
	struct assess_bulletin b;
	if (assess_bulletin_load(r->db, &r->actor, id, &b) != DJ_OK) {
		req_fail(r, DJ_DB_ERROR, &e);
		return;
	}
	req_json_begin(r, 201);
	jw w;
	jw_init(&w, &r->out);
	bulletin_json(&w, &b);
	assess_bulletin_free(&b);
}

void assess_api_bulletin(req *r)
{
	struct assess_bulletin b;
	enum dj_result res = assess_bulletin_load(r->db, &r->actor, req_param_id(r, "id"), &b);
	if (res != DJ_OK) {
		req_fail(r, res, NULL);
		return;
	}
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	bulletin_json(&w, &b);
	assess_bulletin_free(&b);
}

void assess_api_bulletin_edit(req *r)
{
	struct field_errors e = {0};
	req_fail(r, assess_bulletin_edit(r->db, &r->actor, req_param_id(r, "id"), &e), &e);
}

static void period_json(jw *w, const struct assess_period_row *x, bool year)
{
	jw_obj(w);
	jw_kstr(w, "org", x->org_code);
	jw_kint(w, "org_id", x->org_id);
	jw_kstr(w, "org_name", x->org_name);
	jw_rank(w, x->rank);
	jw_kbool(w, "assessed", !x->not_assessed);
	jw_score(w, year ? "basic" : "months_score", true, x->base);
	if (!year) {
		jw_key(w, "months");
		jw_arr(w);
		for (int i = 0; i < 3; i++)
			if (x->month[i] >= 0)
				jw_double(w, (double)x->month[i] / 100.0);
			else
				jw_null(w);
		jw_aend(w);
		jw_kint(w, "bonus", x->bonus);
	} else {
		jw_score(w, "evaluation", true, x->evaluation);
		jw_kint(w, "stars", x->stars);
		jw_kbool(w, "capped", x->capped);
	}
	jw_kint(w, "deduction", x->deduction);
	jw_score(w, "total", true, x->total);
	jw_end(w);
}

void assess_api_quarter(req *r)
{
	struct field_errors e = {0};
	char prefix[256];
	if (!assess_web_scope(r, prefix))
		return;
	struct assess_period_row *v;
	size_t n;
	const char *q = req_query(r, "quarter");
	enum dj_result res = assess_quarter(r->db, &r->actor, prefix, q, now_unix(), &v, &n, &e);
	if (!req_ok(r, res, &e))
		return;
	jw w;
	req_json_obj(r, 200, &w);
	jw_kstr(&w, "quarter", q);
	jw_key(&w, "branches");
	jw_arr(&w);
	for (size_t i = 0; i < n; i++)
		period_json(&w, &v[i], false);
	jw_aend(&w);
	jw_end(&w);
	free(v);
}

void assess_api_year(req *r)
{
	struct field_errors e = {0};
	char prefix[256];
	if (!assess_web_scope(r, prefix))
		return;
	const char *y = req_query(r, "year");
	struct assess_period_row *v;
	size_t n;
	struct assess_rules rules;
	enum dj_result res = assess_year(r->db, &r->actor, prefix, y ? atoi(y) : 0, now_unix(), &v, &n, &rules, &e);
	if (!req_ok(r, res, &e))
		return;
	jw w;
	req_json_obj(r, 200, &w);
	jw_kint(&w, "year", atoi(y));
	jw_key(&w, "rules");
	rules_json(&w, &rules);
	jw_key(&w, "branches");
	jw_arr(&w);
	for (size_t i = 0; i < n; i++)
		period_json(&w, &v[i], true);
	jw_aend(&w);
	jw_end(&w);
	free(v);
}

static const struct json_field stars_fields[] = {{"year", "年度", true, 'I', NULL}, {NULL, NULL, false, 0, NULL}};

void assess_api_stars_publish(req *r)
{
	json_int_t year = 0;
	if (!req_json_unpack(r, stars_fields, false, "{s:I}", "year", &year))
		return;
	struct field_errors e = {0};
	int64_t version = 0;
	enum dj_result res = assess_stars_publish(r->db, &r->actor, (int)year, now_unix(), &version, &e);
	if (!req_ok(r, res, &e))
		return;
	jw w;
	req_json_obj(r, 201, &w);
	jw_kint(&w, "year", year);
	jw_kint(&w, "version", version);
	jw_end(&w);
}

static void star_json(void *ctx, const struct assess_star_row *x)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "year", x->year);
	jw_kint(w, "version", x->version);
	jw_kint(w, "stars", x->stars);
	jw_kint(w, "rank", x->rank);
	jw_score(w, "total", true, x->total);
	jw_kstr(w, "change", !x->has_prev ? "" : x->change > 0 ? "up" : x->change < 0 ? "down" : "same");
	jw_end(w);
}
static void rank_json(void *ctx, const struct assess_rank_row *x)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kstr(w, "month", x->month);
	jw_kint(w, "bulletin_id", x->bulletin_id);
	jw_kint(w, "rank", x->rank);
	jw_kint(w, "of", x->of);
	jw_score(w, "score", x->has_score, x->score);
	jw_end(w);
}

void assess_api_branch(req *r)
{
	int64_t org = orgs_id_by_code(r->db, req_param(r, "org"));
	buf ranks = {0}, stars = {0};
	jw rw, sw;
	jw_init(&rw, &ranks), jw_init(&sw, &stars);
	jw_arr(&rw), jw_arr(&sw);
	enum dj_result res = org ? assess_rank_history(r->db, &r->actor, org, rank_json, &rw) : DJ_NOT_FOUND;
	if (res == DJ_OK)
		res = assess_star_history(r->db, &r->actor, org, star_json, &sw);
	jw_aend(&rw), jw_aend(&sw);
	if (res != DJ_OK) {
		buf_free(&ranks), buf_free(&stars);
		req_fail(r, res, NULL);
		return;
	}
	jw w;
	req_json_obj(r, 200, &w);
	jw_kstr(&w, "org", req_param(r, "org"));
	jw_krows(&w, "ranks", &ranks);
	jw_krows(&w, "stars", &stars);
	jw_end(&w);
}

static const struct json_field eval_fields[] = {{"org", "支部", true, 's', NULL},   {"period", "考核期", true, 's', NULL},
						{"kind", "类型", true, 's', NULL},  {"points", "分值", true, 'I', NULL},
						{"note", "说明", false, 's', NULL}, {NULL, NULL, false, 0, NULL}};

void assess_api_evaluation(req *r)
{
	const char *org = NULL, *period = NULL, *kind = NULL, *note = NULL;
	json_int_t points = 0;
	if (!req_json_unpack(r, eval_fields, false, "{s:s, s:s, s:s, s:I, s?s}", "org", &org, "period", &period, "kind", &kind, "points", &points, "note",
			     &note))
		return;
	struct field_errors e = {0};
	int64_t org_id = orgs_id_by_code(r->db, org);
	enum dj_result res = assess_evaluation_add(r->db, &r->actor, org_id, period, kind, points, note, now_unix(), &e);
	if (!req_ok(r, res, &e))
		return;
	req_json_ok(r, 201);
}

static const struct json_field excellent_fields[] = {
	{"org", "支部", true, 's', NULL}, {"period", "评选期", true, 's', NULL}, {"note", "说明", false, 's', NULL}, {NULL, NULL, false, 0, NULL}};

void assess_api_excellent_add(req *r)
{
	const char *org = NULL, *period = NULL, *note = NULL;
	if (!req_json_unpack(r, excellent_fields, false, "{s:s, s:s, s?s}", "org", &org, "period", &period, "note", &note))
		return;
	struct field_errors e = {0};
	enum dj_result res = assess_excellent_add(r->db, &r->actor, orgs_id_by_code(r->db, org), period, note, now_unix(), &e);
	if (!req_ok(r, res, &e))
		return;
	req_json_ok(r, 201);
}

static void excellent_json(void *ctx, const struct assess_excellent_row *x)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "org_id", x->org_id);
	jw_kstr(w, "org_name", x->org_name);
	jw_kstr(w, "period", x->period);
	jw_kstr(w, "note", x->note);
	jw_end(w);
}

void assess_api_excellent(req *r)
{
	buf list = {0};
	jw lw;
	jw_rows(&lw, &list);
	int64_t n = 0;
	assess_excellent_each(r->db, &r->actor, req_query(r, "period"), excellent_json, &lw, &n);
	jw_aend(&lw);
	jw w;
	req_json_obj(r, 200, &w);
	jw_kint(&w, "count", n);
	jw_krows(&w, "excellent", &list);
	jw_end(&w);
}
