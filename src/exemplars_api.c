/* exemplars_api — the JSON API of role-model selection (issue 15 §9): the
 * public's nominations, notice, objections and certificate check, and the
 * committee's, reviewers' and departments' steps. The state tables are served
 * as they are, so clients and tests read the same rows. */
#include "exemplars_api.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exemplars.h"
#include "json.h"
#include "util.h"
#include "web.h"

static void copy_field(char *dst, size_t n, const char *field, const char *v, struct field_errors *e)
{
	if (v && strlen(v) >= n)
		ferr_add(e, field, "内容过长");
	else
		snprintf(dst, n, "%s", v ? v : "");
}

static void ok_json(req *r, int status, const char *key, int64_t id)
{
	req_json_begin(r, status);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_kbool(&w, "ok", true);
	if (key)
		jw_kint(&w, key, id);
	jw_end(&w);
}

/* Evidence files in a JSON body: "files": [{"name": "…", "data": "base64"}];
 * the decoded bytes are kept in bufs (freed by evidence_free). */
struct api_files {
	struct exemplar_file f[EXEMPLAR_EVIDENCE_FILES + 1];
	unsigned char *bufs[EXEMPLAR_EVIDENCE_FILES + 1];
	int n;
};
static bool evidence_parse(json_t *arr, struct api_files *out, struct field_errors *e)
{
	memset(out, 0, sizeof *out);
	if (!arr)
		return true;
	if (!json_is_array(arr)) {
		ferr_add(e, "files", "佐证材料须为文件列表：[{\"name\": 文件名, \"data\": Base64 内容}]");
		return false;
	}
	if (json_array_size(arr) > EXEMPLAR_EVIDENCE_FILES) {
		ferr_add(e, "files", "佐证材料最多 %d 个文件（这次有 %zu 个）", EXEMPLAR_EVIDENCE_FILES, json_array_size(arr));
		return false;
	}
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		const char *name = json_string_value(json_object_get(v, "name")), *data = json_string_value(json_object_get(v, "data"));
		if (!json_is_object(v) || !data) {
			ferr_add(e, "files", "第 %zu 个佐证材料缺少 data（Base64 内容）", i + 1);
			return false;
		}
		size_t cap = strlen(data) / 4 * 3 + 3, len = 0;
		unsigned char *b = malloc(cap);
		if (!b || sodium_base642bin(b, cap, data, strlen(data), " \r\n", &len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
			free(b);
			ferr_add(e, "files", "第 %zu 个佐证材料的 data 不是有效的 Base64", i + 1);
			return false;
		}
		out->bufs[out->n] = b;
		out->f[out->n] = (struct exemplar_file){name ? name : "", b, len};
		out->n++;
	}
	return true;
}
static void evidence_free(struct api_files *f)
{
	for (int i = 0; i < f->n; i++)
		free(f->bufs[i]);
}

struct rows_ctx {
	jw *w;
	db *d;
	bool manage; /* the committee: with the evidence files */
};
static void evidence_json(void *ctx, const struct exemplar_evidence *v)
{
	jw *w = ctx;
	char url[64];
	snprintf(url, sizeof url, "/exemplars/evidence/%lld", (long long)v->id);
	jw_obj(w);
	jw_kint(w, "id", v->id);
	jw_kstr(w, "name", v->name);
	jw_kstr(w, "mime", v->mime);
	jw_kint(w, "bytes", v->bytes);
	jw_kstr(w, "url", url);
	jw_end(w);
}
static void evidence_list(struct rows_ctx *x, const char *kind, int64_t owner)
{
	if (!x->manage)
		return;
	jw_key(x->w, "files");
	jw_arr(x->w);
	exemplar_evidence_each(x->d, kind, owner, evidence_json, x->w);
	jw_aend(x->w);
}

void exemplars_api_transitions(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "stages");
	jw_arr(&w);
	for (int i = 0; i < exemplar_stages_count; i++) {
		jw_obj(&w);
		jw_kstr(&w, "stage", exemplar_stages[i].stage);
		jw_kstr(&w, "label", exemplar_stages[i].label);
		jw_kstr(&w, "ends_by", exemplar_stages[i].ends_by);
		jw_kstr(&w, "next", exemplar_stages[i].next);
		jw_end(&w);
	}
	jw_aend(&w);
	jw_key(&w, "transitions");
	jw_arr(&w);
	for (int i = 0; i < exemplar_transitions_count; i++) {
		const struct exemplar_transition *t = &exemplar_transitions[i];
		jw_obj(&w);
		jw_kstr(&w, "from", t->from);
		jw_kstr(&w, "action", t->action);
		jw_kstr(&w, "to", t->to);
		jw_kstr(&w, "stage", t->stage);
		jw_key(&w, "roles");
		jw_arr(&w);
		for (int b = 0; b < 10; b++)
			if (t->actors & (1 << b))
				jw_str(&w, role_key(1 << b));
		jw_aend(&w);
		jw_end(&w);
	}
	jw_aend(&w);
	jw_end(&w);
}

static void campaign_json(jw *w, const struct exemplar_campaign *c)
{
	jw_obj(w);
	jw_kint(w, "id", c->id);
	jw_kstr(w, "title", c->title);
	jw_kstr(w, "category", c->category);
	jw_kstr(w, "category_label", c->category_label);
	jw_kstr(w, "subject", c->subject);
	jw_kint(w, "year", c->year);
	jw_kint(w, "quota", c->quota);
	jw_kstr(w, "stage", c->stage);
	jw_kstr(w, "stage_label", exemplar_stage_label(c->stage));
	jw_kstr(w, "org", c->org_name);
	jw_kstr(w, "nominate_until", c->nominate_until);
	jw_kstr(w, "review_until", c->review_until);
	jw_kstr(w, "consult_until", c->consult_until);
	jw_kint(w, "notice_days", c->notice_days);
	if (c->notice_start) {
		jw_kint(w, "notice_start", c->notice_start);
		jw_kint(w, "notice_ends", exemplar_notice_ends(c));
	}
	jw_end(w);
}

static void campaign_row(void *ctx, const struct exemplar_campaign *c) { campaign_json(ctx, c); }

void exemplars_api_campaigns(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "campaigns");
	jw_arr(&w);
	exemplar_campaign_each(r->db, campaign_row, &w);
	jw_aend(&w);
	jw_end(&w);
}

static const struct json_field campaign_fields[] = {
	{"title", "活动名称", true, 's', NULL},
	{"category", "评选类别", true, 's', NULL},
	{"subject", "评选对象", false, 's', NULL},
	{"year", "年度", true, 'I', NULL},
	{"quota", "名额", true, 'I', NULL},
	{"notice_days", "公示天数", false, 'I', NULL},
	{"nominate_until", "推荐截止日期", true, 's', NULL},
	{"review_until", "评审截止日期", true, 's', NULL},
	{"consult_until", "征询截止日期", true, 's', NULL},
	{"depts", "征询部门", true, 'a', NULL},
	{"criteria", "评审指标", false, 'a', NULL},
	{NULL, NULL, false, 0, NULL},
};

void exemplars_api_campaign_create(req *r)
{
	const char *title = NULL, *category = NULL, *subject = NULL, *t1 = NULL, *t2 = NULL, *t3 = NULL;
	json_int_t year = 0, quota = 0, days = 0;
	json_t *depts = NULL, *criteria = NULL;
	if (!req_json_unpack(r, campaign_fields, false, "{s:s, s:s, s?s, s:I, s:I, s?I, s:s, s:s, s:s, s:o, s?o}", "title", &title, "category", &category,
			     "subject", &subject, "year", &year, "quota", &quota, "notice_days", &days, "nominate_until", &t1, "review_until", &t2,
			     "consult_until", &t3, "depts", &depts, "criteria", &criteria))
		return;
	struct exemplar_campaign_new n;
	memset(&n, 0, sizeof n);
	struct field_errors e = {0};
	copy_field(n.title, sizeof n.title, "title", title, &e);
	copy_field(n.category, sizeof n.category, "category", category, &e);
	copy_field(n.subject, sizeof n.subject, "subject", subject ? subject : "person", &e);
	copy_field(n.nominate_until, sizeof n.nominate_until, "nominate_until", t1, &e);
	copy_field(n.review_until, sizeof n.review_until, "review_until", t2, &e);
	copy_field(n.consult_until, sizeof n.consult_until, "consult_until", t3, &e);
	n.year = year, n.quota = quota, n.notice_days = days;
	size_t i;
	json_t *v;
	json_array_foreach(depts, i, v)
	{
		if (!json_is_string(v) || n.depts_n >= 12) {
			ferr_add(&e, "depts", "征询部门应为部门编码的列表（至多12个）");
			break;
		}
		n.depts[n.depts_n++] = json_string_value(v);
	}
	json_array_foreach(criteria, i, v)
	{
		const char *cname = NULL;
		json_int_t cmax = 0;
		if (n.criteria_n >= EXEMPLAR_CRITERIA_MAX || json_unpack(v, "{s:s, s:I}", "name", &cname, "max", &cmax) != 0) {
			ferr_add(&e, "criteria", "评审指标应为 {name, max} 的列表（至多%d项）", EXEMPLAR_CRITERIA_MAX);
			break;
		}
		n.criteria[n.criteria_n] = cname;
		n.criteria_max[n.criteria_n++] = cmax;
	}
	if (e.n) {
		req_fail(r, DJ_INVALID, &e);
		return;
	}
	int64_t id = 0;
	enum dj_result res = exemplar_campaign_create(r->db, &r->actor, &n, now_unix(), &id, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	ok_json(r, 201, "id", id);
}

static void candidate_json(jw *w, const struct exemplar_candidate *c, bool manage)
{
	jw_obj(w);
	jw_kint(w, "id", c->id);
	jw_kint(w, "campaign_id", c->campaign_id);
	jw_kstr(w, "name", c->name);
	jw_kstr(w, "unit", c->unit);
	jw_kstr(w, "deeds", c->deeds);
	jw_kstr(w, "state", c->state);
	jw_kstr(w, "state_label", exemplar_state_label(c->state));
	jw_kint(w, "nominations", c->nominations);
	jw_kint(w, "scores", c->scores);
	jw_key(w, "score");
	if (c->scores)
		jw_double(w, (double)c->score_x100 / 100.0);
	else
		jw_null(w);
	if (*c->cert_no)
		jw_kstr(w, "cert_no", c->cert_no);
	if (manage) { /* who nominated, and why a department said no: the committee's to read */
		jw_kstr(w, "source", c->source);
		jw_kstr(w, "nominator", c->nominator_name);
		if (c->merged_into)
			jw_kint(w, "merged_into", c->merged_into);
		jw_kstr(w, "veto_reason", c->veto_reason);
		if (c->revoked_at)
			jw_kstr(w, "revoke_reason", c->revoke_reason);
	}
	jw_end(w);
}

struct cand_ctx {
	jw *w;
	bool manage;
};
static void candidate_row(void *ctx, const struct exemplar_candidate *c)
{
	struct cand_ctx *x = ctx;
	candidate_json(x->w, c, x->manage);
}

void exemplars_api_campaign(req *r)
{
	struct exemplar_campaign c;
	if (!exemplar_campaign_load(r->db, req_param_id(r, "id"), &c)) {
		req_error(r, 404, "not_found", "评选活动不存在");
		return;
	}
	bool manage = permission_allows(&perm_exemplar_manage, &r->actor) && actor_covers(&r->actor, c.org_path);
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "campaign");
	campaign_json(&w, &c);
	struct exemplar_criterion crit[EXEMPLAR_CRITERIA_MAX];
	int cn = exemplar_criteria(r->db, c.id, crit);
	jw_key(&w, "criteria");
	jw_arr(&w);
	for (int i = 0; i < cn; i++) {
		jw_obj(&w);
		jw_kstr(&w, "name", crit[i].name);
		jw_kint(&w, "max", crit[i].max);
		jw_end(&w);
	}
	jw_aend(&w);
	struct exemplar_report rep;
	exemplar_report(r->db, c.id, &rep);
	jw_key(&w, "report");
	jw_obj(&w);
	jw_kint(&w, "nominations", rep.nominations);
	jw_kint(&w, "nominations_public", rep.by_source[0]);
	jw_kint(&w, "nominations_member", rep.by_source[1]);
	jw_kint(&w, "nominations_branch", rep.by_source[2]);
	jw_kint(&w, "nominations_committee", rep.by_source[3]);
	jw_kint(&w, "candidates", rep.candidates);
	jw_kint(&w, "shortlisted", rep.shortlisted);
	jw_kint(&w, "vetoed", rep.vetoed);
	jw_kint(&w, "on_notice", rep.on_notice);
	jw_kint(&w, "awarded", rep.awarded);
	jw_kint(&w, "revoked", rep.revoked);
	jw_kint(&w, "objection_upheld", rep.upheld);
	jw_kint(&w, "objections", rep.objections);
	jw_kint(&w, "objections_open", rep.objections_open);
	jw_kint(&w, "consults", rep.consults);
	jw_kint(&w, "consults_open", rep.consults_open);
	jw_end(&w);
	jw_key(&w, "candidates");
	jw_arr(&w);
	struct cand_ctx x = {&w, manage};
	exemplar_candidate_each(r->db, c.id, NULL, candidate_row, &x);
	jw_aend(&w);
	jw_end(&w);
}

static const struct json_field nomination_fields[] = {
	{"name", "被推荐人", true, 's', NULL},
	{"unit", "所在单位", false, 's', NULL},
	{"deeds", "主要事迹", false, 's', NULL},
	{"nominator_name", "推荐人姓名", false, 's', NULL},
	{"nominator_phone", "推荐人手机号", false, 's', NULL},
	{NULL, NULL, false, 0, NULL},
};

static void nominate(req *r, bool public)
{
	const char *name = NULL, *unit = NULL, *deeds = NULL, *nname = NULL, *nphone = NULL;
	if (!req_json_unpack(r, nomination_fields, false, "{s:s, s?s, s?s, s?s, s?s}", "name", &name, "unit", &unit, "deeds", &deeds, "nominator_name",
			     &nname, "nominator_phone", &nphone))
		return;
	struct exemplar_nomination n;
	memset(&n, 0, sizeof n);
	struct field_errors e = {0};
	copy_field(n.name, sizeof n.name, "name", name, &e);
	copy_field(n.unit, sizeof n.unit, "unit", unit, &e);
	copy_field(n.deeds, sizeof n.deeds, "deeds", deeds, &e);
	copy_field(n.nominator_name, sizeof n.nominator_name, "nominator_name", nname, &e);
	copy_field(n.nominator_phone, sizeof n.nominator_phone, "nominator_phone", nphone, &e);
	const char *key = public ? req_header(r, "Idempotency-Key") : NULL;
	bool printable = true;
	for (const char *c = key; c && *c; c++)
		printable &= *c > 0x20 && *c < 0x7f;
	if (key && (strlen(key) < 8 || strlen(key) > 64 || !printable))
		ferr_add(&e, "Idempotency-Key", "Idempotency-Key 应为 8 到 64 个字符");
	else if (key)
		snprintf(n.idempotency_key, sizeof n.idempotency_key, "%s", key);
	if (e.n) {
		req_fail(r, DJ_INVALID, &e);
		return;
	}
	int64_t now = now_unix();
	if (public && !exemplar_public_allowed(r->db, "nominate", r->ip, n.idempotency_key, now)) {
		req_set_header(r, "Retry-After", "3600");
		req_error(r, 429, "rate_limited", "提交过于频繁，请一小时后再试");
		return;
	}
	int64_t id = 0;
	bool repeated = false;
	enum dj_result res = exemplar_nominate(r->db, &r->actor, req_param_id(r, "id"), &n, now, &id, &repeated, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	req_json_begin(r, repeated ? 200 : 201);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_kint(&w, "id", id);
	jw_kbool(&w, "repeated", repeated);
	jw_end(&w);
}

void exemplars_api_nominate(req *r) { nominate(r, false); }
void exemplars_api_public_nominate(req *r) { nominate(r, true); }

static const struct json_field shortlist_fields[] = {
	{"candidates", "初步人选", false, 'a', NULL},
	{NULL, NULL, false, 0, NULL},
};

void exemplars_api_campaign_action(req *r)
{
	const char *action = req_param(r, "action");
	int64_t id = req_param_id(r, "id"), now = now_unix();
	struct field_errors e = {0};
	enum dj_result res;
	if (!strcmp(action, "shortlist")) {
		json_t *arr = NULL;
		if (!req_json_unpack(r, shortlist_fields, false, "{s?o}", "candidates", &arr))
			return;
		int64_t ids[512];
		int n = 0;
		size_t i;
		json_t *v;
		json_array_foreach(arr, i, v)
		{
			if (!json_is_integer(v) || n >= 512) {
				ferr_add(&e, "candidates", "初步人选应为人选编号的列表");
				req_fail(r, DJ_INVALID, &e);
				return;
			}
			ids[n++] = json_integer_value(v);
		}
		res = exemplar_shortlist(r->db, &r->actor, id, ids, n, now, &e);
	} else if (!strcmp(action, "open_review"))
		res = exemplar_open_review(r->db, &r->actor, id, now, &e);
	else if (!strcmp(action, "publish"))
		res = exemplar_publish(r->db, &r->actor, id, now, &e);
	else if (!strcmp(action, "award"))
		res = exemplar_award(r->db, &r->actor, id, now, &e);
	else {
		req_error(r, 404, "not_found", "未知的操作");
		return;
	}
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	ok_json(r, 200, NULL, 0);
}

static const struct json_field note_fields[] = {
	{"note", "说明", false, 's', NULL},
	{NULL, NULL, false, 0, NULL},
};

void exemplars_api_candidate_action(req *r)
{
	const char *note = NULL;
	if (!req_json_unpack(r, note_fields, true, "{s?s}", "note", &note))
		return;
	struct field_errors e = {0};
	enum dj_result res = exemplar_act(r->db, &r->actor, req_param_id(r, "id"), req_param(r, "action"), note, now_unix(), &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	ok_json(r, 200, NULL, 0);
}

static const struct json_field score_fields[] = {
	{"points", "各项得分", true, 'a', NULL},
	{"note", "评语", false, 's', NULL},
	{NULL, NULL, false, 0, NULL},
};

void exemplars_api_score(req *r)
{
	json_t *arr = NULL;
	const char *note = NULL;
	if (!req_json_unpack(r, score_fields, false, "{s:o, s?s}", "points", &arr, "note", &note))
		return;
	struct field_errors e = {0};
	int64_t points[EXEMPLAR_CRITERIA_MAX];
	int n = 0;
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		if (!json_is_integer(v) || n >= EXEMPLAR_CRITERIA_MAX) {
			ferr_add(&e, "points", "各项得分应为整数的列表，按评审指标的顺序");
			req_fail(r, DJ_INVALID, &e);
			return;
		}
		points[n++] = json_integer_value(v);
	}
	enum dj_result res = exemplar_score(r->db, &r->actor, req_param_id(r, "id"), points, n, note, now_unix(), &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	ok_json(r, 200, NULL, 0);
}

static void consult_row(void *ctx, const struct exemplar_consult *t)
{
	struct rows_ctx *x = ctx;
	jw *w = x->w;
	jw_obj(w);
	jw_kint(w, "id", t->id);
	jw_kint(w, "candidate_id", t->candidate_id);
	jw_kint(w, "campaign_id", t->campaign_id);
	jw_kstr(w, "campaign", t->campaign_title);
	jw_kstr(w, "candidate", t->candidate_name);
	jw_kstr(w, "unit", t->candidate_unit);
	jw_kstr(w, "dept", t->dept_name);
	jw_kint(w, "dept_id", t->dept_org_id);
	jw_kstr(w, "answer", *t->answer ? t->answer : NULL);
	jw_kstr(w, "note", t->note);
	jw_kint(w, "due_at", t->due_at);
	evidence_list(x, "consult", t->id);
	jw_end(w);
}

/* A reviewer lists its department's tasks; the committee those of one campaign (?campaign=). */
void exemplars_api_consults(req *r)
{
	int64_t campaign = parse_id(req_query(r, "campaign"));
	bool manage = permission_allows(&perm_exemplar_manage, &r->actor);
	if (!manage && r->actor.role != R_REVIEWER) {
		req_error(r, 403, "forbidden", "只有征询部门和镇党委可以查看征询事项");
		return;
	}
	if (manage && !campaign) {
		struct field_errors e = {0};
		ferr_add(&e, "campaign", "请指明评选活动");
		req_fail(r, DJ_INVALID, &e);
		return;
	}
	struct exemplar_campaign c;
	if (manage && (!exemplar_campaign_load(r->db, campaign, &c) || !actor_covers(&r->actor, c.org_path))) {
		req_error(r, 404, "not_found", "评选活动不存在");
		return;
	}
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "consults");
	jw_arr(&w);
	struct rows_ctx x = {&w, r->db, manage};
	exemplar_consult_each(r->db, manage ? 0 : r->actor.org_id, manage ? campaign : 0, consult_row, &x);
	jw_aend(&w);
	jw_end(&w);
}

static const struct json_field answer_fields[] = {
	{"answer", "意见", true, 's', NULL},
	{"note", "说明", false, 's', NULL},
	{"files", "佐证材料", false, 'a', NULL},
	{NULL, NULL, false, 0, NULL},
};

void exemplars_api_consult_answer(req *r)
{
	const char *answer = NULL, *note = NULL;
	json_t *files = NULL;
	if (!req_json_unpack(r, answer_fields, false, "{s:s, s?s, s?o}", "answer", &answer, "note", &note, "files", &files))
		return;
	struct field_errors e = {0};
	struct api_files f;
	enum dj_result res = DJ_INVALID;
	if (evidence_parse(files, &f, &e))
		res = exemplar_consult_answer_files(r->db, &r->actor, req_param_id(r, "id"), answer, note, f.f, f.n, now_unix(), &e);
	evidence_free(&f);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	ok_json(r, 200, NULL, 0);
}

static void public_row(void *ctx, const struct exemplar_candidate *c) { candidate_json(ctx, c, false); }

void exemplars_api_notice(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "candidates");
	jw_arr(&w);
	exemplar_notice_each(r->db, public_row, &w);
	jw_aend(&w);
	jw_end(&w);
}

static const struct json_field objection_fields[] = {
	{"name", "姓名", true, 's', NULL},          {"phone", "手机号", true, 's', NULL},    {"content", "异议内容", true, 's', NULL},
	{"evidence", "佐证材料", false, 's', NULL}, {"files", "佐证文件", false, 'a', NULL}, {NULL, NULL, false, 0, NULL},
};

void exemplars_api_object(req *r)
{
	const char *name = NULL, *phone = NULL, *content = NULL, *evidence = NULL;
	json_t *files = NULL;
	if (!req_json_unpack(r, objection_fields, false, "{s:s, s:s, s:s, s?s, s?o}", "name", &name, "phone", &phone, "content", &content, "evidence",
			     &evidence, "files", &files))
		return;
	struct exemplar_objection_new o;
	memset(&o, 0, sizeof o);
	struct field_errors e = {0};
	copy_field(o.name, sizeof o.name, "name", name, &e);
	copy_field(o.phone, sizeof o.phone, "phone", phone, &e);
	copy_field(o.content, sizeof o.content, "content", content, &e);
	copy_field(o.evidence, sizeof o.evidence, "evidence", evidence, &e);
	struct api_files f;
	bool parsed = evidence_parse(files, &f, &e);
	if (!parsed || e.n) {
		evidence_free(&f);
		req_fail(r, DJ_INVALID, &e);
		return;
	}
	o.files = f.f;
	o.nfiles = f.n;
	int64_t now = now_unix(), id = 0;
	if (!exemplar_public_allowed(r->db, "object", r->ip, NULL, now)) {
		evidence_free(&f);
		req_set_header(r, "Retry-After", "3600");
		req_error(r, 429, "rate_limited", "提交过于频繁，请一小时后再试");
		return;
	}
	enum dj_result res = exemplar_object(r->db, &r->actor, req_param_id(r, "id"), &o, now, &id, &e);
	evidence_free(&f);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	ok_json(r, 201, "id", id);
}

static void objection_row(void *ctx, const struct exemplar_objection *o)
{
	struct rows_ctx *x = ctx;
	jw *w = x->w;
	jw_obj(w);
	jw_kint(w, "id", o->id);
	jw_kint(w, "candidate_id", o->candidate_id);
	jw_kstr(w, "candidate", o->candidate_name);
	jw_kstr(w, "name", o->name);
	jw_kstr(w, "phone", o->phone);
	jw_kstr(w, "content", o->content);
	jw_kstr(w, "evidence", o->evidence);
	jw_kstr(w, "answer", *o->answer ? o->answer : NULL);
	jw_kstr(w, "reason", o->reason);
	jw_kint(w, "filed_at", o->filed_at);
	evidence_list(x, "objection", o->id);
	jw_end(w);
}

void exemplars_api_objections(req *r)
{
	struct exemplar_campaign c;
	if (!exemplar_campaign_load(r->db, req_param_id(r, "id"), &c) || !actor_covers(&r->actor, c.org_path)) {
		req_error(r, 404, "not_found", "评选活动不存在");
		return;
	}
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "objections");
	jw_arr(&w);
	struct rows_ctx x = {&w, r->db, true}; /* the committee's route alone */
	exemplar_objection_each(r->db, c.id, objection_row, &x);
	jw_aend(&w);
	jw_end(&w);
}

static const struct json_field objection_answer_fields[] = {
	{"answer", "答复", true, 's', NULL},
	{"reason", "理由", false, 's', NULL},
	{NULL, NULL, false, 0, NULL},
};

void exemplars_api_objection_answer(req *r)
{
	const char *answer = NULL, *reason = NULL;
	if (!req_json_unpack(r, objection_answer_fields, false, "{s:s, s?s}", "answer", &answer, "reason", &reason))
		return;
	struct field_errors e = {0};
	enum dj_result res = exemplar_objection_answer(r->db, &r->actor, req_param_id(r, "id"), answer, reason, now_unix(), &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	ok_json(r, 200, NULL, 0);
}

void exemplars_api_verify(req *r)
{
	struct exemplar_candidate c;
	struct exemplar_campaign camp;
	if (exemplar_verify(r->db, req_param(r, "no"), &c, &camp) != DJ_OK) {
		req_error(r, 404, "not_found", "查无此证书编号，该证书不是本平台颁发的");
		return;
	}
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_kstr(&w, "cert_no", c.cert_no);
	jw_kbool(&w, "valid", c.revoked_at == 0);
	jw_kbool(&w, "revoked", c.revoked_at != 0);
	jw_kstr(&w, "name", c.name);
	jw_kstr(&w, "unit", c.unit);
	jw_kstr(&w, "campaign", camp.title);
	jw_kstr(&w, "category", camp.category_label);
	jw_kint(&w, "year", camp.year);
	jw_kstr(&w, "org", camp.org_name);
	jw_kint(&w, "awarded_at", c.awarded_at);
	jw_end(&w);
}

void exemplars_api_tour_stats(req *r)
{
	struct exemplar_tour_stats st;
	exemplar_tour_stats(r->db, actor_scope(&r->actor), &st);
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_kint(&w, "tours", st.tours);
	jw_kint(&w, "sessions", st.sessions);
	jw_kint(&w, "audience", st.audience);
	jw_kint(&w, "speakers", st.speakers);
	jw_key(&w, "by_kind");
	jw_obj(&w);
	for (int k = 0; exemplar_place_kinds[2 * k]; k++)
		jw_kint(&w, exemplar_place_kinds[2 * k], st.by_kind[k]);
	jw_end(&w);
	jw_kstr(&w, "summary", st.summary);
	jw_end(&w);
}

static const struct json_field tour_fields[] = {
	{"title", "宣讲团名称", true, 's', NULL},
	{"speakers", "宣讲人", true, 'a', NULL},
	{NULL, NULL, false, 0, NULL},
};

void exemplars_api_tour_create(req *r)
{
	const char *title = NULL;
	json_t *arr = NULL;
	if (!req_json_unpack(r, tour_fields, false, "{s:s, s:o}", "title", &title, "speakers", &arr))
		return;
	struct field_errors e = {0};
	int64_t ids[64];
	int n = 0;
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		if (!json_is_integer(v) || n >= 64) {
			ferr_add(&e, "speakers", "宣讲人应为榜样编号的列表（至多64名）");
			req_fail(r, DJ_INVALID, &e);
			return;
		}
		ids[n++] = json_integer_value(v);
	}
	int64_t id = 0;
	enum dj_result res = exemplar_tour_create(r->db, &r->actor, title, ids, n, now_unix(), &id, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	ok_json(r, 201, "id", id);
}

static const struct json_field session_fields[] = {
	{"place_kind", "去处", true, 's', NULL},
	{"place", "地点", true, 's', NULL},
	{"day", "日期", true, 's', NULL},
	{NULL, NULL, false, 0, NULL},
};

void exemplars_api_session_book(req *r)
{
	const char *kind = NULL, *place = NULL, *dayv = NULL;
	if (!req_json_unpack(r, session_fields, false, "{s:s, s:s, s:s}", "place_kind", &kind, "place", &place, "day", &dayv))
		return;
	struct field_errors e = {0};
	int64_t id = 0;
	enum dj_result res = exemplar_session_book(r->db, &r->actor, req_param_id(r, "id"), kind, place, dayv, now_unix(), &id, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	ok_json(r, 201, "id", id);
}

static const struct json_field report_fields[] = {
	{"audience", "受众人次", true, 'I', NULL},
	{NULL, NULL, false, 0, NULL},
};

void exemplars_api_session_report(req *r)
{
	json_int_t audience = 0;
	if (!req_json_unpack(r, report_fields, false, "{s:I}", "audience", &audience))
		return;
	struct field_errors e = {0};
	enum dj_result res = exemplar_session_report(r->db, &r->actor, req_param_id(r, "id"), audience, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	ok_json(r, 200, NULL, 0);
}

static const struct json_field care_fields[] = {
	{"candidate_id", "榜样", true, 'I', NULL}, {"kind", "类型", true, 's', NULL}, {"day", "日期", true, 's', NULL},
	{"note", "内容", true, 's', NULL},         {NULL, NULL, false, 0, NULL},
};

void exemplars_api_care_add(req *r)
{
	json_int_t cand = 0;
	const char *kind = NULL, *dayv = NULL, *note = NULL;
	if (!req_json_unpack(r, care_fields, false, "{s:I, s:s, s:s, s:s}", "candidate_id", &cand, "kind", &kind, "day", &dayv, "note", &note))
		return;
	struct field_errors e = {0};
	int64_t id = 0;
	enum dj_result res = exemplar_care_add(r->db, &r->actor, cand, kind, dayv, note, now_unix(), &id, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	ok_json(r, 201, "id", id);
}

static void session_json(void *ctx, const struct exemplar_tour_session *s)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "id", s->id);
	jw_kint(w, "tour_id", s->tour_id);
	jw_kstr(w, "tour", s->tour_title);
	jw_kstr(w, "place_kind", s->place_kind);
	jw_kstr(w, "place_kind_label", exemplar_pair_label(exemplar_place_kinds, s->place_kind));
	jw_kstr(w, "place", s->place);
	jw_kstr(w, "day", s->day);
	jw_kbool(w, "held", s->held);
	jw_kint(w, "audience", s->audience);
	jw_end(w);
}

/* The sessions of the caller's subtree, newest day first: the rows the tour figures count. */
void exemplars_api_sessions(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "sessions");
	jw_arr(&w);
	exemplar_session_each(r->db, actor_scope(&r->actor), session_json, &w);
	jw_aend(&w);
	jw_end(&w);
}

static void care_json(void *ctx, const struct exemplar_care *c)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "id", c->id);
	jw_kint(w, "candidate_id", c->candidate_id);
	jw_kstr(w, "name", c->candidate_name);
	jw_kstr(w, "org", c->org_name);
	jw_kstr(w, "kind", c->kind);
	jw_kstr(w, "kind_label", exemplar_pair_label(exemplar_care_kinds, c->kind));
	jw_kstr(w, "day", c->day);
	jw_kstr(w, "note", c->note);
	jw_end(w);
}

void exemplars_api_care(req *r)
{
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "care");
	jw_arr(&w);
	exemplar_care_each(r->db, actor_scope(&r->actor), care_json, &w);
	jw_aend(&w);
	jw_end(&w);
}

/* ---- the categories ---- */

static void category_json(void *ctx, const struct exemplar_category *c)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kstr(w, "key", c->key);
	jw_kstr(w, "label", c->label);
	jw_kstr(w, "subject", c->subject);
	jw_kbool(w, "active", c->active);
	jw_end(w);
}

/* Every category (?active=1: those a campaign may take). */
void exemplars_api_categories(req *r)
{
	const char *a = req_query(r, "active");
	req_json_begin(r, 200);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_key(&w, "categories");
	jw_arr(&w);
	exemplar_category_each(r->db, a && !strcmp(a, "1"), category_json, &w);
	jw_aend(&w);
	jw_end(&w);
}

static const struct json_field category_fields[] = {
	{"label", "类别名称", true, 's', NULL},
	{"subject", "评选对象", false, 's', NULL},
	{"active", "启用", false, 'b', NULL},
	{NULL, NULL, false, 0, NULL},
};

void exemplars_api_category_add(req *r)
{
	const char *label = NULL, *subject = "person";
	if (!req_json_unpack(r, category_fields, false, "{s:s, s?s}", "label", &label, "subject", &subject))
		return;
	struct field_errors e = {0};
	char key[32];
	enum dj_result res = exemplar_category_add(r->db, &r->actor, label, subject, now_unix(), key, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	req_json_begin(r, 201);
	jw w;
	jw_init(&w, &r->out);
	jw_obj(&w);
	jw_kbool(&w, "ok", true);
	jw_kstr(&w, "key", key);
	jw_end(&w);
}

static const struct json_field category_set_fields[] = {
	{"label", "类别名称", false, 's', NULL},
	{"active", "启用", false, 'b', NULL},
	{NULL, NULL, false, 0, NULL},
};

void exemplars_api_category_set(req *r)
{
	const char *label = NULL;
	int active = -1;
	if (!req_json_unpack(r, category_set_fields, false, "{s?s, s?b}", "label", &label, "active", &active))
		return;
	struct field_errors e = {0};
	enum dj_result res = exemplar_category_set(r->db, &r->actor, req_param(r, "key"), label, active, &e);
	if (res != DJ_OK) {
		req_fail(r, res, &e);
		return;
	}
	ok_json(r, 200, NULL, 0);
}
