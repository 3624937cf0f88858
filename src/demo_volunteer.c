/* demo_volunteer — a year of volunteer service in the demo town (issue 12
 * §9): a 共产党员服务队 per branch and two of the town, about a hundred
 * activities over the past year (each branch's, the town's, the
 * communities' open to 双报到 members), sign-ups through volunteer_signup,
 * check-ins and check-outs as the scans would write them (most members of
 * the demo have no login to scan with), a cancelled one, a few to come, and
 * the year's minimum of seed 001. Some members serve often enough for a star;
 * many stay below the minimum, so both pages have something to show. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "orders.h"
#include "points.h"
#include "util.h"
#include "volunteer.h"

static uint64_t rng = 0x7011deedULL;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const struct {
	const char *kind, *title, *place;
} plans[] = {
	{"policy", "红色七点半：医保政策宣讲", "党群服务中心"},
	{"policy", "防范电信诈骗进万家", "文化广场"},
	{"cleanup", "人居环境整治：清理垃圾死角", "主街"},
	{"cleanup", "河道沟渠清淤", "东沟渠"},
	{"clinic", "义诊义剪进社区", "卫生室"},
	{"clinic", "家电义修", "党群服务中心"},
	{"care", "走访慰问独居老人", "各户"},
	{"care", "留守儿童课业辅导", "农家书屋"},
	{"civility", "文明交通劝导", "十字路口"},
	{"civility", "移风易俗宣传", "文化广场"},
	{"flood", "汛前隐患排查", "沿河堤段"},
	{"cleanup", "植树护绿", "西林带"},
};

struct branch {
	const char *code, *team, *place;
};
static const struct branch branches[] = {
	{"CJZ-CJC", "陈集村共产党员服务队", "陈集村"},        {"CJZ-XJC", "西街村共产党员服务队", "西街村"},
	{"CJZ-HZC", "后赵村共产党员服务队", "后赵村"},        {"CJZ-WZC", "王庄村共产党员服务队", "王庄村"},
	{"CJZ-LQC", "李桥村共产党员服务队", "李桥村"},        {"CJZ-DSQ", "东升社区共产党员服务队", "东升社区"},
	{"CJZ-XYSQ", "幸福社区共产党员服务队", "幸福社区"},   {"CJZ-ZX", "镇中学师生志愿服务队", "陈集镇中学"},
	{"CJZ-EJ", "阿胶分厂党员先锋队", "东阿阿胶陈集分厂"}, {"CJZ-JG-1", "镇机关党员志愿服务队", "镇政府"},
};
#define NB (sizeof branches / sizeof branches[0])
#define COUNT_PLANS (unsigned)(sizeof plans / sizeof plans[0])

/* The members of an org's subtree (not 停止党籍), up to max, in id order. */
static size_t members_under(db *d, const char *code, int64_t *ids, size_t max)
{
	size_t n = 0;
	db_stmt *s = db_query(d,
			      "SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE (SELECT path FROM orgs WHERE code = ?) || '%' "
			      "AND m.status NOT IN ('stopped', 'transferred') ORDER BY m.id",
			      "t", code);
	while (db_next(s) && n < max)
		ids[n++] = db_int(s, 0);
	db_done(s);
	return n;
}

static void fmt_local(int64_t t, char out[24])
{
	char f[20];
	fmt_time(t, f);
	snprintf(out, 24, "%s", f);
}

/* One past activity: created and published a week before, signed up, held,
 * checked in and out as the members' phones would have, finished. turnout:
 * how many sign up (0: six to seventeen). */
static int held(db *d, const struct actor *cli, const char *org, int64_t team, const char *place, size_t plan, int64_t start, int64_t len,
		const int64_t *pool, size_t pool_n, const int64_t *always, size_t always_n, bool open_registered, size_t turnout, int64_t *activities)
{
	struct volunteer_new n = {0};
	char title[128], where[128], s[24], e[24], teamtxt[24];
	snprintf(title, sizeof title, "%s", plans[plan].title);
	snprintf(where, sizeof where, "%s%s", place, plans[plan].place);
	fmt_local(start, s);
	fmt_local(start + len, e);
	snprintf(teamtxt, sizeof teamtxt, "%lld", (long long)team);
	n.title = title;
	n.kind = plans[plan].kind;
	n.place = where;
	n.starts = s;
	n.ends = e;
	n.org_code = org;
	n.team = team ? teamtxt : "";
	n.capacity = 20 + 5 * rnd(5);
	if (turnout && n.capacity < (int64_t)turnout + 5)
		n.capacity = (int64_t)turnout + 5;
	n.open_registered = open_registered;
	n.publish = true;
	struct field_errors fe = {0};
	int64_t id;
	if (volunteer_create(d, cli, &n, start - 7 * 86400, &id, &fe) != DJ_OK) {
		fprintf(stderr, "demo volunteer: %s: %s\n", title, dj_message(DJ_INVALID, &fe));
		return -1;
	}
	(*activities)++;
	/* who comes: the regulars, then a share of the pool */
	int64_t who[128];
	size_t k = 0;
	for (size_t i = 0; i < always_n && k < 128; i++)
		who[k++] = always[i];
	size_t want = 6 + rnd(12);
	if (turnout)
		want = turnout < 128 ? turnout : 128;
	for (size_t tries = 0; k < want && tries < 3 * want && pool_n; tries++) {
		int64_t m = pool[rnd((unsigned)pool_n)];
		bool dup = false;
		for (size_t j = 0; j < k; j++)
			dup |= who[j] == m;
		if (!dup)
			who[k++] = m;
	}
	for (size_t i = 0; i < k; i++) {
		bool waiting;
		fe.n = 0;
		if (volunteer_signup(d, cli, id, who[i], start - (int64_t)(1 + rnd(5)) * 86400, &waiting, &fe) != DJ_OK)
			continue; /* not open to this member: refused as the page would */
		if (waiting || (i >= always_n && rnd(10) == 0))
			continue; /* on the waiting list, or did not come */
		/* on the spot: most on time, some late; a few leave early, a few forget to check out */
		int64_t in = start - 600 + (int64_t)rnd(900) + (rnd(6) == 0 ? 1800 : 0);
		int64_t out = start + len + (int64_t)rnd(600) - (rnd(8) == 0 ? 3600 : 0);
		bool forgot = rnd(15) == 0;
		if (db_run(d,
			   "UPDATE volunteer_signups SET checkin_at = ?, checkin_how = 'scan', checkout_at = ?, checkout_how = ?, minutes = ? WHERE "
			   "activity_id = ? AND member_id = ?",
			   "IItIII", in, forgot ? start + len : out, forgot ? "auto" : "scan",
			   volunteer_minutes(start, start + len, in, forgot ? start + len : out), id, who[i]) != DB_OK)
			return -1;
		/* and the points the check-out pays (volunteer.c's award: per full hour, once per attendance) */
		int64_t minutes = volunteer_minutes(start, start + len, in, forgot ? start + len : out);
		int64_t sid = db_int1(d, 0, "SELECT id FROM volunteer_signups WHERE activity_id = ? AND member_id = ?", "II", id, who[i]);
		if (minutes >= 60 &&
		    points_award(d, cli, who[i], "volunteer_hour", "volunteer_signup", sid, minutes / 60, forgot ? start + len : out, &fe) != DJ_OK) {
			fprintf(stderr, "demo volunteer: points: %s\n", dj_message(DJ_INVALID, &fe));
			return -1;
		}
	}
	if (db_run(d, "UPDATE volunteer_activities SET state = 'finished', public_count = ?, updated_at = ? WHERE id = ?", "III",
		   (int64_t)(rnd(3) ? rnd(25) : 0), start + len + VOLUNTEER_CLOSES_AFTER, id) != DB_OK)
		return -1;
	return 0;
}

int demo_volunteer(db *d, const struct actor *cli, FILE *out)
{
	int64_t now = now_unix();
	int64_t day0 = now - now % 86400 - 8 * 3600; /* a day's start in Beijing time */
	int64_t teams[NB], activities = 0;
	static int64_t pool[NB][128];
	size_t pool_n[NB];
	int64_t regulars[NB][4];
	struct field_errors e = {0};
	for (size_t b = 0; b < NB; b++) {
		pool_n[b] = members_under(d, branches[b].code, pool[b], 128);
		if (pool_n[b] < 8) {
			fprintf(stderr, "demo volunteer: too few members in %s\n", branches[b].code);
			return -1;
		}
		/* the team: its leader and ten to twenty members of the branch */
		if (volunteer_team_create(d, cli, branches[b].code, branches[b].team, pool[b][0], now - 360 * 86400, &teams[b], &e) != DJ_OK)
			return -1;
		size_t size = 10 + rnd(10);
		for (size_t i = 1; i <= size && i < pool_n[b]; i++)
			if (volunteer_team_add(d, cli, teams[b], pool[b][i], now - 350 * 86400, &e) != DJ_OK)
				return -1;
		for (size_t i = 0; i < 4; i++)
			regulars[b][i] = pool[b][i]; /* the leader and the first members come every time */
	}
	int64_t flood = 0, clinic = 0;
	if (volunteer_team_create(d, cli, "CJZ", "陈集镇抗洪防汛突击队", 0, now - 300 * 86400, &flood, &e) != DJ_OK ||
	    volunteer_team_create(d, cli, "CJZ", "陈集镇卫生院义诊服务队", 0, now - 300 * 86400, &clinic, &e) != DJ_OK)
		return -1;
	for (size_t b = 0; b < NB; b++)
		if (volunteer_team_add(d, cli, b % 2 ? flood : clinic, pool[b][5], now - 290 * 86400, &e) != DJ_OK ||
		    volunteer_team_add(d, cli, b % 2 ? flood : clinic, pool[b][6], now - 290 * 86400, &e) != DJ_OK)
			return -1;

	/* the member login of the demo (dangyuan) comes to its branch's and the town's activities */
	int64_t dangyuan = db_int1(d, 0, "SELECT m.id FROM members m JOIN users u ON u.id = m.user_id WHERE u.username = 'dangyuan'", "");

	/* over the demo's window of records (demo.h), its first day's activities
	 * two days after it opens */
	int span = demo_window_days(now) - 2;
	/* each branch: an activity about every six weeks over the past year */
	for (size_t b = 0; b < NB; b++) {
		bool community = strstr(branches[b].code, "SQ") != NULL;
		for (int i = 0; i < 8; i++) {
			int64_t start = day0 - (int64_t)(span - i * ((span - 42) / 7) - (int)rnd(20)) * 86400 +
					(rnd(2) ? 8 * 3600 + 1800 : 14 * 3600 + 1800);
			int64_t always[5];
			size_t an = 0;
			for (int j = 0; j < 4; j++)
				always[an++] = regulars[b][j];
			if (b == 0 && dangyuan)
				always[an++] = dangyuan;
			if (held(d, cli, branches[b].code, teams[b], branches[b].place, rnd(COUNT_PLANS), start, (int64_t)(2 + rnd(3)) * 3600, pool[b],
				 pool_n[b], always, an, community, 0, &activities))
				return -1;
		}
	}
	/* the model branch (demo.h): besides those, a 党员志愿服务日 on the
	 * 15th of every month, where most of its members serve */
	for (size_t b = 0; b < NB; b++) {
		if (strcmp(branches[b].code, DEMO_MODEL_BRANCH))
			continue;
		for (int mi = 0; mi < demo_window_months(now); mi++) {
			char month[8], date[11];
			demo_window_month(now, mi, month);
			snprintf(date, sizeof date, "%s-15", month);
			int64_t start;
			if (!day_start(date, &start))
				return -1;
			start += 8 * 3600 + 1800;
			if (start + 4 * 3600 + VOLUNTEER_CLOSES_AFTER > now)
				continue; /* not yet held */
			if (held(d, cli, branches[b].code, teams[b], branches[b].place, (size_t)mi % COUNT_PLANS, start, 3 * 3600, pool[b], pool_n[b],
				 regulars[b], 4, false, pool_n[b] * 4 / 5, &activities))
				return -1;
		}
	}

	/* the town's: every two weeks, open to every member of the town */
	static int64_t town[600];
	size_t town_n = members_under(d, "CJZ", town, 600);
	for (int i = 0; i < 26; i++) {
		int64_t start = day0 - (int64_t)(6 + (span - 6) * (25 - i) / 25) * 86400 + 8 * 3600 + 1800;
		size_t plan = i % 3 == 0 ? 10 : i % 3 == 1 ? 4 : 0;
		/* the team leaders and the demo's member come to the town's activities too: a star by the year's end */
		int64_t always[NB + 1];
		size_t an = 0;
		for (size_t b = 0; b < NB; b++)
			always[an++] = regulars[b][0];
		if (dangyuan)
			always[an++] = dangyuan;
		if (held(d, cli, "CJZ",
			 plan == 10  ? flood
			 : plan == 4 ? clinic
				     : 0,
			 "陈集镇", plan, start, 3 * 3600 + 1800, town, town_n, always, an, false, 0, &activities))
			return -1;
	}

	/* what is to come: two published activities, one cancelled for the weather */
	const struct {
		const char *org, *title, *kind, *place;
		int days, hour, cap;
		bool open;
	} upcoming[] = {
		{"CJZ-CJC", "冬季送温暖：走访慰问困难群众", "care", "陈集村党群服务中心", 3, 9, 20, false},
		{"CJZ-DSQ", "社区环境大扫除", "cleanup", "东升社区各小区", 5, 14, 30, true},
		{"CJZ", "文明交通劝导（集市日）", "civility", "陈集镇大集", 2, 8, 15, false},
	};
	for (size_t i = 0; i < sizeof upcoming / sizeof upcoming[0]; i++) {
		char s[24], en[24];
		int64_t start = day0 + (int64_t)upcoming[i].days * 86400 + (int64_t)upcoming[i].hour * 3600;
		fmt_local(start, s);
		fmt_local(start + 3 * 3600, en);
		struct volunteer_new n = {.title = upcoming[i].title,
					  .kind = upcoming[i].kind,
					  .place = upcoming[i].place,
					  .starts = s,
					  .ends = en,
					  .org_code = upcoming[i].org,
					  .team = "",
					  .capacity = upcoming[i].cap,
					  .open_registered = upcoming[i].open,
					  .publish = true};
		int64_t id;
		if (volunteer_create(d, cli, &n, now - 86400, &id, &e) != DJ_OK)
			return -1;
		activities++;
		if (i == 2 && volunteer_act(d, cli, id, "cancel", "集市因降雪暂停，活动顺延", now, &e) != DJ_OK)
			return -1;
	}
	/* seed 001: 每名党员参加志愿服务活动不少于2次 */
	char today[20];
	fmt_time(now, today);
	int64_t town_id = db_int1(d, 0, "SELECT id FROM orgs WHERE code = 'CJZ'", "");
	if (volunteer_minimum_set(d, cli, town_id, strtoll(today, NULL, 10), 2, "每名党员参加志愿服务活动不少于2次", now, &e) != DJ_OK)
		return -1;
	fprintf(out, "volunteer service: %lld activities, %zu teams + 2 of the town\n", (long long)activities, NB);
	return 0;
}
