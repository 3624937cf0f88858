/* Unit tests of the figure registry, the dashboard's periods and the campaign
 * task state table (issue 17). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "audit.h"
#include "campaigns.h"
#include "dashboard.h"
#include "figures.h"
#include "module.h"
#include "orgs.h"
#include "unit_db.h"

/* 2026-02-15 12:00 in Beijing, and 2024-03-10 (after a leap February), 2026-01-05 */
#define FEB15_2026 ((int64_t)1771128000)
#define MAR10_2024 ((int64_t)1710043200)
#define JAN05_2026 ((int64_t)1767585600)

Test(figures, registry_lookups)
{
	size_t n;
	const struct figure **all = figures_all(&n);
	cr_assert(n >= 11, "the figures on main are registered (%zu)", n);
	for (size_t i = 0; i < n; i++) {
		cr_assert(all[i]->count && all[i]->href, "%s", all[i]->key);
		cr_assert(*all[i]->group && *all[i]->label && *all[i]->unit, "%s", all[i]->key);
		cr_assert_eq(figure_find(all[i]->key), all[i], "%s is found by its key", all[i]->key);
		for (size_t k = i + 1; k < n; k++)
			cr_assert_str_neq(all[i]->key, all[k]->key, "a key is registered once");
	}
	free(all);
	cr_assert_not_null(figure_find("orders.collected"));
	cr_assert_str_eq(figure_find("orders.collected")->label, "需求清单");
	cr_assert_null(figure_find("orders.nothing"));
	cr_assert_null(figure_find(NULL));
	const char *groups[32];
	size_t ng = figure_groups(groups, 32);
	cr_assert(ng >= 3);
	for (size_t g = 0; g < ng; g++)
		for (size_t k = g + 1; k < ng; k++)
			cr_assert_str_neq(groups[g], groups[k], "a group once");
}

Test(figures, period_presets)
{
	char f[11], t[11];
	cr_assert(figure_preset_dates("month", FEB15_2026, f, t));
	cr_assert_str_eq(f, "2026-02-01");
	cr_assert_str_eq(t, "2026-02-15");
	cr_assert(figure_preset_dates("last_month", FEB15_2026, f, t));
	cr_assert_str_eq(f, "2026-01-01");
	cr_assert_str_eq(t, "2026-01-31");
	cr_assert(figure_preset_dates("quarter", FEB15_2026, f, t));
	cr_assert_str_eq(f, "2026-01-01");
	cr_assert_str_eq(t, "2026-02-15");
	cr_assert(figure_preset_dates("year", FEB15_2026, f, t));
	cr_assert_str_eq(f, "2026-01-01");
	cr_assert(figure_preset_dates("last_month", MAR10_2024, f, t));
	cr_assert_str_eq(f, "2024-02-01");
	cr_assert_str_eq(t, "2024-02-29");
	cr_assert(figure_preset_dates("last_month", JAN05_2026, f, t));
	cr_assert_str_eq(f, "2025-12-01");
	cr_assert_str_eq(t, "2025-12-31");
	cr_assert(!figure_preset_dates("custom", FEB15_2026, f, t));
	cr_assert(!figure_preset_dates("decade", FEB15_2026, f, t));
	cr_assert(!figure_preset_dates(NULL, FEB15_2026, f, t));
}

Test(figures, scope_bad_input)
{
	struct figure_scope s;
	struct field_errors e = {0};
	cr_assert(figure_scope_set(&s, "/1/", "CJZ", "2026-01-01", "2026-01-31", 0, &e));
	cr_assert_eq(s.t1 - s.t0, 31 * 86400, "both days included");
	cr_assert(!figure_scope_set(&s, "/1/", "CJZ", "2026-02-01", "2026-01-31", 0, &e));
	cr_assert_not_null(ferr_get(&e, "to"));
	memset(&e, 0, sizeof e);
	cr_assert(!figure_scope_set(&s, "/1/", "CJZ", "2020-01-01", "2026-01-31", 0, &e));
	cr_assert(strstr(ferr_get(&e, "to"), "5 年"));
	memset(&e, 0, sizeof e);
	cr_assert(figure_scope_set(&s, "/1/", "CJZ", "2021-01-01", "2025-12-31", 0, &e), "five years are allowed");
	cr_assert(!figure_scope_set(&s, "/1/", "CJZ", "2026-1-1", NULL, 0, &e));
	cr_assert_not_null(ferr_get(&e, "from"));
	cr_assert_not_null(ferr_get(&e, "to"));
}

Test(campaigns, task_state_table)
{
	/* every transition goes from a state to a state of the list */
	for (size_t i = 0; i < campaign_task_transitions_n; i++) {
		const struct campaign_task_transition *t = &campaign_task_transitions[i];
		cr_assert_str_neq(campaign_task_state_label(t->from), t->from, "%s is a state", t->from);
		cr_assert_str_neq(campaign_task_state_label(t->to), t->to, "%s is a state", t->to);
		cr_assert_eq(campaign_task_find(t->from, t->action), t, "found by the table");
	}
	cr_assert_str_eq(campaign_task_find("todo", "start")->to, "doing");
	cr_assert_str_eq(campaign_task_find("doing", "finish")->to, "done");
	cr_assert_str_eq(campaign_task_find("done", "reopen")->to, "doing");
	cr_assert_null(campaign_task_find("done", "finish"), "done once");
	cr_assert_null(campaign_task_find("todo", "reopen"));
	cr_assert_null(campaign_task_find("doing", "start"));
	cr_assert_null(campaign_task_find(NULL, "start"));
}

/* The domain against a database: bad input writes nothing; an overdue task is never counted done. */
static db *d;
static char path[96];
static struct actor cli;
static void setup(void)
{
	d = unit_db_open("dashboard", path);
	int64_t county = orgs_create(d, 0, "XW", "某县委", "county", "");
	int64_t town = orgs_create(d, county, "CJZ", "陈集镇党委", "committee", "");
	cr_assert(orgs_create(d, town, "CJZ-CJC", "陈集村党支部", "branch", "农村") > 0);
	cr_assert(orgs_create(d, county, "HZ", "韩庄镇党委", "committee", "") > 0);
	actor_cli(&cli);
}
static void teardown(void) { unit_db_close(d, path); }
TestSuite(campaigns_db, .init = setup, .fini = teardown);

Test(campaigns_db, bad_input_writes_nothing_and_overdue_is_never_done)
{
	struct field_errors e = {0};
	int64_t cid, aid, tid;
	struct campaign_new c = {"CJZ", "主题活动", "2026-01-01", "2026-12-31", ""};
	cr_assert_eq(campaign_create(d, &cli, &c, &cid, &e), DJ_OK);
	cr_assert_eq(campaign_activity_add(d, &cli, cid, "外镇的活动", "HZ", "", &aid, &e), DJ_INVALID, "an org outside the campaign's subtree");
	cr_assert_not_null(ferr_get(&e, "org"));
	memset(&e, 0, sizeof e);
	cr_assert_eq(campaign_activity_add(d, &cli, cid, "办实事", "CJZ-CJC", "", &aid, &e), DJ_OK);
	struct campaign_task_new bad[] = {
		{"任务", "", "2026-03-01", "", NULL},          {"任务", "张三", "", "", NULL},
		{"任务", "张三", "2026-03-01", "12a", NULL},   {"任务", "张三", "2026-03-01", "-1", NULL},
		{"任务", "张三", "2026-03-01", "", "no.such"},
	};
	const char *fields[] = {"owner", "deadline", "target", "target", "figure"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&e, 0, sizeof e);
		cr_assert_eq(campaign_task_add(d, &cli, aid, &bad[i], &tid, &e), DJ_INVALID);
		cr_assert_not_null(ferr_get(&e, fields[i]), "%s", fields[i]);
	}
	cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM campaign_tasks", ""), 0, "nothing written");
	struct campaign_task_new late = {"过期任务", "张三", "2026-03-01", "5", "orders.collected"};
	memset(&e, 0, sizeof e);
	cr_assert_eq(campaign_task_add(d, &cli, aid, &late, &tid, &e), DJ_OK);
	struct campaign_overview ov;
	cr_assert_eq(campaign_overview(d, &cli, cid, FEB15_2026 + 40 * 86400, &ov, &e), DJ_OK);
	cr_assert_eq(ov.overdue, 1);
	cr_assert_eq(ov.done, 0);
	cr_assert_eq(ov.tasks[0].progress, 0, "no orders yet");
	campaign_overview_free(&ov);
	cr_assert_eq(campaign_task_act(d, &cli, tid, "finish", FEB15_2026 + 41 * 86400, &e), DJ_OK);
	cr_assert_eq(campaign_overview(d, &cli, cid, FEB15_2026 + 42 * 86400, &ov, &e), DJ_OK);
	cr_assert_eq(ov.overdue, 0, "done is not overdue");
	cr_assert_eq(ov.done, 1);
	campaign_overview_free(&ov);
	cr_assert_eq(campaign_task_act(d, &cli, tid, "finish", FEB15_2026, &e), DJ_CONFLICT);
	cr_assert_eq(campaign_task_act(d, &cli, tid, "fly", FEB15_2026, &e), DJ_NOT_FOUND);
}

/* The answer cache: a change that writes an audit entry (as every domain
 * change does) is counted at once; the same answer is kept otherwise, and
 * for at most FIGURE_CACHE_TTL seconds. */
Test(campaigns_db, figure_cache_follows_the_audit_generation)
{
	figure_cache_clear();
	const struct figure *f = figure_find("orgs.branches");
	cr_assert_not_null(f);
	char town_path[256] = "";
	db_stmt *q = db_query(d, "SELECT path FROM orgs WHERE code = 'CJZ'", "");
	if (db_next(q))
		snprintf(town_path, sizeof town_path, "%s", db_str(q, 0));
	cr_assert_eq(db_done(q), DB_OK);
	struct figure_scope s;
	struct field_errors e = {0};
	cr_assert(figure_scope_set(&s, town_path, "CJZ", "2026-01-01", "2026-12-31", FEB15_2026, &e));
	cr_assert_eq(figure_count(d, f, &s), 1);
	int64_t town = db_int1(d, 0, "SELECT id FROM orgs WHERE code = 'CJZ'", "");
	/* a branch written behind the domain's back: no audit entry, the answer is kept */
	cr_assert(orgs_create(d, town, "CJZ-XJC", "西街村党支部", "branch", "农村") > 0);
	struct figure_scope s2;
	cr_assert(figure_scope_set(&s2, town_path, "CJZ", "2026-01-01", "2026-12-31", FEB15_2026 + 1, &e));
	int64_t behind = f->count(d, &s2);
	cr_assert_eq(behind, 2, "counted directly");
	cr_assert_eq(figure_count(d, f, &s2), 1, "the answer of the same generation");
	/* an audited change moves the generation: counted again */
	cr_assert_eq(audit_write(d, &cli, "org.create", "org", town, town, "西街村党支部"), DB_OK);
	struct figure_scope s3;
	cr_assert(figure_scope_set(&s3, town_path, "CJZ", "2026-01-01", "2026-12-31", FEB15_2026 + 2, &e));
	cr_assert_eq(figure_count(d, f, &s3), 2);
	/* past the TTL it is counted again whatever the generation */
	cr_assert(orgs_create(d, town, "CJZ-DSQ", "东山社区党支部", "branch", "社区") > 0);
	struct figure_scope s4;
	cr_assert(figure_scope_set(&s4, town_path, "CJZ", "2026-01-01", "2026-12-31", FEB15_2026 + 2 + FIGURE_CACHE_TTL, &e));
	cr_assert_eq(figure_count(d, f, &s4), 3);
}
