/* demo_lessons — the micro-lesson catalogue of 陈集镇 and a year of orders
 * (issue 14 §8): 35 lessons developed by members of its villages,
 * communities, schools and the 阿胶 plant, ordered by the branches about a
 * dozen times a month, in every state — delivered and rated, declined,
 * cancelled, waiting for the lecturer, scheduled. Everything goes through
 * lessons.c's functions at the time it would have happened (the command
 * line acts for the lecturers, who confirm by phone in real life). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "lessons.h"
#include "orders.h"
#include "util.h"

static uint64_t rng = 0x1e550a5ULL;
static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const struct {
	const char *title, *topic, *branch, *outline;
	int minutes;
} catalogue[] = {
	{"庭院里的乡村振兴", "rural", "CJZ-CJC", "从一户一策讲起：房前屋后的小菜园、小果园怎样变成增收的门路。", 20},
	{"黄瓜大棚里的党课", "rural", "CJZ-CJC", "陈集黄瓜从种到卖，党员示范户讲技术、讲销路。", 25},
	{"阿胶之乡的文旅路", "tourism", "CJZ-EJ", "东阿阿胶的老手艺、新工厂与乡村旅游。", 20},
	{"拋砖屋场的故事", "red", "CJZ-XJC", "老党员讲述屋场里的鱼水情。", 15},
	{"一名老兵的入党初心", "red", "CJZ-HZC", "退役军人党员讲军旅与入党经历。", 20},
	{"小微权力清单怎么用", "integrity", "CJZ-WZC", "村级小微权力36条，逐条讲给群众听。", 20},
	{"四议两公开，一步不能少", "governance", "CJZ-LQC", "用李桥村修路的真事讲民主决策程序。", 25},
	{"网格里的群众工作", "governance", "CJZ-DSQ", "网格员党员讲怎样收集、办理群众诉求。", 15},
	{"红色七点半：政策面对面", "policy", "CJZ-XYSQ", "医保、养老、低保政策，一问一答。", 20},
	{"党员中心户的一天", "governance", "CJZ-CJC", "十户联系人讲走访、代办、调解。", 15},
	{"秸秆变宝：循环农业", "rural", "CJZ-HZS", "合作社党员讲秸秆还田和饲料化。", 20},
	{"电商直播助农", "rural", "CJZ-HZS", "手把手教手机直播卖农产品。", 30},
	{"家风家训润乡邻", "integrity", "CJZ-WZC", "讲身边的好家风故事。", 15},
	{"学习二十大精神", "policy", "CJZ-JG", "机关党员宣讲团的乡村版。", 30},
	{"鲁西平原上的抗战记忆", "red", "CJZ-ZX", "中学历史老师党员讲本地抗战史。", 25},
	{"少年儿童心中的红领巾", "red", "CJZ-XX", "小学党员教师讲红色传统进校园。", 15},
	{"移风易俗，红白喜事简办", "governance", "CJZ-LQC", "村红白理事会的做法与成效。", 15},
	{"人居环境整治怎么干", "governance", "CJZ-HZC", "门前三包、垃圾分类的好办法。", 20},
	{"农村养老服务的新路子", "policy", "CJZ-DSQ", "幸福院、互助养老的实践。", 20},
	{"河长制里的党员责任", "governance", "CJZ-XJC", "党员河长讲巡河、治河。", 15},
	{"防范电信诈骗，党员带头讲", "policy", "CJZ-XYSQ", "民警党员讲最新骗局。", 20},
	{"土地流转的那些事", "rural", "CJZ-WZC", "合同怎么签，收益怎么分。", 25},
	{"东阿黑毛驴养殖经", "rural", "CJZ-EJ", "从一头驴到一条产业链。", 20},
	{"文旅融合：村史馆里讲党史", "tourism", "CJZ-CJC", "村史馆的筹建与讲解。", 20},
	{"乡村戏台上的新故事", "tourism", "CJZ-LQC", "送戏下乡与本土情景剧。", 15},
	{"廉洁从家庭开始", "integrity", "CJZ-JG", "镇纪委党员讲家庭助廉。", 20},
	{"退役不褪色", "red", "CJZ-WZC", "退役军人服务站党员讲担当。", 15},
	{"乡村振兴中的青年党员", "rural", "CJZ-XJC", "返乡创业青年党员现身说法。", 20},
	{"社区治理的“红色物业”", "governance", "CJZ-DSQ", "物业服务与党建联建。", 20},
	{"种粮大户的党员担当", "rural", "CJZ-HZC", "高标准农田与粮食安全。", 20},
	{"我的入党故事", "red", "CJZ-XYSQ", "三代党员讲入党经历。", 15},
	{"数字乡村：手机上的村务公开", "governance", "CJZ-LQC", "怎样在手机上查村务、办事。", 15},
	{"安全生产，党员先行", "policy", "CJZ-EJ", "车间党员讲安全生产责任。", 20},
	{"教育强国从乡村课堂起步", "policy", "CJZ-ZX", "乡村教师党员讲教育政策。", 25},
	{"红色故事我来讲", "red", "CJZ-XX", "少先队辅导员党员的红色故事课。", 15},
};
#define NLESSONS (sizeof catalogue / sizeof catalogue[0])

static const char *const branches[] = {"CJZ-CJC", "CJZ-XJC", "CJZ-HZC", "CJZ-WZC", "CJZ-LQC",  "CJZ-DSQ", "CJZ-XYSQ",
				       "CJZ-ZX",  "CJZ-XX",  "CJZ-EJ",  "CJZ-HZS", "CJZ-JG-1", "CJZ-JG-2"};
#define NBRANCHES (sizeof branches / sizeof branches[0])
static const char *const places[] = {"村党群服务中心", "屋场微阵地", "农家小院", "村文化广场", "支部会议室", "新时代文明实践站"};
static const char *const comments[] = {"讲得接地气，老党员都听懂了", "结合本村实际，很受启发", "时间稍短，希望再来讲一次", "案例生动，群众也来旁听",
				       "讲师准备充分"};

/* Up to max member ids of an org subtree (not 停止党籍), in roster order. */
static int members_of(db *d, const char *code, int64_t *out, int max)
{
	int n = 0;
	db_stmt *s = db_query(d,
			      "SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE (SELECT path FROM orgs WHERE code = ?) || '%' "
			      "AND m.status NOT IN ('stopped', 'transferred') AND m.user_id IS NULL ORDER BY m.id",
			      "t", code);
	while (db_next(s) && n < max)
		out[n++] = db_int(s, 0);
	db_done(s);
	return n;
}

static int fail(const char *what, enum dj_result r, const struct field_errors *e)
{
	fprintf(stderr, "dangjian demo: lessons: %s: %s\n", what, dj_message(r, e));
	return 1;
}

int demo_lessons(db *d, const struct actor *cli, FILE *out);
int demo_lessons(db *d, const struct actor *cli, FILE *out)
{
	/* the demo's window of records (demo.h): orders from its first days on */
	int64_t now = now_unix(), w0 = demo_window_start(now);
	int64_t lesson_ids[NLESSONS];
	/* the catalogue: developed over the first months of the year */
	for (size_t i = 0; i < NLESSONS; i++) {
		int64_t pool[64];
		int n = members_of(d, catalogue[i].branch, pool, 64);
		if (!n)
			return fail(catalogue[i].branch, DJ_NOT_FOUND, &(struct field_errors){0});
		struct lesson_new l = {.title = catalogue[i].title,
				       .topic = catalogue[i].topic,
				       .outline = catalogue[i].outline,
				       .minutes = catalogue[i].minutes,
				       .org_id = db_int1(d, 0, "SELECT id FROM orgs WHERE code = ?", "t", catalogue[i].branch),
				       .at = w0 - 35 * 86400 + (int64_t)i * 3 * 86400};
		/* the demo's member login 李志强 (dangyuan) gives the first lesson: his phone shows its orders */
		int64_t own = i == 0 ? db_int1(d, 0, "SELECT m.id FROM members m JOIN users u ON u.id = m.user_id WHERE u.username = 'dangyuan'", "") : 0;
		l.lecturers[l.nlecturers++] = own ? own : pool[(i * 7) % (size_t)n];
		if (i % 5 == 0 && n > 1) /* some lessons are given by two members together */
			l.lecturers[l.nlecturers++] = pool[(i * 7 + 1) % (size_t)n];
		if (i % 3 == 0)
			l.media_url = "https://www.12371.cn/special/wdk/";
		struct field_errors e = {0};
		enum dj_result r = lesson_create(d, cli, &l, &lesson_ids[i], &e);
		if (r != DJ_OK)
			return fail(catalogue[i].title, r, &e);
	}
	/* a year of orders, about a dozen a month */
	int orders = 0, delivered = 0;
	for (int day = demo_window_days(now) - 3; day >= 1; day -= 2 + (int)rnd(2)) {
		int64_t t0 = now - (int64_t)day * 86400 - 3600 * (int64_t)(1 + rnd(8));
		const char *branch = branches[rnd(NBRANCHES)];
		size_t li = rnd(NLESSONS);
		if (li == 0 && day < 3)
			li = 1; /* 李志强 gave no lesson in the last days: a new one pays the day's whole rule */
		int64_t org = db_int1(d, 0, "SELECT id FROM orgs WHERE code = ?", "t", branch);
		char from[11], to[11];
		lesson_date_of(t0 + 3 * 86400, from);
		lesson_date_of(t0 + 10 * 86400, to);
		struct field_errors e = {0};
		int64_t id;
		enum dj_result r = lesson_order_create(d, cli, lesson_ids[li], org, from, to, rnd(3) ? "" : "希望安排在晚上，方便在外务工的党员参加", t0,
						       &id, &e);
		if (r != DJ_OK)
			return fail("order", r, &e);
		orders++;
		unsigned fate = rnd(20);
		int64_t t_lesson = t0 + (int64_t)(3 + rnd(7)) * 86400;
		if (day < 4)
			continue; /* the newest wait for the lecturer */
		struct lesson_act a = {0};
		if (fate == 0) {
			a.reason = "当月在县委党校参加培训，下月可以安排";
			r = lesson_order_transition(d, cli, id, "decline", &a, t0 + 86400, &e);
		} else if (fate == 1) {
			a.reason = "与秋收时间冲突，改期再约";
			r = lesson_order_transition(d, cli, id, "cancel", &a, t0 + 86400, &e);
		} else {
			char date[11];
			lesson_date_of(t_lesson, date);
			a.date = date;
			a.place = places[rnd(sizeof places / sizeof places[0])];
			r = lesson_order_transition(d, cli, id, "confirm", &a, t0 + 86400, &e);
			if (r == DJ_OK && t_lesson + 4 * 3600 < now) {
				int64_t pool[64], present[24], speakers[4];
				int n = members_of(d, branch, pool, 64);
				struct lesson_act dl = {0};
				int want = n < 8 ? n : 8 + (int)rnd(n - 8 < 12 ? (unsigned)(n - 7) : 12u);
				unsigned start = rnd((unsigned)n);
				for (int k = 0; k < want && k < 24; k++)
					present[dl.npresent++] = pool[(start + (unsigned)k) % (unsigned)n];
				for (int k = 0; k < 1 + (int)rnd(3) && k < dl.npresent; k++)
					speakers[dl.nspeakers++] = present[k];
				dl.present = present;
				dl.speakers = speakers;
				dl.others = rnd(6);
				r = lesson_order_transition(d, cli, id, "deliver", &dl, t_lesson + 3 * 3600, &e);
				delivered++;
				if (r == DJ_OK && fate % 4 != 3 && t_lesson + 86400 < now) {
					struct lesson_act rt = {.rating = 3 + (int)rnd(3), .comment = comments[rnd(sizeof comments / sizeof comments[0])]};
					r = lesson_order_transition(d, cli, id, "rate", &rt, t_lesson + 86400, &e);
				}
			}
		}
		if (r != DJ_OK)
			return fail("order step", r, &e);
	}
	/* the model branch (demo.h) has a lesson every month: where the orders
	 * above left one of its past months without, it ordered one on the 2nd,
	 * heard it on the 9th in the evening and rated it the next day */
	int64_t model = db_int1(d, 0, "SELECT id FROM orgs WHERE code = ?", "t", DEMO_MODEL_BRANCH);
	for (int mi = 0; model && mi < demo_window_months(now); mi++) {
		char month[8], day[11];
		demo_window_month(now, mi, month);
		if (db_int1(d, 0, "SELECT COUNT(*) FROM lesson_orders WHERE org_id = ? AND state IN ('delivered', 'rated') AND lesson_date LIKE ? || '%'",
			    "It", model, month))
			continue;
		snprintf(day, sizeof day, "%s-02", month);
		int64_t t0;
		if (!day_start(day, &t0))
			return fail("model branch", DJ_INVALID, &(struct field_errors){0});
		t0 += 10 * 3600;
		int64_t t_lesson = t0 + 7 * 86400 + 9 * 3600; /* the 9th, 19:00 */
		if (t_lesson + 86400 > now)
			break; /* this month's is still to come */
		char from[11], to[11], date[11];
		lesson_date_of(t0 + 3 * 86400, from);
		lesson_date_of(t0 + 10 * 86400, to);
		lesson_date_of(t_lesson, date);
		struct field_errors e = {0};
		int64_t id, pool[64], present[24], speakers[1];
		int n = members_of(d, DEMO_MODEL_BRANCH, pool, 64);
		struct lesson_act a = {.date = date, .place = places[mi % 6]}, dl = {0};
		for (int k = 0; k < n && k < 24; k++)
			present[dl.npresent++] = pool[(mi * 5 + k) % n];
		speakers[dl.nspeakers++] = present[0];
		dl.present = present, dl.speakers = speakers, dl.others = 3;
		struct lesson_act rt = {.rating = 5, .comment = comments[mi % 5]};
		enum dj_result r = lesson_order_create(d, cli, lesson_ids[(size_t)(mi * 7 + 3) % NLESSONS], model, from, to, "", t0, &id, &e);
		if (r == DJ_OK)
			r = lesson_order_transition(d, cli, id, "confirm", &a, t0 + 86400, &e);
		if (r == DJ_OK)
			r = lesson_order_transition(d, cli, id, "deliver", &dl, t_lesson + 3 * 3600, &e);
		if (r == DJ_OK)
			r = lesson_order_transition(d, cli, id, "rate", &rt, t_lesson + 86400, &e);
		if (r != DJ_OK)
			return fail("model branch", r, &e);
		orders++, delivered++;
	}
	/* two branches have just ordered 李志强's lesson: waiting for him to confirm */
	const char *waiting[] = {"CJZ-XJC", "CJZ-HZC"};
	for (int k = 0; k < 2; k++) {
		char from[11], to[11];
		lesson_date_of(now + (3 + k) * 86400, from);
		lesson_date_of(now + (12 + k) * 86400, to);
		struct field_errors e = {0};
		int64_t id;
		enum dj_result r = lesson_order_create(d, cli, lesson_ids[0], db_int1(d, 0, "SELECT id FROM orgs WHERE code = ?", "t", waiting[k]), from,
						       to, "屋场微党课等你来：想听庭院经济", now - (k + 1) * 3600, &id, &e);
		if (r != DJ_OK)
			return fail("order", r, &e);
		orders++;
	}
	fprintf(out, "Micro-lessons: %zu in the catalogue, %d orders, %d delivered.\n", NLESSONS, orders, delivered);
	return 0;
}
