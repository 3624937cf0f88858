/* points_api — the JSON API of party-member points (issue 11): a member's
 * points, the rankings, the rules, the adjustments, corrections. Thin: every
 * decision is in points.c; the pages and the module record are in
 * points_web.c. */
#include "points_api.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "module.h"
#include "points.h"
#include "util.h"
#include "web.h"

#define RANK_PAGE 100

/* ?year= (default this year; anything else is checked by the domain) */
int points_req_year(req *r)
{
	const char *y = req_query(r, "year");
	if (!y || !*y)
		return points_year_of(now_unix());
	char *end;
	long v = strtol(y, &end, 10);
	return *end || v < 0 || v > 99999 ? -1 : (int)v;
}

int points_req_month(req *r)
{
	const char *m = req_query(r, "month");
	if (!m || !*m)
		return 0;
	char *end;
	long v = strtol(m, &end, 10);
	return *end || v < 0 || v > 99 ? -1 : (int)v;
}

struct api_ctx {
	jw *w;
	bool staff;
};

static void api_entry(void *ctx, const struct points_entry *en)
{
	jw *w = ((struct api_ctx *)ctx)->w;
	jw_obj(w);
	jw_kint(w, "id", en->id);
	jw_kstr(w, "kind", en->kind);
	jw_kstr(w, "code", en->code);
	jw_kstr(w, "label", points_event_label(en->code));
	jw_kint(w, "points", en->points);
	jw_kint(w, "qty", en->qty);
	if (en->rule_id) {
		jw_kint(w, "rule_id", en->rule_id);
		jw_kint(w, "rule_points", en->rule_points);
		jw_kstr(w, "rule_valid_from", en->valid_from);
	}
	jw_kstr(w, "reason", en->reason);
	jw_key(w, "source");
	jw_obj(w);
	jw_kstr(w, "kind", en->source_kind);
	jw_kint(w, "id", en->source_id);
	if (*en->source_label)
		jw_kstr(w, "label", en->source_label);
	const char *prefix = entity_href_prefix(en->source_kind);
	if (*prefix) {
		char href[96];
		snprintf(href, sizeof href, "%s%lld", prefix, (long long)en->source_id);
		jw_kstr(w, "href", href);
	}
	jw_end(w);
	if (en->corrects_id)
		jw_kint(w, "corrects", en->corrects_id);
	if (en->corrected_by)
		jw_kint(w, "corrected_by", en->corrected_by);
	jw_kint(w, "at", en->at);
	jw_kstr(w, "actor", en->actor);
	jw_end(w);
}

void points_api_get(req *r)
{
	const char *m = req_query(r, "member");
	int64_t member = m && *m ? parse_id(m) : points_member_of_user(r->db, r->actor.user_id);
	struct field_errors e = {0};
	if (member <= 0) {
		if (m && *m)
			ferr_add(&e, "member", "党员编号应为正整数");
		else
			ferr_add(&e, "member", "您的账号没有关联党员花名册，请指定 member");
		req_fail(r, DJ_INVALID, &e);
		return;
	}
	int year = points_req_year(r);
	/* the entries are written after the summary: one pass, buffered */
	buf entries = {0};
	jw ew;
	jw_rows(&ew, &entries);
	struct api_ctx c = {&ew, false};
	struct points_summary s;
	enum dj_result res = points_member(r->db, &r->actor, member, year, &s, api_entry, &c, &e);
	if (!req_rows_done(r, &ew, &entries, res, &e))
		return;
	jw w;
	req_json_obj(r, 200, &w);
	jw_key(&w, "member");
	jw_obj(&w);
	jw_kint(&w, "id", s.member_id);
	jw_kstr(&w, "name", s.name);
	jw_kstr(&w, "org", s.org_code);
	jw_kstr(&w, "org_name", s.org_name);
	jw_kstr(&w, "branch", s.branch_code);
	jw_kstr(&w, "branch_name", s.branch_name);
	jw_end(&w);
	jw_kint(&w, "year", s.year);
	jw_kint(&w, "total", s.total);
	jw_kint(&w, "entries_count", s.entries);
	jw_kint(&w, "rank", s.rank);
	jw_kint(&w, "of", s.of);
	jw_krows(&w, "entries", &entries);
	jw_end(&w);
}

static void api_rank_row(void *ctx, const struct points_rank *row)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "rank", row->rank);
	jw_kint(w, "member_id", row->member_id);
	jw_kstr(w, "name", row->name);
	jw_kstr(w, "org_name", row->org_name);
	jw_kint(w, "points", row->points);
	jw_kint(w, "entries", row->entries);
	jw_end(w);
}

void points_api_ranking(req *r)
{
	int year = points_req_year(r), month = points_req_month(r);
	const char *l = req_query(r, "limit"), *o = req_query(r, "offset");
	int64_t limit = l && *l ? parse_id(l) : RANK_PAGE, offset = o && *o ? (strcmp(o, "0") ? parse_id(o) : 0) : 0;
	struct field_errors e = {0};
	if (limit < 1 || limit > 10000)
		ferr_add(&e, "limit", "limit 应为 1 到 10000");
	if (offset < 0 || (o && *o && strcmp(o, "0") && !offset))
		ferr_add(&e, "offset", "offset 应为非负整数");
	if (e.n) {
		req_fail(r, DJ_INVALID, &e);
		return;
	}
	buf rows = {0};
	jw rw;
	jw_rows(&rw, &rows);
	int64_t total = 0;
	char org_name[168];
	enum dj_result res = points_ranking(r->db, &r->actor, req_query(r, "org"), year, month, limit, offset, &total, org_name, api_rank_row, &rw, &e);
	if (!req_rows_done(r, &rw, &rows, res, &e))
		return;
	jw w;
	req_json_obj(r, 200, &w);
	jw_kstr(&w, "org_name", org_name);
	jw_kint(&w, "year", year);
	jw_kint(&w, "month", month);
	jw_kint(&w, "total", total);
	jw_kint(&w, "limit", limit);
	jw_kint(&w, "offset", offset);
	jw_krows(&w, "ranking", &rows);
	jw_end(&w);
}

static void api_town_row(void *ctx, const struct points_branch_rank *b)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "rank", b->rank);
	jw_kstr(w, "org", b->code);
	jw_kstr(w, "name", b->name);
	jw_kint(w, "members", b->members);
	jw_kint(w, "points", b->points);
	jw_key(w, "average");
	jw_double(w, b->average);
	jw_end(w);
}

void points_api_town(req *r)
{
	int year = points_req_year(r);
	buf rows = {0};
	jw rw;
	jw_rows(&rw, &rows);
	char town[168];
	struct field_errors e = {0};
	enum dj_result res = points_town_ranking(r->db, &r->actor, req_query(r, "org"), year, town, api_town_row, &rw, &e);
	if (!req_rows_done(r, &rw, &rows, res, &e))
		return;
	jw w;
	req_json_obj(r, 200, &w);
	jw_kstr(&w, "town", town);
	jw_kint(&w, "year", year);
	jw_krows(&w, "branches", &rows);
	jw_end(&w);
}

static void api_rule_row(void *ctx, const struct points_rule *ru)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "id", ru->id);
	jw_kstr(w, "code", ru->code);
	jw_kstr(w, "name", ru->name);
	jw_kint(w, "points", ru->points);
	jw_kint(w, "cap_day", ru->cap_day);
	jw_kint(w, "cap_year", ru->cap_year);
	jw_kstr(w, "valid_from", ru->valid_from);
	jw_kbool(w, "current", ru->current);
	jw_kint(w, "used", ru->used);
	jw_kstr(w, "note", ru->note);
	jw_end(w);
}

static const struct json_field rule_fields[] = {
	{"code", "规则", true, 's', NULL},          {"name", "规则说明", false, 's', NULL},
	{"points", "分值", true, 'I', NULL},        {"cap_day", "每日上限", false, 'I', NULL},
	{"cap_year", "年度上限", false, 'I', NULL}, {"valid_from", "生效日期", true, 's', NULL},
	{"note", "修改说明", false, 's', NULL},     {NULL, NULL, false, 0, NULL},
};

void points_api_rules(req *r)
{
	if (req_is_post(r)) {
		const char *code = NULL, *name = NULL, *valid_from = NULL, *note = NULL;
		json_int_t points = 0, cap_day = 0, cap_year = 0;
		if (!req_json_unpack(r, rule_fields, false, "{s:s, s?s, s:I, s?I, s?I, s:s, s?s}", "code", &code, "name", &name, "points", &points,
				     "cap_day", &cap_day, "cap_year", &cap_year, "valid_from", &valid_from, "note", &note))
			return;
		char p[24], cd[24], cy[24];
		snprintf(p, sizeof p, "%lld", (long long)points);
		snprintf(cd, sizeof cd, "%lld", (long long)cap_day);
		snprintf(cy, sizeof cy, "%lld", (long long)cap_year);
		struct points_rule_input in = {code, name, p, cd, cy, valid_from, note};
		int64_t id;
		struct field_errors e = {0};
		enum dj_result res = points_rule_set(r->db, &r->actor, &in, now_unix(), &id, &e);
		if (!req_ok(r, res, &e))
			return;
		jw w;
		req_json_obj(r, 201, &w);
		jw_kint(&w, "id", id);
		jw_end(&w);
		return;
	}
	jw w;
	req_json_list(r, &w, "rules");
	points_rules_each(r->db, now_unix(), api_rule_row, &w);
	req_json_list_end(&w);
}

static void api_adj_row(void *ctx, const struct points_adjustment *j)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "id", j->id);
	jw_kint(w, "member_id", j->member_id);
	jw_kstr(w, "member_name", j->member_name);
	jw_kstr(w, "org_name", j->org_name);
	jw_kint(w, "points", j->points);
	jw_kstr(w, "reason", j->reason);
	jw_kstr(w, "state", j->state);
	jw_kstr(w, "proposer", j->proposer);
	jw_kint(w, "proposed_at", j->proposed_at);
	jw_kstr(w, "decider", *j->decider ? j->decider : NULL);
	jw_kint(w, "decided_at", j->decided_at);
	jw_kstr(w, "decision_note", j->decision_note);
	if (j->ledger_id)
		jw_kint(w, "ledger_id", j->ledger_id);
	jw_end(w);
}

static const struct json_field adj_fields[] = {
	{"member", "党员", true, 'I', NULL},
	{"points", "调整分值", true, 'I', NULL},
	{"reason", "理由", false, 's', NULL},
	{NULL, NULL, false, 0, NULL},
};

void points_api_adjustments(req *r)
{
	struct field_errors e = {0};
	if (req_is_post(r)) {
		json_int_t member = 0, points = 0;
		const char *reason = NULL;
		if (!req_json_unpack(r, adj_fields, false, "{s:I, s:I, s?s}", "member", &member, "points", &points, "reason", &reason))
			return;
		char p[24];
		snprintf(p, sizeof p, "%lld", (long long)points);
		int64_t id;
		enum dj_result res = points_adjust_propose(r->db, &r->actor, member, p, reason, now_unix(), &id, &e);
		if (!req_ok(r, res, &e))
			return;
		jw w;
		req_json_obj(r, 201, &w);
		jw_kint(&w, "id", id);
		jw_kstr(&w, "state", "pending");
		jw_end(&w);
		return;
	}
	buf rows = {0};
	jw rw;
	jw_rows(&rw, &rows);
	enum dj_result res = points_adjustments_each(r->db, &r->actor, req_query(r, "state"), api_adj_row, &rw, &e);
	if (!req_rows_done(r, &rw, &rows, res, &e))
		return;
	jw w;
	req_json_obj(r, 200, &w);
	jw_krows(&w, "adjustments", &rows);
	jw_end(&w);
}

static const struct json_field decide_fields[] = {
	{"note", "审批意见", false, 's', NULL},
	{NULL, NULL, false, 0, NULL},
};

static void api_decide(req *r, bool approve)
{
	const char *note = NULL;
	if (!req_json_unpack(r, decide_fields, true, "{s?s}", "note", &note))
		return;
	struct field_errors e = {0};
	int64_t id = req_param_id(r, "id");
	enum dj_result res = points_adjust_decide(r->db, &r->actor, id, approve, note, now_unix(), &e);
	if (!req_ok(r, res, &e))
		return;
	struct points_adjustment j;
	bool found = points_adjustment_load(r->db, &r->actor, id, &j);
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	if (found)
		api_adj_row(&w, &j);
	else {
		jw_obj(&w);
		jw_kint(&w, "id", id);
		jw_end(&w);
	}
}

void points_api_approve(req *r) { api_decide(r, true); }
void points_api_reject(req *r) { api_decide(r, false); }

static const struct json_field correct_fields[] = {
	{"points", "应计分值", true, 'I', NULL},
	{"reason", "更正理由", false, 's', NULL},
	{NULL, NULL, false, 0, NULL},
};

void points_api_correct(req *r)
{
	json_int_t points = 0;
	const char *reason = NULL;
	if (!req_json_unpack(r, correct_fields, false, "{s:I, s?s}", "points", &points, "reason", &reason))
		return;
	char p[24];
	snprintf(p, sizeof p, "%lld", (long long)points);
	int64_t id;
	struct field_errors e = {0};
	enum dj_result res = points_correct(r->db, &r->actor, req_param_id(r, "id"), p, reason, now_unix(), &id, &e);
	if (!req_ok(r, res, &e))
		return;
	jw w;
	req_json_obj(r, 201, &w);
	jw_kint(&w, "id", id);
	jw_kint(&w, "corrects", req_param_id(r, "id"));
	jw_end(&w);
}
