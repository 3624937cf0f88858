/* demo_themeday — a year of 一月一课一片一实践 in 陈集镇 (issue 14 §8): the
 * committee's film list every month with its notice and links, screenings
 * by the branches, reflections from the members who have logins, a
 * practice most months, and one plan per branch and month, completed by the
 * month's records where there are any — so the compliance table has gaps
 * (a month without a screening, a branch that skipped its practice, the
 * current month still open). Made through themeday.c's functions at the
 * time each thing happened. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "lessons.h"
#include "orders.h"
#include "themeday.h"
#include "util.h"

static uint64_t rng = 0x7e3ed4a1ULL;
static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const struct {
	const char *title, *kind;
} films[] = {
	{"解码中部崛起——促进城乡融合", "policy"},
	{"拋砖屋场", "local"},
	{"星火燎原", "red"},
	{"警钟长鸣——身边的腐败", "warning"},
	{"焦裕禄", "red"},
	{"乡村振兴在路上", "policy"},
	{"信仰的力量", "red"},
	{"蝇贪之害", "warning"},
	{"黄河岸边的第一书记", "local"},
	{"新时代的枫桥经验", "policy"},
	{"永远的长征", "red"},
	{"小官巨贪警示录", "warning"},
	{"阿胶古镇新貌", "local"},
	{"共同富裕的乡村样本", "policy"},
	{"沂蒙红嫂", "red"},
	{"以案为鉴", "warning"},
	{"村里来了大学生", "local"},
	{"美丽乡村建设纪实", "policy"},
	{"红色家书", "red"},
	{"廉洁家风代代传", "warning"},
	{"西街村的变迁", "local"},
	{"习近平新时代中国特色社会主义思想学习纲要", "policy"},
	{"大决战", "red"},
	{"初心", "red"},
};
#define NFILMS (sizeof films / sizeof films[0])

static const char *const branches[] = {"CJZ-CJC", "CJZ-XJC", "CJZ-HZC", "CJZ-WZC", "CJZ-LQC",  "CJZ-DSQ", "CJZ-XYSQ",
				       "CJZ-ZX",  "CJZ-XX",  "CJZ-EJ",  "CJZ-HZS", "CJZ-JG-1", "CJZ-JG-2"};
#define NBRANCHES (sizeof branches / sizeof branches[0])
static const char *const practices[] = {"人居环境整治", "走访慰问困难老党员", "清理河道垃圾",     "防溺水安全宣传",   "秸秆禁烧巡查",
					"义务植树",     "帮助独居老人收麦",   "文明实践志愿服务", "红白喜事简办宣传", "为留守儿童辅导功课"};
static const char *const reflections[] = {
	"农为邦本，本固邦宁，作为农村党员，应该带头发展特色产业，为助推乡村振兴做贡献。",
	"片子里的事例离我们很近，看完以后更明白了党员要在群众中间，遇事冲在前面。",
	"警示教育让人警醒，小微权力也要在阳光下运行，我要从自身做起，守住底线。",
	"老一辈共产党员的信仰让人感动，我们在新时代也要把初心落在为群众办实事上。",
	"看完后和几位老党员交流，大家都说要把村里的路修好、把产业搞起来。",
};

/* The actor of a member login, as the session code would fill it. */
static bool member_actor(db *d, const char *username, struct actor *a)
{
	memset(a, 0, sizeof *a);
	db_stmt *s = db_query(d, "SELECT u.id, u.org_id, o.path, o.name, u.name, u.role FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.username = ?",
			      "t", username);
	bool ok = db_next(s);
	if (ok) {
		a->user_id = db_int(s, 0);
		a->role = role_from_key(db_str(s, 5));
		a->org_id = db_int(s, 1);
		snprintf(a->org_path, sizeof a->org_path, "%s", db_str(s, 2));
		snprintf(a->org_name, sizeof a->org_name, "%s", db_str(s, 3));
		snprintf(a->name, sizeof a->name, "%s", db_str(s, 4));
		snprintf(a->username, sizeof a->username, "%s", username);
		snprintf(a->ip, sizeof a->ip, "local");
		actor_set_label(a);
	}
	db_done(s);
	return ok;
}

static int fail(const char *what, enum dj_result r, const struct field_errors *e)
{
	fprintf(stderr, "dangjian demo: themeday: %s: %s\n", what, dj_message(r, e));
	return 1;
}

/* The first delivered lesson order of a branch in a month, 0 when none. */
static int64_t delivered_in(db *d, int64_t org, const char *month)
{
	return db_int1(
		d, 0,
		"SELECT MIN(lo.id) FROM lesson_orders lo WHERE lo.org_id = ? AND lo.state IN ('delivered', 'rated') AND lo.lesson_date LIKE ? || '%'",
		"It", org, month);
}

int demo_themeday(db *d, const struct actor *cli, FILE *out);
int demo_themeday(db *d, const struct actor *cli, FILE *out)
{
	int64_t now = now_unix();
	int64_t town = db_int1(d, 0, "SELECT id FROM orgs WHERE code = 'CJZ'", "");
	/* the members with logins write reflections from their phones */
	static const char *const writers[] = {"dangyuan", "wangge", "chenji", "xijie"};
	struct actor who[8];
	int nwho = 0;
	for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++)
		if (member_actor(d, writers[i], &who[nwho]) && lesson_member_of(d, &who[nwho]))
			nwho++;
	int screenings = 0, nrefl = 0, nplans = 0, complete = 0;
	char today_s[11];
	lesson_date_of(now, today_s);
	/* the demo's window of records: eleven months back, twelve in December (demo.h) */
	int nmonths = demo_window_months(now);
	for (int back = nmonths - 1; back >= 0; back--) {
		/* the month `back` months ago, its first day 10:00 Beijing time */
		int y = atoi(today_s), m = atoi(today_s + 5) - back;
		while (m < 1)
			m += 12, y--;
		char month[16], first[32];
		snprintf(month, sizeof month, "%04d-%02d", y, m);
		snprintf(first, sizeof first, "%s-01", month);
		int64_t t1;
		if (!day_start(first, &t1))
			return fail(month, DJ_INVALID, &(struct field_errors){0});
		t1 += 2 * 3600;
		struct field_errors e = {0};
		int64_t list, f[2];
		char notice[200];
		snprintf(notice, sizeof notice, "%d月主题党日请各支部组织观看以下教育片，可结合送戏下乡、云平台灵活安排，观看后在手机上提交观后感。", m);
		enum dj_result r = film_list_create(d, cli, town, month, notice, t1 - 3 * 86400, &list, &e);
		for (int k = 0; r == DJ_OK && k < 2; k++) {
			size_t fi = ((size_t)(nmonths - 1 - back) * 2 + (size_t)k) % NFILMS;
			r = film_add(d, cli, list, films[fi].title, films[fi].kind, "https://www.12371.cn/dyjy/", t1 - 3 * 86400, &f[k], &e);
		}
		if (r != DJ_OK)
			return fail("film list", r, &e);
		for (size_t b = 0; b < NBRANCHES; b++) {
			int64_t org = db_int1(d, 0, "SELECT id FROM orgs WHERE code = ?", "t", branches[b]);
			/* the current month is still open: nothing recorded in its first days */
			bool current = back == 0, early = current && now - t1 < 2 * 86400;
			/* most branches plan every month; 幸福社区 forgot two months */
			if (b == 6 && (back == 4 || back == 7))
				continue;
			const char *titles[3] = {"点单微党课", "观看本月教育片", practices[(b + (size_t)back) % 10]};
			int64_t plan;
			r = plan_create(d, cli, org, month, titles, t1 - 86400, &plan, &e);
			if (r != DJ_OK)
				return fail("plan", r, &e);
			nplans++;
			int done = 0;
			/* the screening (场次): skipped now and then, not yet this month for most */
			int64_t days_in = (now - t1) / 86400;
			/* the model branch (demo.h) never skips a past month's parts */
			bool model = !strcmp(branches[b], DEMO_MODEL_BRANCH) && !current;
			if (!early && (!current || b % 3 == 0) && (rnd(10) != 0 || model)) {
				int64_t at = t1 + (int64_t)(3 + rnd(current ? (unsigned)(days_in > 4 ? days_in - 3 : 1) : 20u)) * 86400;
				if (at > now)
					at = now - 3600;
				if (at < t1)
					at = t1;
				char date[11];
				lesson_date_of(at, date);
				int64_t size = db_int1(
					d, 1,
					"SELECT COUNT(*) FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE (SELECT path FROM orgs WHERE id = ?) "
					"|| '%' AND m.status NOT IN ('stopped', 'transferred')",
					"I", org);
				int64_t sid;
				r = screening_add(d, cli, f[rnd(2)], org, date, b < 7 ? "屋场微阵地" : "支部会议室", size * (6 + (int64_t)rnd(4)) / 10 + 1,
						  at, &sid, &e);
				if (r == DJ_OK && (r = plan_complete(d, cli, plan, "film", "screening", sid, NULL, at, &e)) == DJ_OK)
					done++;
				screenings++;
			}
			if (r != DJ_OK)
				return fail("screening", r, &e);
			/* the practice */
			if (!early && (!current || b % 2 == 0) && (rnd(8) != 0 || model)) {
				int64_t at = current ? now - 86400 : t1 + (int64_t)(10 + rnd(15)) * 86400;
				if (at < t1)
					at = t1 + 3600;
				char date[11];
				lesson_date_of(at, date);
				int64_t pid;
				r = practice_add(d, cli, org, titles[2], date, 8 + (int64_t)rnd(25), "", at, &pid, &e);
				if (r == DJ_OK && (r = plan_complete(d, cli, plan, "practice", "practice", pid, NULL, at, &e)) == DJ_OK)
					done++;
			}
			if (r != DJ_OK)
				return fail("practice", r, &e);
			/* the lesson: the month's delivered order, when the branch had one */
			int64_t lo = delivered_in(d, org, month);
			if (lo) {
				r = plan_complete(d, cli, plan, "lesson", "lesson_order", lo, NULL, now, &e);
				if (r != DJ_OK)
					return fail("plan lesson", r, &e);
				done++;
			}
			complete += done == 3;
		}
		/* reflections on the month's films from the phones */
		for (int k = 0; k < nwho && !(back == 0 && (k > 1 || now - t1 < 6 * 86400)); k++) {
			if (rnd(4) == 0)
				continue;
			int64_t at = t1 + (int64_t)(5 + rnd(20)) * 86400, rid;
			if (at > now - 2 * 86400)
				at = now - 2 * 86400; /* none today: today's reflection pays the day's points */
			r = reflection_add(d, &who[k], f[k % 2], reflections[rnd(sizeof reflections / sizeof reflections[0])], at, &rid, &e);
			if (r != DJ_OK)
				return fail("reflection", r, &e);
			nrefl++;
			if (rnd(2) == 0 && (r = reflection_share(d, cli, rid, true, &e)) != DJ_OK)
				return fail("share", r, &e);
		}
	}
	fprintf(out, "Theme party days: %d monthly film lists, %d screenings, %d reflections, %d plans (%d complete).\n", nmonths, screenings, nrefl,
		nplans, complete);
	return 0;
}
