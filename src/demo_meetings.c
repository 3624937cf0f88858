/* demo_meetings — a year of meetings in 陈集镇's villages (issue 13 §8, seed
 * 004): the committee's monthly plan of the 红色七点半, which every village
 * holds each month with its members, progressive youth and residents'
 * representatives; decisions taken there with an owner, a deadline and a
 * supervision group, done on time, done late, still open and overdue; 三会一课
 * over the whole window (with a few missed, so the compliance table has
 * something to show); one 四议两公开 matter through all six steps and one
 * stopped at a failed quorum. Everything goes through the domain functions
 * of meetings.c with the time it happened, so the demo holds nothing the
 * real workflow could not have produced, and the seed's figures ("召开会议…
 * 次，解决村内难题、急事…件") are counted from these records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "meetings.h"
#include "orgs.h"
#include "util.h"

static uint64_t rng = 0x7e30c0ffeeULL;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const struct {
	const char *code, *name, *groups[3];
} villages[] = {
	{"CJZ-CJC", "陈集村", {"CJZ-CJC-1", "CJZ-CJC-2", "CJZ-CJC-3"}}, {"CJZ-XJC", "西街村", {"CJZ-XJC-1", "CJZ-XJC-2", NULL}},
	{"CJZ-HZC", "后赵村", {"CJZ-HZC-1", "CJZ-HZC-2", NULL}},        {"CJZ-WZC", "王庄村", {"CJZ-WZC-1", "CJZ-WZC-2", NULL}},
	{"CJZ-LQC", "李桥村", {"CJZ-LQC-1", "CJZ-LQC-2", NULL}},        {"CJZ-DSQ", "东升社区", {"CJZ-DSQ-1", "CJZ-DSQ-2", NULL}},
	{"CJZ-XYSQ", "幸福社区", {"CJZ-XYSQ-1", "CJZ-XYSQ-2", NULL}},
};
#define NVILLAGES (sizeof villages / sizeof villages[0])

/* The committee's plan for each month of the year: the seed's seven tasks. */
static const struct {
	const char *theme, *content;
} plans[] = {
	{"政策理论宣传", "学习党的重要会议精神和“三农”政策，老党员讲初心故事，每人谈学习感悟。"},
	{"村级产业发展", "致富能手讲黄瓜种植和大棚管理技术，议定本村产业发展的难题。"},
	{"矛盾纠纷化解", "梳理村内邻里、宅基地、土地承包纠纷，党员分片包联化解。"},
	{"人居环境整治", "划分党员责任网格，议定垃圾清运、排水沟疏通和村容村貌整治。"},
	{"文化移风易俗", "修订村规民约，红白理事会议定操办标准，倡导婚事新办、丧事简办。"},
	{"帮办代办服务", "梳理独居老人、困难群众的代办需求，党员认领医疗代办、电费代缴。"},
	{"冬季安全生产", "排查取暖、用电、燃气安全隐患，组织党员志愿者入户宣传。"},
	{"乡村振兴议事", "围绕村集体经济增收建言献策，议定年度重点项目。"},
	{"为民办实事", "群众代表提出急难愁盼问题，现场确定负责人和完成时限。"},
	{"党史学习教育", "观看专题片，优秀党员讲学习体会，进步青年谈入党志愿。"},
	{"秋收秋种服务", "组织党员帮助缺劳力家庭秋收，协调农机和农资统一采购。"},
	{"年终工作总结", "总结全年红色七点半议定事项的办理情况，群众代表评议。"},
};

static const char *const matters[] = {
	"修复村东头损坏的路灯三盏",
	"疏通村西排水沟，解决雨后积水进院",
	"清理村北垃圾堆放点并设置分类垃圾桶",
	"调解王家与李家的宅基地边界纠纷",
	"为独居老人代办慢性病门诊备案",
	"组织黄瓜大棚种植技术培训",
	"硬化村南生产路约200米",
	"更换村委会门口损坏的健身器材",
	"整治村内主街两侧私搭乱建",
	"修订村规民约，明确红白事操办标准",
	"建设村级电商直播带货点",
	"修缮村文化广场舞台",
	"排查冬季取暖用电安全隐患",
	"协调化肥、种子统一采购",
	"帮助返乡青年申请创业担保贷款",
	"为留守儿童开设周末课堂",
	"维修村卫生室漏雨屋顶",
	"在村口增设交通安全警示牌",
	"清理坑塘淤泥，恢复蓄水",
	"协调解决三户群众饮水管道漏水",
	"组织党员帮助缺劳力家庭秋收",
	"建立困难群众台账并逐户走访",
	"规范村内柴草堆放，消除火灾隐患",
	"配合镇卫生院开展老年人免费体检",
};
#define NMATTERS (sizeof matters / sizeof matters[0])
static const char *const progress_notes[] = {"已完成现场勘察，制定实施方案",   "已采购所需材料，组织党员志愿者施工", "督导小组现场查看进度",
					     "已完成过半，剩余部分本周内完成", "已与相关户主沟通，取得同意",         "已协调镇相关部门给予支持"};
static const char *const results[] = {"已按要求完成，群众代表验收满意", "问题已解决，督导小组回访确认", "已全部完成，在村务公开栏公示",
				      "已办结，群众评价满意"};
static const char *const reps[] = {"王大爷", "李奶奶", "张婶", "赵师傅", "刘大姐", "陈老汉", "孙阿姨", "杨大哥", "周大娘", "吴叔"};

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

static int fail(const char *what, enum dj_result res, const struct field_errors *e)
{
	fprintf(stderr, "dangjian demo: meetings: %s: %s\n", what, dj_message(res, e));
	return 1;
}

/* A meeting planned a week before, held (when its time has passed) with most
 * invitees present; its id into *id_out (0 when still to come). */
static int meeting(db *d, const struct actor *a, int64_t org_id, const char *type, int64_t plan_id, const char *theme, const char *content,
		   const char *place, int64_t start, int64_t now, bool cancel, int64_t *id_out, int64_t *host_out)
{
	char date[11], t0[20], t1[20];
	meeting_date_of(start, date);
	fmt_time(start, t0);
	fmt_time(start + 90 * 60, t1);
	struct meeting_new n = {.org_id = org_id,
				.plan_id = plan_id,
				.type = type,
				.theme = theme,
				.content = content,
				.date = date,
				.start = t0 + 11,
				.end = t1 + 11,
				.place = place};
	struct field_errors e = {0};
	int64_t id = 0;
	enum dj_result res = meeting_plan(d, a, &n, start - 7 * 86400, &id, &e);
	if (res != DJ_OK)
		return fail(theme, res, &e);
	*id_out = 0;
	struct invitees v = {0};
	meeting_each_attendee(d, id, collect, &v);
	*host_out = v.n ? v.ids[0] : 0;
	if (cancel) {
		res = meeting_cancel(d, a, id, "暴雨红色预警，为保证安全改期召开", start - 3 * 3600, &e);
		return res == DJ_OK ? 0 : fail("cancel", res, &e);
	}
	if (start + 2 * 3600 > now)
		return 0; /* still to come */
	/* one member asks for leave the day before and the secretary approves it */
	if (v.n > 6 && rnd(3) == 0) {
		struct actor m = *a;
		m.user_id = db_int1(d, 0, "SELECT COALESCE(user_id, 0) FROM members WHERE id = ?", "I", v.ids[v.n - 1]);
		if (m.user_id) {
			m.role = R_MEMBER;
			if (meeting_leave_request(d, &m, id, "外出务工，不能参加", start - 86400, &e) == DJ_OK &&
			    meeting_leave_decide(d, a, id, v.ids[v.n - 1], true, start - 43200, &e) != DJ_OK)
				return fail("leave", DJ_DB_ERROR, &e);
			v.n--;
		}
	}
	/* 七到九成 present */
	int64_t present[256];
	size_t np = 0;
	unsigned rate = 70 + rnd(21);
	for (size_t i = 0; i < v.n; i++)
		if (i == 0 || rnd(100) < rate)
			present[np++] = v.ids[i];
	if ((res = meeting_mark_present(d, a, id, present, np, start + 5 * 60, &e)) != DJ_OK)
		return fail("attendance", res, &e);
	*id_out = id;
	return 0;
}

static int hold(db *d, const struct actor *a, int64_t id, const char *theme, bool evening, int64_t start)
{
	if (!id)
		return 0;
	char minutes[600];
	const char *names[3] = {NULL, NULL, NULL};
	struct meeting_held h = {minutes, theme, 0, 0, names};
	if (evening) {
		h.youth = 2 + rnd(7);
		h.masses = 4 + rnd(12);
		names[0] = reps[rnd(10)];
		if (rnd(2))
			names[1] = reps[(rnd(5) + 5) % 10];
		if (names[1] && !strcmp(names[0], names[1]))
			names[1] = NULL;
		snprintf(minutes, sizeof minutes,
			 "围绕“%s”开展学习、议事、办事：支部书记传达学习内容，党员和群众代表逐一发言，现场议定事项、确定负责人和完成时限。", theme);
	} else
		snprintf(minutes, sizeof minutes, "会议围绕“%s”进行，与会人员充分讨论，形成一致意见。", theme);
	struct field_errors e = {0};
	enum dj_result res = meeting_hold(d, a, id, &h, start + 100 * 60, &e);
	return res == DJ_OK ? 0 : fail("hold", res, &e);
}

/* One or two decisions of a 红色七点半, carried on to where they stand today. */
static int decisions(db *d, const struct actor *a, int64_t meeting_id, int64_t start, int64_t now, int *made, int *done)
{
	struct invitees v = {0};
	meeting_each_attendee(d, meeting_id, collect, &v);
	if (v.n < 2)
		return 0;
	int k = 1 + (int)rnd(2);
	bool model = db_int1(d, 0,
			     "SELECT COUNT(*) FROM meetings m JOIN orgs o ON o.id = m.org_id JOIN orgs b ON b.code = ? "
			     "WHERE m.id = ? AND o.path LIKE b.path || '%'",
			     "tI", DEMO_MODEL_BRANCH, meeting_id) > 0;
	for (int i = 0; i < k; i++) {
		int64_t deadline_t = start + (int64_t)(7 + rnd(24)) * 86400;
		char deadline[11];
		meeting_date_of(deadline_t, deadline);
		struct decision_supervisor sv[2] = {{"member", v.ids[1 + rnd((unsigned)v.n - 1)], ""}, {"rep", 0, reps[rnd(10)]}};
		struct decision_new n = {matters[rnd(NMATTERS)], deadline, v.ids[rnd((unsigned)v.n)], sv, 2};
		struct field_errors e = {0};
		int64_t id = 0;
		enum dj_result res = decision_create(d, a, meeting_id, &n, start + 80 * 60, &id, &e);
		if (res != DJ_OK)
			return fail("decision", res, &e);
		(*made)++;
		int64_t mid = start + (deadline_t - start) / 2;
		if (mid < now && (res = decision_progress(d, a, id, progress_notes[rnd(6)], mid, &e)) != DJ_OK)
			return fail("progress", res, &e);
		/* mostly done before the deadline, a few late, a few still open (overdue when past it) */
		unsigned fate = rnd(100);
		if (model)
			fate %= 75; /* the model branch (demo.h) finishes every one in time */
		int64_t at = fate < 75 ? deadline_t - (int64_t)rnd(4) * 86400 : fate < 87 ? deadline_t + (int64_t)(2 + rnd(10)) * 86400 : 0;
		if (at && at < now) {
			if ((res = decision_done(d, a, id, results[rnd(4)], at, &e)) != DJ_OK)
				return fail("done", res, &e);
			(*done)++;
		}
		/* 决议公开 the next day for about seven in ten, 实施结果公开 two days after
		 * most of those done; the rest wait for the secretary (chosen by the id,
		 * not the random sequence, so the year's meetings stay what they were) */
		char day[11];
		int64_t pub = start + 86400;
		if (id % 10 < 7 && pub < now) {
			meeting_date_of(pub, day);
			if ((res = decision_publish(d, a, id, NULL, day, pub, &e)) != DJ_OK)
				return fail("publish", res, &e);
			int64_t rpub = (at > pub ? at : pub) + 2 * 86400;
			if (at && at < now && id % 10 < 6 && rpub < now) {
				meeting_date_of(rpub, day);
				if ((res = decision_publish_result(d, a, id, NULL, day, rpub, &e)) != DJ_OK)
					return fail("publish result", res, &e);
			}
		}
	}
	return 0;
}

static int matter(db *d, const struct actor *a, const char *org, const char *title, const char *desc, int64_t start, bool fail_review)
{
	struct field_errors e = {0};
	int64_t id = 0;
	enum dj_result res = matter_create(d, a, orgs_id_by_code(d, org), title, desc, start, &id, &e);
	if (res != DJ_OK)
		return fail(title, res, &e);
	struct matter m;
	matter_load(d, id, &m);
	static const char *const records[] = {
		"支部委员会研究，提出初步方案",          "村“两委”联席会议商议，完善方案",        "党员大会审议", "村民代表会议表决",
		"决议在村务公开栏和微信群公开，公示7天", "实施结果在村务公开栏公开，接受群众监督"};
	for (int k = 0; k < matter_steps_count; k++) {
		int64_t t = start + (int64_t)k * 9 * 86400;
		char date[11];
		meeting_date_of(t, date);
		struct matter_step_input in = {matter_steps[k].key, date, records[k], -1, -1, -1};
		if (matter_steps[k].quorum == QUORUM_MEMBERS) {
			/* 2/3 − 1 present fails the quorum and stops the matter */
			in.present = fail_review ? (2 * m.members + 2) / 3 - 1 : m.members - m.members / 8;
			in.favour = fail_review ? in.present : in.present - 2;
		} else if (matter_steps[k].quorum == QUORUM_REPRESENTATIVES) {
			in.total = 36;
			in.present = 31;
			in.favour = 29;
		}
		bool passed = false;
		if ((res = matter_step_record(d, a, id, &in, t + 3600, &passed, &e)) != DJ_OK)
			return fail(matter_steps[k].label, res, &e);
		if (!passed)
			break;
	}
	return 0;
}

int demo_meetings(db *d, const struct actor *cli, FILE *out)
{
	int64_t now = now_unix(), town = orgs_id_by_code(d, "CJZ");
	if (!town)
		return 0;
	char today_s[11], month0[8];
	meeting_date_of(now, today_s);
	snprintf(month0, sizeof month0, "%.7s", today_s);
	int y0 = atoi(month0), m0 = atoi(month0 + 5);
	int held = 0, made = 0, done = 0;
	/* the demo's window of records: eleven months back, twelve in December (demo.h) */
	for (int k = 1 - demo_window_months(now); k <= 0; k++) {
		int mm = m0 - 1 + k, yy = y0 + (mm < 0 ? -1 : 0);
		mm = (mm + 12) % 12 + 1;
		char month[16], first[16];
		snprintf(month, sizeof month, "%04d-%02d", yy % 10000, mm);
		snprintf(first, sizeof first, "%.7s-01", month);
		int64_t t_first;
		meeting_time_parse(first, "19:30", &t_first);
		/* the committee's plan, published at the end of the month before */
		int p = (mm + 11) % 12;
		int64_t plan_id = 0;
		struct field_errors e = {0};
		enum dj_result res = meeting_plan_publish(d, cli, town, month, "red730", plans[p].theme, plans[p].content, t_first - 3 * 86400, &plan_id,
							  &e);
		if (res != DJ_OK)
			return fail("plan", res, &e);
		for (size_t vi = 0; vi < NVILLAGES; vi++) {
			int64_t org = orgs_id_by_code(d, villages[vi].code);
			char place[96], adapted[160];
			snprintf(place, sizeof place, "%s党群服务中心", villages[vi].name);
			/* the 红色七点半: every month, the plan's theme, some villages adapting it */
			int64_t start = t_first + (int64_t)(4 + vi + rnd(4)) * 86400, id, host;
			bool adapt = rnd(4) == 0;
			snprintf(adapted, sizeof adapted, "%s：%s", plans[p].theme, villages[vi].name);
			bool cancel = vi == 2 && k == -7;
			if (meeting(d, cli, org, "red730", plan_id, adapt ? adapted : "", "", place, start, now, cancel, &id, &host) != 0)
				return 1;
			if (cancel) {
				start += 7 * 86400; /* held a week later */
				if (meeting(d, cli, org, "red730", plan_id, "", "", place, start, now, false, &id, &host) != 0)
					return 1;
			}
			if (id &&
			    (decisions(d, cli, id, start, now, &made, &done) != 0 || hold(d, cli, id, adapt ? adapted : plans[p].theme, true, start) != 0))
				return 1;
			held += id != 0;
			/* 三会一课 every month of the window (the assessment rates last year
			 * from them, whichever month the demo is made in): 支委会 and 党小组会 monthly (李桥村 missed
			 * last month's 支委会), 党员大会 and 党课 each quarter (王庄村 no 党课 last quarter) */
			struct {
				const char *type, *theme;
				int64_t org;
				int day, hour;
				bool skip;
			} s3[] = {
				{"committee", "研究本月党建和村级重点工作", org, 2, 9, !strcmp(villages[vi].code, "CJZ-LQC") && k == -1},
				{"group", "学习交流，收集群众意见", orgs_id_by_code(d, villages[vi].groups[rnd(villages[vi].groups[2] ? 3 : 2)]), 14, 15,
				 false},
				{"assembly", "通报季度工作，讨论发展党员和重大事项", org, 20, 9, mm % 3 != 0},
				{"lesson", "书记讲党课：发挥党支部战斗堡垒作用", org, 22, 15,
				 mm % 3 != 0 || (!strcmp(villages[vi].code, "CJZ-WZC") && k >= -3)},
			};
			for (size_t j = 0; j < sizeof s3 / sizeof s3[0]; j++) {
				if (s3[j].skip)
					continue;
				char d0[16];
				snprintf(d0, sizeof d0, "%.7s-%02d", month, s3[j].day);
				int64_t t;
				char hm[6];
				snprintf(hm, sizeof hm, "%02d:00", s3[j].hour);
				meeting_time_parse(d0, hm, &t);
				if (meeting(d, cli, s3[j].org, s3[j].type, 0, s3[j].theme, s3[j].theme, place, t, now, false, &id, &host) != 0 ||
				    hold(d, cli, id, s3[j].theme, false, t) != 0)
					return 1;
				held += id != 0;
			}
		}
	}
	/* the next 红色七点半 of 陈集村, planned: its sign-in code shows on the evening */
	char next[11];
	meeting_date_of(now + 3 * 86400, next);
	int64_t next_start, id, host;
	meeting_time_parse(next, "19:30", &next_start);
	if (meeting(d, cli, orgs_id_by_code(d, "CJZ-CJC"), "red730", 0, "冬季安全生产和为民办实事",
		    "排查取暖用电隐患，群众代表提出急难愁盼问题，现场议定。", "陈集村党群服务中心", next_start, now, false, &id, &host) != 0)
		return 1;
	int64_t four_months = now - 120 * 86400;
	if (matter(d, cli, "CJZ-CJC", "村集体机动地流转给种植合作社发展黄瓜大棚", "村集体机动地86亩，拟流转给村黄瓜种植合作社，租期5年，租金归村集体。",
		   four_months, false) != 0 ||
	    matter(d, cli, "CJZ-XJC", "村西坑塘对外承包养鱼", "村西坑塘约12亩，拟对外公开承包，承包期3年。", four_months + 20 * 86400, true) != 0)
		return 1;
	/* what a year ago was sent has been read by now: only the last week's notices wait */
	if (db_run(d,
		   "UPDATE notifications SET read_at = at + 3600 WHERE read_at IS NULL AND at < ? AND kind IN ('meeting', 'meeting_plan', 'decision', "
		   "'decision_overdue')",
		   "I", now - 7 * 86400) != DB_OK)
		return 1;
	fprintf(out, "会议：各村共召开会议%d次，议事决策%d件，已解决%d件；四议两公开2件\n", held, made, done);
	return 0;
}
