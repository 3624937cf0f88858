/* demo_assess — branch assessment in 陈集镇 (issue 16 §7): the monthly
 * bulletins of the past months published by 组织委员 (the first one
 * republished with remarks, so it has a version 2), the committee's bonus and
 * deduction items for the last quarter and last year's quarters, last year's
 * 述职评议 of every branch, the 三会一课 of the branches that are not a
 * village's (window_meetings), last year's star rating (spread from 1 to 5
 * 星 on any clock: the model branch 陈集村 (demo.h) reaches 5 星 through
 * its records, its basic score, not a score written here) and its 优秀党支部. All through assess.c's functions, from the demo's records.
 * The town's orgs are written at build time, but its records go back a
 * year: the town is entered into the system (orgs.created_at, the column
 * orgs_create writes, from which a branch is assessed) on the first day of
 * the first month of the demo's window of records (demo.h: eleven months
 * back, twelve in December, so that last year always ends with a December
 * of every module's records), so the months before are 未纳入考核. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "assess.h"
#include "meetings.h"
#include "orgs.h"
#include "util.h"

static const char *const remarks[] = {
	"各支部接单及时，但部分支部主题党日“一实践”落实不到位，请对照清单于下月10日前补齐。",
	"本月群众满意度整体较好，西街村等支部送单及时；个别支部月度计划制定滞后，请书记亲自抓。",
	"红色“七点半”、三会一课、决议办结和志愿服务已按记录纳入月检查；逾期未办结的决议事项，请督导小组逐件跟进。",
};

struct invitees {
	int64_t ids[256];
	size_t n;
};
static void collect(void *ctx, const struct attendee *at)
{
	struct invitees *v = ctx;
	if (v->n < 256)
		v->ids[v->n++] = at->member_id;
}

/* The 三会一课 of the branches that are not a village's (镇机关, the schools,
 * the factory, the cooperative: demo_meetings.c writes the villages', with
 * their 红色七点半) over the whole window, as the meetings module requires
 * them each month, through meetings.c's functions — planned a week before,
 * most invitees present, held with minutes. Not every branch is as diligent:
 * by its place in the town (b % 4) one holds every meeting, one misses about
 * one in six, one one in three, one half, so last year's stars spread. The
 * number held, -1 on failure. */
static bool missed_by_habit(size_t b, int month, int k)
{
	static const int every[4] = {0, 6, 3, 2}; /* misses one meeting in … (0: none) */
	int n = every[b % 4];
	return n && (unsigned)(month * 7 + k * 3 + (int)b * 5) % (unsigned)n == 0;
}

static int window_meetings(db *d, const struct actor *cli, const char *town_path, int64_t now)
{
	static const struct {
		const char *type, *theme;
		int day, hour;
	} plan[] = {
		{"committee", "研究本月党建和重点工作", 3, 9},
		{"group", "学习交流，收集群众意见", 12, 15},
		{"assembly", "通报季度工作，讨论发展党员和重大事项", 18, 9},
		{"lesson", "书记讲党课：发挥党支部战斗堡垒作用", 22, 15},
	};
	int64_t branches[64];
	size_t nb = 0;
	db_stmt *s = db_query(d,
			      "SELECT id FROM orgs o WHERE type = 'branch' AND dissolved_at IS NULL AND path LIKE ? || '%' AND NOT EXISTS "
			      "(SELECT 1 FROM meetings m WHERE m.org_id = o.id AND m.type = 'red730') ORDER BY id",
			      "t", town_path);
	while (db_next(s) && nb < 64)
		branches[nb++] = db_int(s, 0);
	if (db_done(s) != DB_OK)
		return -1;
	int held = 0;
	for (int mi = 0; mi < demo_window_months(now); mi++) {
		char month[8];
		demo_window_month(now, mi, month);
		for (size_t b = 0; b < nb; b++) {
			struct compliance_row row;
			if (!meeting_compliance_of(d, branches[b], month, now, &row))
				continue;
			struct org o;
			if (!org_load(d, branches[b], &o))
				return -1;
			for (int k = 0; k < row.ncells; k++) {
				const struct compliance_cell *c = &row.cells[k];
				if (!strcmp(c->type, "red730") || strcmp(c->status, "missed") != 0)
					continue;
				size_t j = 0;
				while (j < sizeof plan / sizeof plan[0] && strcmp(plan[j].type, c->type))
					j++;
				if (j == sizeof plan / sizeof plan[0] || missed_by_habit(b, mi, k))
					continue;
				int64_t org = branches[b];
				if (!strcmp(c->type, "group") &&
				    !(org = db_int1(d, 0, "SELECT COALESCE(MIN(id), 0) FROM orgs WHERE parent_id = ? AND type = 'group'", "I",
						    branches[b])))
					continue;
				char date[32], start[16], end[16], place[200];
				snprintf(date, sizeof date, "%s-%02d", month, plan[j].day + (int)(b % 3));
				snprintf(start, sizeof start, "%02d:00", plan[j].hour);
				snprintf(end, sizeof end, "%02d:30", plan[j].hour + 1);
				snprintf(place, sizeof place, "%s活动室", o.name);
				int64_t t;
				if (!meeting_time_parse(date, start, &t))
					return -1;
				if (t + 2 * 3600 > now)
					continue; /* still to come */
				struct meeting_new n = {.org_id = org,
							.type = c->type,
							.theme = plan[j].theme,
							.content = plan[j].theme,
							.date = date,
							.start = start,
							.end = end,
							.place = place};
				struct field_errors e = {0};
				int64_t id = 0;
				struct invitees v = {0};
				if (meeting_plan(d, cli, &n, t - 7 * 86400, &id, &e) != DJ_OK)
					goto fail;
				meeting_each_attendee(d, id, collect, &v);
				int64_t present[256];
				size_t np = 0;
				for (size_t i = 0; i < v.n; i++)
					if (i == 0 || (i + b) % 7 != 3) /* about six in seven present */
						present[np++] = v.ids[i];
				char minutes[400];
				snprintf(minutes, sizeof minutes, "会议围绕“%s”进行，与会人员充分讨论，形成一致意见。", plan[j].theme);
				struct meeting_held h = {minutes, plan[j].theme, 0, 0, NULL};
				if (meeting_mark_present(d, cli, id, present, np, t + 5 * 60, &e) != DJ_OK ||
				    meeting_hold(d, cli, id, &h, t + 100 * 60, &e) != DJ_OK)
					goto fail;
				held++;
				continue;
fail:
				fprintf(stderr, "demo assess: %s %s: %s\n", o.name, c->label, dj_message(DJ_INVALID, &e));
				return -1;
			}
		}
	}
	return held;
}

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
	/* the town enters on the first day of the demo's window of records */
	char start[8];
	demo_window_month(now, 0, start);
	int64_t t0, t1;
	if (!assess_month_bounds(start, &t0, &t1) ||
	    db_run(d, "UPDATE orgs SET created_at = ? WHERE path LIKE ? || '%' AND created_at > ?", "ItI", t0, town_path, t0) != DB_OK)
		return 1;
	if (window_meetings(d, cli, town_path, now) < 0)
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
		{"CJZ-CJC", "y", "evaluation", 96, "年度述职评议"},
		{"CJZ-XJC", "y", "evaluation", 95, "年度述职评议"},
		{"CJZ-HZC", "y", "evaluation", 76, "年度述职评议"},
		{"CJZ-WZC", "y", "deduction", 3, "换届选举材料报送迟缓"},
		/* last year's 述职评议 of the other branches, and its quarters' bonuses ("2".."4": its Qn) */
		{"CJZ-XYSQ", "y", "evaluation", 90, "年度述职评议"},
		{"CJZ-JG-1", "y", "evaluation", 95, "年度述职评议"},
		{"CJZ-LQC", "y", "evaluation", 84, "年度述职评议"},
		{"CJZ-DSQ", "y", "evaluation", 83, "年度述职评议"},
		{"CJZ-WZC", "y", "evaluation", 78, "年度述职评议"},
		{"CJZ-EJ", "y", "evaluation", 80, "年度述职评议"},
		{"CJZ-JG-2", "y", "evaluation", 70, "年度述职评议"},
		{"CJZ-ZX", "y", "evaluation", 68, "年度述职评议"},
		{"CJZ-HZS", "y", "evaluation", 62, "年度述职评议"},
		{"CJZ-XX", "y", "evaluation", 60, "年度述职评议"},
		{"CJZ-CJC", "4", "bonus", 5, "党群服务中心代办经验被县委组织部推广"},
		{"CJZ-CJC", "3", "bonus", 4, "防汛抢险中党员突击队表现突出"},
		{"CJZ-XJC", "3", "bonus", 4, "“红色七点半”议事做法在全市交流"},
		{"CJZ-XJC", "4", "bonus", 3, "冬季安全生产入户宣传覆盖全村"},
		{"CJZ-XJC", "2", "bonus", 3, "村集体经济增收项目提前完成"},
		{"CJZ-JG-1", "3", "bonus", 6, "机关党员下沉网格服务获县通报表扬"},
		{"CJZ-JG-1", "4", "bonus", 5, "“我为群众办实事”项目按期全部办结"},
		{"CJZ-HZS", "3", "deduction", 5, "三会一课记录缺失，党费收缴不及时"},
		{"CJZ-XX", "4", "deduction", 5, "主题党日连续两月未开展"},
	};
	for (size_t i = 0; i < sizeof evals / sizeof evals[0]; i++) {
		struct field_errors e = {0};
		char last_q[24];
		snprintf(last_q, sizeof last_q, "%.4s-Q%c", last_year, evals[i].period_kind[0]);
		const char *period = evals[i].period_kind[0] == 'q' ? quarter : evals[i].period_kind[0] == 'y' ? last_year : last_q;
		if (assess_evaluation_add(d, &a, orgs_id_by_code(d, evals[i].org), period, evals[i].kind, evals[i].points, evals[i].note, now, &e) !=
		    DJ_OK) {
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
