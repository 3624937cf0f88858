/* demo_assess — branch assessment in 陈集镇 (issue 16 §7): the monthly
 * bulletins of the past months published by 组织委员 (the first one
 * republished with remarks, so it has a version 2), the committee's bonus and
 * deduction items for the last quarter, last year's star rating and its
 * 优秀党支部. All through assess.c's functions, from the demo's records.
 * The town's orgs are written at build time, but its records go back a
 * year: the town is entered into the system (orgs.created_at, the column
 * orgs_create writes, from which a branch is assessed) on the first day of
 * the first month of the demo's year of records (the 红色七点半 of
 * demo_meetings.c go back eleven months), so the months before are 未纳入考核. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess.h"
#include "orgs.h"
#include "util.h"

static const char *const remarks[] = {
	"各支部接单及时，但部分支部主题党日“一实践”落实不到位，请对照清单于下月10日前补齐。",
	"本月群众满意度整体较好，西街村等支部送单及时；个别支部月度计划制定滞后，请书记亲自抓。",
	"红色“七点半”、三会一课、决议办结和志愿服务已按记录纳入月检查；逾期未办结的决议事项，请督导小组逐件跟进。",
};

int demo_assess(db *d, const struct actor *cli, FILE *out);
int demo_assess(db *d, const struct actor *cli, FILE *out)
{
	int64_t town = orgs_id_by_code(d, "CJZ");
	if (!town)
		return 0;
	int64_t now = now_unix();
	char town_path[256] = "";
	db_stmt *st = db_query(d, "SELECT path FROM orgs WHERE id = ?", "I", town);
	if (db_next(st))
		snprintf(town_path, sizeof town_path, "%s", db_str(st, 0));
	if (db_done(st) != DB_OK || !*town_path)
		return 1;
	/* the demo's year of records: the current month and the eleven before (demo_meetings.c) */
	char start[16], m0[16];
	assess_month_of(now, start);
	for (int i = 0; i < 11; i++) {
		assess_month_prev(start, m0);
		snprintf(start, sizeof start, "%s", m0);
	}
	int64_t t0, t1;
	if (!assess_month_bounds(start, &t0, &t1) ||
	    db_run(d, "UPDATE orgs SET created_at = ? WHERE path LIKE ? || '%' AND created_at > ?", "ItI", t0, town_path, t0) != DB_OK)
		return 1;
	struct actor a = *cli;
	a.org_id = town;
	snprintf(a.label, sizeof a.label, "中共陈集镇委员会 组织委员");
	char cur[16], m[16];
	assess_month_of(now, cur);
	snprintf(m, sizeof m, "%s", cur);
	char months[3][16];
	for (int i = 2; i >= 0; i--) {
		assess_month_prev(m, months[i]);
		snprintf(m, sizeof m, "%s", months[i]);
	}
	int published = 0;
	for (int i = 0; i < 3; i++) {
		struct field_errors e = {0};
		int64_t id;
		/* the first month: published, then republished with the committee's remarks */
		if (i == 0 && assess_bulletin_publish(d, &a, town, months[i], "", now, &id, &e) != DJ_OK) {
			fprintf(stderr, "demo assess: bulletin %s: %s\n", months[i], dj_message(DJ_INVALID, &e));
			return 1;
		}
		if (assess_bulletin_publish(d, &a, town, months[i], remarks[i], now, &id, &e) != DJ_OK) {
			fprintf(stderr, "demo assess: bulletin %s: %s\n", months[i], dj_message(DJ_INVALID, &e));
			return 1;
		}
		published++;
	}
	/* the last quarter's evaluation items */
	int y = atoi(cur), mo = atoi(cur + 5), q = (mo - 1) / 3;
	if (q == 0)
		q = 4, y--;
	char quarter[16], last_year[16];
	snprintf(quarter, sizeof quarter, "%04d-Q%d", y % 10000, q % 10);
	snprintf(last_year, sizeof last_year, "%04d", (atoi(cur) - 1) % 10000);
	static const struct {
		const char *org, *period_kind, *kind;
		int points;
		const char *note;
	} evals[] = {
		{"CJZ-XJC", "q", "bonus", 3, "“红色七点半”议事经验在全县交流"},
		{"CJZ-HZC", "q", "deduction", 2, "主题党日记录不全，整改不及时"},
		{"CJZ-CJC", "y", "evaluation", 94, "年度述职评议"},
		{"CJZ-XJC", "y", "evaluation", 92, "年度述职评议"},
		{"CJZ-HZC", "y", "evaluation", 76, "年度述职评议"},
		{"CJZ-WZC", "y", "deduction", 3, "换届选举材料报送迟缓"},
	};
	for (size_t i = 0; i < sizeof evals / sizeof evals[0]; i++) {
		struct field_errors e = {0};
		if (assess_evaluation_add(d, &a, orgs_id_by_code(d, evals[i].org), evals[i].period_kind[0] == 'q' ? quarter : last_year, evals[i].kind,
					  evals[i].points, evals[i].note, now, &e) != DJ_OK) {
			fprintf(stderr, "demo assess: evaluation: %s\n", dj_message(DJ_INVALID, &e));
			return 1;
		}
	}
	struct field_errors e = {0};
	int64_t version;
	if (assess_stars_publish(d, &a, atoi(last_year), now, &version, &e) != DJ_OK) {
		fprintf(stderr, "demo assess: stars: %s\n", dj_message(DJ_INVALID, &e));
		return 1;
	}
	for (const char *const *o = (const char *const[]){"CJZ-CJC", "CJZ-XJC", NULL}; *o; o++)
		if (assess_excellent_add(d, &a, orgs_id_by_code(d, *o), last_year, "红色“七点半”优秀党支部", now, &e) != DJ_OK) {
			fprintf(stderr, "demo assess: excellent: %s\n", dj_message(DJ_INVALID, &e));
			return 1;
		}
	if (out)
		fprintf(out, "assessment: %d bulletins, %s stars, 2 excellent branches\n", published, last_year);
	return 0;
}
