/* Unit tests: role-model selection (SPEC M7, issue 15) on SQLite with the real
 * migrations. The candidate's state table drives a table-driven test: every
 * row is taken by every caller, through the domain function that takes it;
 * the callers the row names land in its next state with one audit row, the
 * others are refused and nothing changes. And the rules the tables do not
 * say alone: the one-vote veto whatever the scores, the notice's N full days
 * and open objections, the stage sequence. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "db.h"
#include "exemplars.h"
#include "orgs.h"
#include "unit_db.h"
#include "util.h"

static db *d;
static char path[96];
static int64_t town, dept, branch;
static char town_path[256], branch_path[256];
static int64_t uid[7];
#define NOW 1790000000

static int64_t add_user(const char *name, const char *role, int64_t org)
{
	return db_int1(
		d, 0,
		"INSERT INTO users (username, password_hash, name, role, org_id, created_at, updated_at) VALUES (?, 'x', ?, ?, ?, 0, 0) RETURNING id",
		"tttI", name, name, role, org);
}

static void org_path(int64_t id, char out[256])
{
	db_stmt *s = db_query(d, "SELECT path FROM orgs WHERE id = ?", "I", id);
	cr_assert(db_next(s));
	snprintf(out, 256, "%s", db_str(s, 0));
	db_done(s);
}

static void setup(void)
{
	d = unit_db_open("exemplars", path);
	int64_t county = orgs_create(d, 0, "XW", "东阿县委", "county", "");
	town = orgs_create(d, county, "CJZ", "陈集镇党委", "committee", "");
	dept = orgs_create(d, town, "CJZ-GA", "陈集派出所", "dept", "机关");
	branch = orgs_create(d, town, "CJZ-CJC", "陈集村党支部", "branch", "农村");
	cr_assert(dept > 0 && branch > 0);
	org_path(town, town_path);
	org_path(branch, branch_path);
	const char *roles[] = {"admin", "committee", "branch", "member", "grid", "reviewer"};
	int64_t orgs[] = {town, town, branch, branch, branch, dept};
	for (int i = 0; i < 6; i++)
		uid[i] = add_user(roles[i], roles[i], orgs[i]);
}

static void teardown(void) { unit_db_close(d, path); }

TestSuite(exemplars, .init = setup, .fini = teardown);

/* Every caller a row may name, as an actor of its own org. */
static const int callers[] = {R_ADMIN, R_COMMITTEE, R_BRANCH, R_MEMBER, R_GRID, R_REVIEWER, A_PUBLIC};
static void actor_of(int role, struct actor *a)
{
	memset(a, 0, sizeof *a);
	if (role == A_PUBLIC) {
		actor_public(a, "192.0.2.1");
		return;
	}
	int i = role == R_ADMIN ? 0 : role == R_COMMITTEE ? 1 : role == R_BRANCH ? 2 : role == R_MEMBER ? 3 : role == R_GRID ? 4 : 5;
	a->role = role;
	a->user_id = uid[i];
	a->org_id = role == R_REVIEWER ? dept : (role & (R_ADMIN | R_COMMITTEE)) ? town : branch;
	snprintf(a->org_path, sizeof a->org_path, "%s", role == R_ADMIN ? "/" : (role & R_COMMITTEE) ? town_path : branch_path);
	if (role == R_REVIEWER)
		org_path(dept, a->org_path);
	snprintf(a->username, sizeof a->username, "%s", role_key(role));
	snprintf(a->ip, sizeof a->ip, "test");
	actor_set_label(a);
}

static int64_t campaign_in(const char *stage, int64_t notice_start)
{
	int64_t id = db_int1(d, 0,
			     "INSERT INTO exemplar_campaigns (org_id, title, category, subject, year, quota, stage, nominate_until, review_until, "
			     "consult_until, notice_days, notice_start, created_at) VALUES (?, '测试评选', 'haoren', 'person', 2026, 3, ?, '2026-01-10', "
			     "'2026-01-20', '2026-01-30', 5, ?, 0) RETURNING id",
			     "ItI", town, stage, notice_start);
	cr_assert(id > 0);
	cr_assert(db_run(d, "INSERT INTO exemplar_campaign_depts (campaign_id, org_id) VALUES (?, ?)", "II", id, dept) == DB_OK);
	const char *names[] = {"政治素质", "工作实绩", "群众公认"};
	int64_t max[] = {30, 40, 30};
	for (int i = 0; i < 3; i++)
		cr_assert(db_run(d, "INSERT INTO exemplar_criteria (campaign_id, pos, name, max_points) VALUES (?, ?, ?, ?)", "IItI", id, (int64_t)i,
				 names[i], max[i]) == DB_OK);
	return id;
}

static int64_t candidate_in(int64_t campaign, const char *name, const char *state)
{
	int64_t id = db_int1(d, 0,
			     "INSERT INTO exemplar_candidates (campaign_id, name, unit, deeds, source, state, created_at, updated_at) "
			     "VALUES (?, ?, '陈集村', '事迹事迹事迹事迹事迹事迹', 'branch', ?, 0, 0) RETURNING id",
			     "Itt", campaign, name, state);
	cr_assert(id > 0);
	return id;
}

static char *state_of(int64_t id, char out[32])
{
	db_stmt *s = db_query(d, "SELECT state FROM exemplar_candidates WHERE id = ?", "I", id);
	cr_assert(db_next(s));
	snprintf(out, 32, "%s", db_str(s, 0));
	db_done(s);
	return out;
}

/* Takes one row's action on candidate id, as the domain offers it. */
static enum dj_result take(const struct exemplar_transition *t, const struct actor *a, int64_t campaign, int64_t id, struct field_errors *e)
{
	const char *act = t->action;
	if (!strcmp(act, "accept") || !strcmp(act, "reject") || !strcmp(act, "revoke"))
		return exemplar_act(d, a, id, act, "理由说明", NOW, e);
	if (!strcmp(act, "merge")) { /* an accept that finds the same person accepted already */
		int64_t first = candidate_in(campaign, "重复的人", "candidate");
		cr_assert(db_run(d, "UPDATE exemplar_candidates SET name = '重复的人' WHERE id = ?", "I", id) == DB_OK);
		(void)first;
		return exemplar_act(d, a, id, "accept", NULL, NOW, e);
	}
	if (!strcmp(act, "shortlist"))
		return exemplar_shortlist(d, a, campaign, &id, 1, NOW, e);
	if (!strcmp(act, "pass_over")) { /* another is shortlisted: this one is passed over */
		int64_t other = candidate_in(campaign, "另一人", "candidate");
		return exemplar_shortlist(d, a, campaign, &other, 1, NOW, e);
	}
	if (!strcmp(act, "veto") || !strcmp(act, "clear")) {
		int64_t task = db_int1(d, 0, "INSERT INTO exemplar_consults (candidate_id, dept_org_id, due_at) VALUES (?, ?, 0) RETURNING id", "II", id,
				       dept);
		return exemplar_consult_answer(d, a, task, !strcmp(act, "veto") ? "disagree" : "agree", "核查意见", NOW, e);
	}
	if (!strcmp(act, "publish"))
		return exemplar_publish(d, a, campaign, NOW, e);
	if (!strcmp(act, "uphold")) {
		int64_t o = db_int1(
			d, 0,
			"INSERT INTO exemplar_objections (candidate_id, name, phone, content, filed_at) VALUES (?, '赵', '13900000000', '异议内容', 0) "
			"RETURNING id",
			"I", id);
		return exemplar_objection_answer(d, a, o, "upheld", "经核实异议成立", NOW, e);
	}
	if (!strcmp(act, "award"))
		return exemplar_award(d, a, campaign, NOW, e);
	cr_assert_fail("no way to take the action %s", act);
	return DJ_INVALID;
}

Test(exemplars, every_row_of_the_state_table_for_every_caller)
{
	for (int i = 0; i < exemplar_transitions_count; i++) {
		const struct exemplar_transition *t = &exemplar_transitions[i];
		for (size_t k = 0; k < sizeof callers / sizeof callers[0]; k++) {
			cr_assert(db_begin(d, true) == DB_OK);
			int64_t campaign = campaign_in(t->stage ? t->stage : "review", NOW - 6 * 86400);
			int64_t id = candidate_in(campaign, "张三", t->from);
			struct actor a;
			actor_of(callers[k], &a);
			int64_t audits = db_int1(d, 0, "SELECT COUNT(*) FROM audit", "");
			struct field_errors e = {0};
			enum dj_result r = take(t, &a, campaign, id, &e);
			char st[32];
			bool allowed = (t->actors & callers[k]) != 0;
			if (allowed) {
				cr_assert_eq(r, DJ_OK, "%s → %s by %s: %s", t->from, t->action, role_key(callers[k]), dj_message(r, &e));
				cr_assert_str_eq(state_of(id, st), t->to, "%s by %s", t->action, role_key(callers[k]));
				char want[48];
				snprintf(want, sizeof want, "exemplar.%s", t->action);
				cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM audit WHERE action = ? AND entity_id = ?", "tI", want, id), 1,
					     "%s audited once", t->action);
			} else {
				cr_assert_neq(r, DJ_OK, "%s → %s must be refused to %s", t->from, t->action, role_key(callers[k]));
				cr_assert_str_eq(state_of(id, st), t->from, "%s refused to %s changed nothing", t->action, role_key(callers[k]));
				(void)audits;
			}
			db_rollback(d);
		}
	}
}

Test(exemplars, the_table_has_the_pipeline_and_no_row_twice)
{
	const char *pipe[] = {"nominated", "candidate", "shortlisted", "consulted", "on_notice", "awarded"};
	for (int i = 0; i + 1 < 6; i++) {
		bool found = false;
		for (int k = 0; k < exemplar_transitions_count; k++)
			found |= !strcmp(exemplar_transitions[k].from, pipe[i]) && !strcmp(exemplar_transitions[k].to, pipe[i + 1]);
		cr_assert(found, "%s → %s", pipe[i], pipe[i + 1]);
	}
	for (int i = 0; i < exemplar_transitions_count; i++) {
		cr_assert(*exemplar_state_label(exemplar_transitions[i].from) && *exemplar_state_label(exemplar_transitions[i].to));
		if (exemplar_transitions[i].stage)
			cr_assert_not_null(exemplar_stage_find(exemplar_transitions[i].stage));
		for (int k = i + 1; k < exemplar_transitions_count; k++)
			cr_assert(strcmp(exemplar_transitions[i].from, exemplar_transitions[k].from) ||
				  strcmp(exemplar_transitions[i].action, exemplar_transitions[k].action));
	}
	/* the stages follow one another, each ended by one action */
	for (int i = 0; i + 1 < exemplar_stages_count; i++)
		cr_assert_str_eq(exemplar_stages[i].next, exemplar_stages[i + 1].stage);
	cr_assert_null(exemplar_stages[exemplar_stages_count - 1].ends_by);
	/* a veto is a department's, never the committee's */
	cr_assert_null(exemplar_find("shortlisted", "veto", R_COMMITTEE));
	cr_assert_null(exemplar_find("shortlisted", "veto", R_ADMIN));
	cr_assert_not_null(exemplar_find("shortlisted", "veto", R_REVIEWER));
}

Test(exemplars, one_disagree_vetoes_the_best_scored_and_the_notice_needs_n_days_and_answers)
{
	struct actor zz, rv;
	actor_of(R_COMMITTEE, &zz);
	actor_of(R_REVIEWER, &rv);
	int64_t c = campaign_in("review", 0);
	int64_t best = candidate_in(c, "甲", "candidate"), other = candidate_in(c, "乙", "candidate");
	struct field_errors e = {0};
	int64_t full[] = {30, 40, 30}, some[] = {20, 20, 20}, over[] = {31, 0, 0};
	cr_assert_eq(exemplar_score(d, &rv, best, full, 3, NULL, NOW, &e), DJ_OK);
	cr_assert_eq(exemplar_score(d, &rv, other, some, 3, NULL, NOW, &e), DJ_OK);
	cr_assert_eq(exemplar_score(d, &rv, other, over, 3, NULL, NOW, &e), DJ_INVALID, "政治素质 is out of 30");
	cr_assert_str_eq(e.e[0].field, "points");
	cr_assert(strstr(e.e[0].msg, "政治素质"));
	e.n = 0;
	cr_assert_eq(exemplar_score(d, &rv, other, some, 2, NULL, NOW, &e), DJ_INVALID, "every criterion scored");
	e.n = 0;
	int64_t ids[] = {best, other};
	cr_assert_eq(exemplar_shortlist(d, &zz, c, ids, 2, NOW, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	int64_t t_best = db_int1(d, 0, "SELECT id FROM exemplar_consults WHERE candidate_id = ?", "I", best);
	int64_t t_other = db_int1(d, 0, "SELECT id FROM exemplar_consults WHERE candidate_id = ?", "I", other);
	cr_assert_eq(exemplar_publish(d, &zz, c, NOW, &e), DJ_CONFLICT, "not every department has answered");
	e.n = 0;
	cr_assert_eq(exemplar_consult_answer(d, &rv, t_best, "disagree", "有违纪记录", NOW, &e), DJ_OK);
	cr_assert_eq(exemplar_consult_answer(d, &rv, t_best, "agree", NULL, NOW, &e), DJ_CONFLICT, "answered twice");
	e.n = 0;
	cr_assert_eq(exemplar_consult_answer(d, &rv, t_other, "agree", NULL, NOW, &e), DJ_OK);
	struct exemplar_candidate x;
	cr_assert(exemplar_candidate_load(d, best, &x));
	cr_assert_str_eq(x.state, "vetoed");
	cr_assert_eq(x.score_x100, 10000, "the best score did not save it");
	cr_assert(strstr(x.veto_reason, "有违纪记录"));
	/* the audit row says no, not why */
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM audit WHERE summary LIKE '%有违纪记录%'", ""), 0);
	cr_assert_eq(exemplar_publish(d, &zz, c, NOW, &e), DJ_OK);
	cr_assert(exemplar_candidate_load(d, best, &x));
	cr_assert_str_eq(x.state, "vetoed", "never on notice");
	/* an objection and the N days */
	struct actor pub;
	actor_public(&pub, "192.0.2.9");
	struct exemplar_objection_new o = {"赵春生", "13905301888", "事迹不属实，请核实。", ""};
	int64_t oid;
	cr_assert_eq(exemplar_object(d, &pub, best, &o, NOW, &oid, &e), DJ_NOT_FOUND, "the vetoed one is not on notice");
	e.n = 0;
	cr_assert_eq(exemplar_object(d, &pub, other, &o, NOW + 60, &oid, &e), DJ_OK);
	e.n = 0;
	cr_assert_eq(exemplar_award(d, &zz, c, NOW + 5 * 86400 - 1, &e), DJ_CONFLICT, "one second short of five days");
	e.n = 0;
	cr_assert_eq(exemplar_award(d, &zz, c, NOW + 5 * 86400, &e), DJ_CONFLICT, "an objection is open");
	cr_assert(strstr(dj_message(DJ_CONFLICT, &e), "异议未答复"));
	e.n = 0;
	cr_assert_eq(exemplar_objection_answer(d, &zz, oid, "dismissed", "", NOW, &e), DJ_INVALID, "a reason is required");
	e.n = 0;
	cr_assert_eq(exemplar_objection_answer(d, &zz, oid, "dismissed", "经核查不属实", NOW, &e), DJ_OK);
	cr_assert_eq(exemplar_award(d, &zz, c, NOW + 5 * 86400, &e), DJ_OK);
	cr_assert(exemplar_candidate_load(d, other, &x));
	cr_assert_str_eq(x.state, "awarded");
	struct exemplar_candidate v;
	struct exemplar_campaign vc;
	char lower[32];
	snprintf(lower, sizeof lower, "%s", x.cert_no);
	for (char *p = lower; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	cr_assert_eq(exemplar_verify(d, lower, &v, &vc), DJ_OK, "typed in lower case");
	cr_assert_eq(exemplar_verify(d, "BY2026-AAAA-BBBB", &v, &vc), DJ_NOT_FOUND);
}

Test(exemplars, an_overdue_consultation_is_reminded_once)
{
	int64_t c = campaign_in("consultation", 0);
	int64_t cand = candidate_in(c, "丙", "shortlisted");
	cr_assert(db_run(d, "INSERT INTO exemplar_consults (candidate_id, dept_org_id, due_at) VALUES (?, ?, ?)", "III", cand, dept, (int64_t)NOW - 60) ==
		  DB_OK);
	int64_t cand2 = candidate_in(c, "丁", "shortlisted");
	cr_assert(db_run(d, "INSERT INTO exemplar_consults (candidate_id, dept_org_id, due_at) VALUES (?, ?, ?)", "III", cand2, dept,
			 (int64_t)NOW + 86400) == DB_OK);
	cr_assert_eq(exemplars_tick(d, NOW), 1, "only the overdue one");
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM notifications WHERE user_id = ?", "I", uid[5]), 1, "the department's reviewer is told");
	cr_assert_eq(exemplars_tick(d, NOW + 3600), 0, "once");
}

struct files_seen {
	int n;
	char names[4][128];
	int64_t ids[4];
};
static void file_seen(void *ctx, const struct exemplar_evidence *v)
{
	struct files_seen *s = ctx;
	if (s->n < 4) {
		snprintf(s->names[s->n], 128, "%s", v->name);
		s->ids[s->n] = v->id;
	}
	s->n++;
}

Test(exemplars, evidence_is_checked_by_content_written_with_its_answer_and_opened_by_the_committee_alone)
{
	struct actor zz, rv, br;
	actor_of(R_COMMITTEE, &zz);
	actor_of(R_REVIEWER, &rv);
	actor_of(R_BRANCH, &br);
	int64_t c = campaign_in("consultation", 0);
	int64_t cand = candidate_in(c, "丁", "shortlisted");
	cr_assert(db_run(d, "INSERT INTO exemplar_consults (candidate_id, dept_org_id, due_at) VALUES (?, ?, ?)", "III", cand, dept,
			 (int64_t)NOW + 86400) == DB_OK);
	int64_t t = db_int1(d, 0, "SELECT id FROM exemplar_consults WHERE candidate_id = ?", "I", cand);
	static const unsigned char pdf[] = "%PDF-1.4\n%%EOF\n", gif[] = "GIF89a....", jpg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'};
	struct field_errors e = {0};
	/* a GIF named .pdf: refused by its bytes, the answer not written either */
	struct exemplar_file bad[] = {{"证明.pdf", gif, sizeof gif - 1}};
	cr_assert_eq(exemplar_consult_answer_files(d, &rv, t, "disagree", "有前科", bad, 1, NOW, &e), DJ_INVALID);
	cr_assert_str_eq(e.e[0].field, "files");
	cr_assert(strstr(e.e[0].msg, "证明.pdf"));
	cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM exemplar_consults WHERE id = ? AND answer IS NOT NULL", "I", t), 0);
	e.n = 0;
	struct exemplar_file four[] = {
		{"1.pdf", pdf, sizeof pdf - 1}, {"2.pdf", pdf, sizeof pdf - 1}, {"3.pdf", pdf, sizeof pdf - 1}, {"4.pdf", pdf, sizeof pdf - 1}};
	cr_assert_eq(exemplar_consult_answer_files(d, &rv, t, "disagree", "有前科", four, 4, NOW, &e), DJ_INVALID, "three at most");
	e.n = 0;
	cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM exemplar_evidence", ""), 0, "nothing written");
	struct exemplar_file good[] = {{"/tmp/x/处罚决定书.pdf", pdf, sizeof pdf - 1}, {"现场.jpg", jpg, sizeof jpg}};
	cr_assert_eq(exemplar_consult_answer_files(d, &rv, t, "disagree", "有前科", good, 2, NOW, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	struct files_seen s = {0};
	exemplar_evidence_each(d, "consult", t, file_seen, &s);
	cr_assert_eq(s.n, 2);
	cr_assert_str_eq(s.names[0], "处罚决定书.pdf", "the name without its path");
	struct exemplar_evidence v;
	unsigned char *out = NULL;
	size_t len = 0;
	cr_assert(exemplar_evidence_load(d, &zz, s.ids[1], &v, &out, &len));
	cr_assert_str_eq(v.mime, "image/jpeg");
	cr_assert_eq(len, sizeof jpg);
	cr_assert_eq(memcmp(out, jpg, len), 0);
	free(out);
	cr_assert_not(exemplar_evidence_load(d, &rv, s.ids[0], &v, &out, &len), "not the department's to reopen");
	cr_assert_not(exemplar_evidence_load(d, &br, s.ids[0], &v, &out, &len), "nor a branch's");
	cr_assert_null(out);
}

Test(exemplars, the_certificate_pdf_of_a_valid_number_and_none_for_an_unknown_or_revoked_one)
{
	int64_t c = campaign_in("closed", 0);
	int64_t cand = candidate_in(c, "戊", "awarded");
	cr_assert(db_run(d, "UPDATE exemplar_candidates SET cert_no = 'BY2026-TEST-0001', awarded_at = ? WHERE id = ?", "II", (int64_t)NOW, cand) ==
		  DB_OK);
	char file[128];
	snprintf(file, sizeof file, "%s.cert.pdf", path);
	struct field_errors e = {0};
	cr_assert_eq(exemplar_certificate_pdf(d, "by2026-test-0001", "https://dj.example", file, &e), DJ_OK, "%s", dj_message(DJ_DB_ERROR, &e));
	FILE *f = fopen(file, "rb");
	cr_assert_not_null(f);
	char head[8] = {0};
	cr_assert_eq(fread(head, 1, 5, f), 5);
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fclose(f);
	remove(file);
	cr_assert_str_eq(head, "%PDF-");
	cr_assert(size > 10000, "the font is embedded (%ld bytes)", size);
	cr_assert_eq(exemplar_certificate_pdf(d, "BY2026-NONE-0000", "https://dj.example", file, &e), DJ_NOT_FOUND);
	e.n = 0;
	cr_assert(db_run(d, "UPDATE exemplar_candidates SET revoked_at = ? WHERE id = ?", "II", (int64_t)NOW, cand) == DB_OK);
	cr_assert_eq(exemplar_certificate_pdf(d, "BY2026-TEST-0001", "https://dj.example", file, &e), DJ_CONFLICT);
	cr_assert(strstr(dj_message(DJ_CONFLICT, &e), "撤销"));
}

struct cat_seen {
	int n;
	bool match;
};
static void cat_check(void *ctx, const struct exemplar_category *c)
{
	struct cat_seen *s = ctx;
	/* the migration's rows are the defaults of the code, in order */
	const char *const *p = exemplar_categories + 2 * s->n;
	if (!*p || strcmp(p[0], c->key) || strcmp(p[1], c->label) || !c->active)
		s->match = false;
	s->n++;
}

Test(exemplars, the_category_table_starts_with_the_defaults_and_a_campaign_keeps_its_category_name)
{
	struct cat_seen s = {0, true};
	exemplar_category_each(d, false, cat_check, &s);
	cr_assert(s.match);
	int defaults = 0;
	while (exemplar_categories[2 * defaults])
		defaults++;
	cr_assert_eq(s.n, defaults);
	struct actor zz, br;
	actor_of(R_COMMITTEE, &zz);
	actor_of(R_BRANCH, &br);
	struct field_errors e = {0};
	char key[32];
	cr_assert_eq(exemplar_category_add(d, &br, "最美网格员", "person", NOW, key, &e), DJ_FORBIDDEN);
	e.n = 0;
	cr_assert_eq(exemplar_category_add(d, &zz, "最美家庭", "person", NOW, key, &e), DJ_INVALID, "a label in use");
	e.n = 0;
	cr_assert_eq(exemplar_category_add(d, &zz, "最美网格员", "person", NOW, key, &e), DJ_OK);
	struct exemplar_campaign_new n;
	memset(&n, 0, sizeof n);
	snprintf(n.title, sizeof n.title, "最美网格员评选");
	snprintf(n.category, sizeof n.category, "%s", key);
	snprintf(n.subject, sizeof n.subject, "person");
	n.year = 2026;
	n.quota = 2;
	snprintf(n.nominate_until, sizeof n.nominate_until, "2026-09-10");
	snprintf(n.review_until, sizeof n.review_until, "2026-09-20");
	snprintf(n.consult_until, sizeof n.consult_until, "2026-09-30");
	n.depts[0] = "CJZ-GA";
	n.depts_n = 1;
	int64_t id = 0;
	cr_assert_eq(exemplar_campaign_create(d, &zz, &n, NOW, &id, &e), DJ_OK, "%s", dj_message(DJ_INVALID, &e));
	cr_assert_eq(exemplar_category_set(d, &zz, key, "最美网格长", 0, &e), DJ_OK);
	struct exemplar_campaign c;
	cr_assert(exemplar_campaign_load(d, id, &c));
	cr_assert_str_eq(c.category_label, "最美网格员", "the name it began with");
	cr_assert_eq(exemplar_campaign_create(d, &zz, &n, NOW, &id, &e), DJ_INVALID, "switched off");
	cr_assert_str_eq(e.e[0].field, "category");
}
