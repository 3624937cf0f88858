/* demo_campaigns — the demo town's campaign (SPEC M10, issue 17; seed 001:
 * "围绕营造环境、搭建平台、丰富活动、办好实事拟定了15项主题活动,分别明确了
 * 具体的负责部门和任务清单"): one campaign in progress with 15 activities
 * across the town's departments and branches, tasks in every state, some
 * counting orders and wishes by themselves. Written through the campaigns
 * domain functions, as the committee would. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "actor.h"
#include "campaigns.h"
#include "orgs.h"
#include "util.h"
#include "volunteer.h"

static void day_offset(int64_t now, int days, char out[11])
{
	time_t t = (time_t)(now + 8 * 3600 + (int64_t)days * 86400);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

struct demo_task {
	const char *title, *owner;
	int deadline; /* days from today */
	const char *state, *target, *figure;
	bool link_orders; /* link this branch's resolved orders */
};
struct demo_activity {
	const char *title, *org;
	struct demo_task tasks[3];
};

static const struct demo_activity activities[] = {
	{"营造环境：红色文化墙与宣传阵地",
	 "CJZ-XCB",
	 {{"各村绘制红色文化墙", "刘晓燕", -60, "done", "", NULL, false}, {"更新党务公开栏", "刘晓燕", -10, "doing", "", NULL, false}}},
	{"营造环境：党群服务中心提档升级",
	 "CJZ-DJB",
	 {{"完成镇党群服务中心功能分区", "孙立新", -90, "done", "", NULL, false}, {"配置数据大屏", "孙立新", 20, "doing", "", NULL, false}}},
	{"搭建平台：群众点单、支部接单", "CJZ-DJB", {{"全镇收集群众需求清单", "孙立新", 25, "doing", "300", "orders.collected", false}}},
	{"搭建平台：微心愿认领", "CJZ-DJB", {{"认领并实现群众微心愿", "孙立新", 25, "doing", "40", "orders.wishes_fulfilled", false}}},
	{"搭建平台：陈集村“红色代办”",
	 "CJZ-CJC",
	 {{"办结关联的群众诉求", "张建国", 15, "doing", "3", NULL, true}, {"公布代办员名单", "张建国", -30, "done", "", NULL, false}}},
	{"搭建平台：西街村民情恳谈",
	 "CJZ-XJC",
	 {{"召开民情恳谈会", "李秀兰", -20, "todo", "4", NULL, false}, {"办结关联的群众诉求", "李秀兰", 30, "todo", "2", NULL, true}}},
	{"丰富活动：主题党日",
	 "CJZ-JG",
	 {{"机关党总支开展主题党日", "王海峰", -45, "done", "", NULL, false}, {"撰写主题党日简报", "王海峰", 10, "todo", "", NULL, false}}},
	{"丰富活动：“红色寻迹”参观学习", "CJZ-XCB", {{"组织党员赴冀鲁豫边区纪念馆参观", "刘晓燕", -15, "todo", "", NULL, false}}},
	{"丰富活动：百年留影", "CJZ-XCB", {{"各村、社区拍摄党员合影", "刘晓燕", 40, "doing", "12", NULL, false}}},
	{"丰富活动：主题教育党课",
	 "CJZ-DJB",
	 {{"书记讲党课", "孙立新", -5, "doing", "25", NULL, false}, {"党课讲稿汇编", "孙立新", 35, "todo", "", NULL, false}}},
	{"丰富活动：宣讲进村", "CJZ-XCB", {{"开展宣讲活动", "刘晓燕", 28, "doing", "18", NULL, false}}},
	{"办好实事：东升社区适老化改造",
	 "CJZ-DSQ",
	 {{"楼道扶手安装", "赵春梅", -25, "done", "", NULL, false}, {"收集社区群众需求", "赵春梅", 28, "doing", "30", "orders.collected", false}}},
	{"办好实事：王庄村道路亮化", "CJZ-WZC", {{"安装路灯", "王建军", -3, "doing", "", NULL, false}}},
	{"办好实事：企业党建结对", "CJZ-EJ", {{"结对帮扶困难党员", "陈国庆", 50, "todo", "", NULL, false}}},
	{"监督保障：主题活动督查",
	 "CJZ-JW",
	 {{"开展两轮专项督查", "周志刚", -40, "done", "2", NULL, false}, {"通报督查结果", "周志刚", 14, "todo", "", NULL, false}}},
};

int demo_campaigns(db *d, const struct actor *cli, FILE *out)
{
	int64_t now = now_unix();
	int64_t town = orgs_id_by_code(d, "CJZ");
	if (!town)
		return 0; /* no town: nothing to plan */
	/* the two offices of the town committee that lead most activities */
	if (!orgs_id_by_code(d, "CJZ-DJB") && !orgs_create(d, town, "CJZ-DJB", "镇党建办", "dept", "机关"))
		return fprintf(stderr, "demo: 镇党建办\n"), 1;
	if (!orgs_id_by_code(d, "CJZ-XCB") && !orgs_create(d, town, "CJZ-XCB", "镇宣传办", "dept", "机关"))
		return fprintf(stderr, "demo: 镇宣传办\n"), 1;
	char starts[11], ends[11];
	day_offset(now, -240, starts);
	day_offset(now, 60, ends);
	struct campaign_new c = {
		.org = "CJZ",
		.title = "“红色陈集·实干为民”主题活动",
		.starts = starts,
		.ends = ends,
		.plan = "一、总体目标：围绕营造环境、搭建平台、丰富活动、办好实事，拟定15项主题活动，分别明确负责部门和任务清单。\n"
			"二、工作措施：各村（社区）党支部每月报送进度；群众需求清单、微心愿实现数由平台按记录自动统计。\n"
			"三、时间安排：动员部署、组织实施、总结提升三个阶段。\n四、工作要求：加强领导，压实责任，注重实效。",
	};
	struct field_errors e = {0};
	int64_t cid, aid, tid;
	if (campaign_create(d, cli, &c, &cid, &e) != DJ_OK)
		return fprintf(stderr, "demo: campaign: %s\n", e.n ? e.e[0].msg : "?"), 1;
	/* seed 001 (吴山镇): 每名党员参加志愿服务活动不少于2次, within the campaign's period (volunteer.h) */
	if (volunteer_campaign_minimum_set(d, cli, cid, 2, false, now, &e) != DJ_OK)
		return fprintf(stderr, "demo: campaign volunteer minimum: %s\n", e.n ? e.e[0].msg : "?"), 1;
	int tasks = 0;
	for (size_t i = 0; i < sizeof activities / sizeof activities[0]; i++) {
		const struct demo_activity *a = &activities[i];
		if (campaign_activity_add(d, cli, cid, a->title, a->org, "", &aid, &e) != DJ_OK)
			return fprintf(stderr, "demo: activity %s: %s\n", a->title, e.n ? e.e[0].msg : "?"), 1;
		for (int k = 0; k < 3 && a->tasks[k].title; k++) {
			const struct demo_task *t = &a->tasks[k];
			char dl[11];
			day_offset(now, t->deadline, dl);
			struct campaign_task_new n = {t->title, t->owner, dl, t->target, t->figure};
			if (campaign_task_add(d, cli, aid, &n, &tid, &e) != DJ_OK)
				return fprintf(stderr, "demo: task %s: %s\n", t->title, e.n ? e.e[0].msg : "?"), 1;
			tasks++;
			if (!strcmp(t->state, "doing") || !strcmp(t->state, "done"))
				if (campaign_task_act(d, cli, tid, !strcmp(t->state, "doing") ? "start" : "finish", now, &e) != DJ_OK)
					return fprintf(stderr, "demo: task state: %s\n", e.n ? e.e[0].msg : "?"), 1;
			if (t->link_orders) {
				/* the branch's first orders of the campaign's period */
				db_stmt *s = db_query(d,
						      "SELECT o.id FROM orders o JOIN orgs g ON g.id = o.org_id WHERE g.code = ? AND o.created_at >= ? "
						      "ORDER BY o.id LIMIT 3",
						      "tI", a->org, now - 240 * 86400);
				int64_t ids[3];
				int n_ids = 0;
				while (db_next(s))
					ids[n_ids++] = db_int(s, 0);
				db_done(s);
				for (int j = 0; j < n_ids; j++)
					if (campaign_task_link(d, cli, tid, "order", ids[j], &e) != DJ_OK)
						return fprintf(stderr, "demo: link: %s\n", e.n ? e.e[0].msg : "?"), 1;
			}
		}
	}
	/* per-org targets: villages, communities, 机关 and the enterprise get their own numbers */
	static const struct {
		const char *org, *figure, *target;
	} targets[] = {
		{"CJZ-CJC", "orders.collected", "40"}, {"CJZ-XJC", "orders.collected", "30"}, {"CJZ-DSQ", "orders.collected", "30"},
		{"CJZ-JG", "orders.collected", "5"},   {"CJZ-EJ", "orders.collected", "3"},   {"CJZ", "orders.wishes_fulfilled", "40"},
		{"CJZ", "orders.resolved", "150"},
	};
	for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++)
		if (campaign_target_set(d, cli, cid, targets[i].org, targets[i].figure, targets[i].target, &e) != DJ_OK)
			return fprintf(stderr, "demo: target: %s\n", e.n ? e.e[0].msg : "?"), 1;
	fprintf(out, "Campaigns: 1 with %zu activities and %d tasks.\n", sizeof activities / sizeof activities[0], tasks);
	return 0;
}
