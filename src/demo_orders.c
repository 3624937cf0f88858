/* demo_orders — grids, households and three months of resident orders for
 * the demo town (issue 4 §1, §11): orders in every state, some overdue, all
 * made through order_create and the state machine's order_apply, so the demo
 * holds nothing the real workflow could not have produced. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "orders.h"
#include "util.h"

static uint64_t rng = 0x5eed0fdeedULL;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const struct {
	const char *kind, *text;
} requests[] = {
	{"need", "村东头路灯坏了三盏，晚上老人出行不方便，希望尽快修好。"},
	{"need", "下雨后村西排水沟堵塞，积水进了院子，请帮忙疏通。"},
	{"need", "想学电商直播卖自家种的黄瓜，希望有人指导。"},
	{"need", "独居老人家里的电线老化，想请人帮忙检查一下。"},
	{"wish", "孙子明年上初中，想要一套课外读物。"},
	{"wish", "希望有人陪我去县医院复查，子女都在外地。"},
	{"wish", "想要一台收音机，平时听听戏。"},
	{"proxy_medical", "需要代办慢性病门诊备案，腿脚不便去不了县里。"},
	{"proxy_medical", "请帮忙到镇卫生院代取降压药。"},
	{"proxy_power", "不会用手机交电费，请帮忙代缴本月电费。"},
	{"proxy_goods", "想代购两袋化肥，家里没有车拉。"},
	{"proxy_goods", "请帮忙从县城代买助听器电池。"},
	{"opinion", "建议在村委会门口增设健身器材。"},
	{"opinion", "村里垃圾清运不及时，夏天有异味，建议增加清运次数。"},
	{"opinion", "希望红色七点半多讲讲医保报销政策。"},
};
static const char *const contacts[] = {"王大爷", "李奶奶", "张婶", "赵师傅", "刘大姐", "陈老汉", "孙阿姨", "杨大哥", "周奶奶", "吴叔"};
static const char *const heads[] = {"王", "李", "张", "赵", "刘", "陈", "孙", "杨"};

static const struct {
	const char *org, *code, *name, *worker, *place;
} grids[] = {
	{"CJZ-CJC", "CJC-G1", "陈集村第一网格", "wangge", "陈集村"}, {"CJZ-CJC", "CJC-G2", "陈集村第二网格", NULL, "陈集村"},
	{"CJZ-XJC", "XJC-G1", "西街村网格", NULL, "西街村"},         {"CJZ-HZC", "HZC-G1", "后赵村网格", NULL, "后赵村"},
	{"CJZ-WZC", "WZC-G1", "王庄村网格", NULL, "王庄村"},         {"CJZ-LQC", "LQC-G1", "李桥村网格", NULL, "李桥村"},
	{"CJZ-DSQ", "DSQ-G1", "东升社区第一网格", NULL, "东升社区"}, {"CJZ-DSQ", "DSQ-G2", "东升社区第二网格", NULL, "东升社区"},
	{"CJZ-XYSQ", "XYSQ-G1", "幸福社区网格", NULL, "幸福社区"},
};

/* Grids with their workers, and about ten households for each 党员中心户. */
static int demo_grids(db *d, FILE *out)
{
	int64_t now = now_unix();
	int households = 0;
	for (size_t i = 0; i < sizeof grids / sizeof grids[0]; i++) {
		int64_t gid = db_int1(d, 0,
				      "INSERT INTO grids (org_id, code, name, worker_user_id, created_at) VALUES ((SELECT id FROM orgs WHERE code = ?), "
				      "?, ?, (SELECT id FROM users WHERE username = CAST(? AS TEXT)), ?) RETURNING id",
				      "ttttI", grids[i].org, grids[i].code, grids[i].name, grids[i].worker, now);
		if (!gid)
			return -1;
		/* the central households of the grid's branch look after about ten households each */
		int64_t central[64];
		int nc = 0;
		db_stmt *s = db_query(d,
				      "SELECT m.id FROM members m JOIN member_duties md ON md.member_id = m.id JOIN orgs o ON o.id = m.org_id "
				      "WHERE md.duty = '党员中心户' AND o.path LIKE (SELECT path FROM orgs WHERE code = ?) || '%' ORDER BY m.id",
				      "t", grids[i].org);
		while (db_next(s) && nc < 64)
			central[nc++] = db_int(s, 0);
		db_done(s);
		for (int c = (int)(i % 2); c < nc; c += 2) { /* two grids of a branch share its central households */
			for (int h = 0; h < 10; h++) {
				char addr[128], head[32];
				snprintf(addr, sizeof addr, "东阿县陈集镇%s%u号", grids[i].place, 1 + rnd(400));
				snprintf(head, sizeof head, "%s%s", heads[rnd(8)], rnd(2) ? "某某" : "某");
				if (db_run(d,
					   "INSERT INTO households (grid_id, address, head_name, size, central_member_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
					   "IttIII", gid, addr, head, (int64_t)(1 + rnd(6)), central[c], now) != DB_OK)
					return -1;
				households++;
			}
		}
	}
	fprintf(out, "Grids: %zu, households: %d.\n", sizeof grids / sizeof grids[0], households);
	return 0;
}

static int apply(db *d, int64_t id, const char *action, int actor, int64_t uid, const char *label, const char *scope, struct order_act *a, int64_t at)
{
	struct actor who = {.user_id = uid, .role = actor};
	snprintf(who.label, sizeof who.label, "%s", label);
	snprintf(who.org_path, sizeof who.org_path, "%s", scope);
	snprintf(who.username, sizeof who.username, "demo");
	snprintf(who.ip, sizeof who.ip, "demo");
	struct field_errors e = {0};
	enum dj_result res = order_transition(d, &who, id, NULL, action, a, at, &e);
	if (res != DJ_OK) {
		fprintf(stderr, "dangjian demo: order %lld %s: %s\n", (long long)id, action, dj_message(res, &e));
		return -1;
	}
	return 0;
}

static int64_t user_id(db *d, const char *username) { return db_int1(d, 0, "SELECT id FROM users WHERE username = ?", "t", username); }

static char g_scope_cjc[256], g_scope_xjc[256], g_scope_town[256];

static void scope_of(db *d, const char *code, char *out)
{
	db_stmt *s = db_query(d, "SELECT path FROM orgs WHERE code = ?", "t", code);
	snprintf(out, 256, "%s", db_next(s) ? db_str(s, 0) : "/");
	db_done(s);
}

int demo_orders(db *d, FILE *out)
{
	if (demo_grids(d, out))
		return -1;
	scope_of(d, "CJZ-CJC", g_scope_cjc);
	scope_of(d, "CJZ-XJC", g_scope_xjc);
	scope_of(d, "CJZ", g_scope_town);
	int64_t u_chenji = user_id(d, "chenji"), u_xijie = user_id(d, "xijie"), u_dangyuan = user_id(d, "dangyuan"), u_wangge = user_id(d, "wangge"),
		u_zuzhi = user_id(d, "zuzhi");
	int64_t now = now_unix();
	int counts[9] = {0};
	const int total = 96;
	for (int i = 0; i < total; i++) {
		bool cjc = rnd(10) < 6;
		struct order_new o;
		memset(&o, 0, sizeof o);
		unsigned k = rnd(sizeof requests / sizeof requests[0]);
		snprintf(o.kind, sizeof o.kind, "%s", requests[k].kind);
		snprintf(o.content, sizeof o.content, "%s", requests[k].text);
		snprintf(o.urgency, sizeof o.urgency, "%s", rnd(12) == 0 ? "urgent" : rnd(8) == 0 ? "complex" : "normal");
		snprintf(o.org_code, sizeof o.org_code, "%s", cjc ? "CJZ-CJC" : "CJZ-XJC");
		if (cjc && rnd(2))
			snprintf(o.grid_code, sizeof o.grid_code, "CJC-G1");
		snprintf(o.contact_name, sizeof o.contact_name, "%s", contacts[rnd(10)]);
		snprintf(o.contact_phone, sizeof o.contact_phone, "1%u%09u", 3 + rnd(7), rnd(1000000000));
		/* spread over the last 90 days; the fate is drawn, the times follow one another */
		int64_t t = now - 90 * 86400 + (int64_t)i * (89 * 86400 / total) + rnd(3600);
		o.at = t;
		char code[24];
		bool rep;
		struct field_errors e = {0};
		struct actor resident;
		actor_public(&resident, "demo");
		int64_t id = 0;
		if (order_create(d, &resident, &o, code, &rep, &e) == DJ_OK)
			id = db_int1(d, 0, "SELECT id FROM orders WHERE code = ?", "t", code);
		if (!id) {
			fprintf(stderr, "dangjian demo: order: %s\n", e.n ? e.e[0].msg : db_errmsg(d));
			return -1;
		}
		const char *blabel = cjc ? "陈集村党支部 张建国" : "西街村党支部 王秀英";
		int64_t bu = cjc ? u_chenji : u_xijie;
		const char *bscope = cjc ? g_scope_cjc : g_scope_xjc;
		/* who delivers: in 陈集村 a member (or the grid worker), in 西街村 the secretary */
		int64_t doer = cjc ? (o.grid_code[0] ? u_wangge : u_dangyuan) : u_xijie;
		int doer_role = cjc ? (o.grid_code[0] ? R_GRID : R_MEMBER) : R_BRANCH;
		const char *doer_name = cjc ? (o.grid_code[0] ? "wangge" : "dangyuan") : "xijie";
		const char *doer_label = cjc ? (o.grid_code[0] ? "陈集村党支部 赵丽" : "陈集村党支部 李志强") : blabel;
		unsigned fate = rnd(100);
		bool recent = now - t < 10 * 86400;
		struct order_act a = {0};
		int rc = 0;
		if (recent && fate < 40)
			fate = 90 + rnd(10); /* the last days' orders are still being handled */
		if (i >= total - 3)          /* the newest: one just placed, two taken but not yet given to anyone */
			fate = i == total - 1 ? 91 : 94;
		if (fate < 5) {
			a.note = "不属于群众诉求受理范围，已电话向群众说明";
			rc = apply(d, id, "reject", R_BRANCH, bu, blabel, bscope, &a, t + 3600);
			counts[0]++;
			continue;
		}
		if (fate < 10) {
			rc = apply(d, id, "withdraw", A_PUBLIC, 0, "群众", "/", &a, t + 1800);
			counts[1]++;
			continue;
		}
		if (recent && fate >= 90 && fate < 93) { /* placed, nobody has taken it yet */
			counts[8]++;
			continue;
		}
		rc |= apply(d, id, "accept", R_BRANCH, bu, blabel, bscope, &a, t + 2 * 3600);
		if (recent && fate >= 93 && fate < 95) { /* taken, not yet given to anyone */
			counts[8]++;
			if (rc)
				return -1;
			continue;
		}
		bool escalate = fate >= 10 && fate < 24;
		if (escalate) {
			a.note = "涉及资金和跨村协调，支部无法解决，报镇党委";
			rc |= apply(d, id, "escalate", R_BRANCH, bu, blabel, bscope, &a, t + 5 * 3600);
			if (fate >= 20) { /* still with the committee */
				counts[2]++;
				if (rc)
					return -1;
				continue;
			}
			struct order_act dsp = {.to_org = "CJZ-CJC", .assignee = "dangyuan"};
			rc |= apply(d, id, "dispatch", R_COMMITTEE, u_zuzhi, "中共陈集镇委员会 刘红梅", g_scope_town, &dsp, t + 26 * 3600);
			doer = u_dangyuan, doer_role = R_MEMBER, doer_label = "陈集村党支部 李志强";
		} else {
			struct order_act as = {.assignee = doer_name};
			rc |= apply(d, id, "assign", doer_role == R_GRID ? R_GRID : R_BRANCH, doer_role == R_GRID ? u_wangge : bu,
				    doer_role == R_GRID ? doer_label : blabel, bscope, &as, t + 3 * 3600);
		}
		if (fate >= 90) { /* in hand: some of these are past their limit */
			if (fate >= 95)
				rc |= apply(d, id, "start", doer_role, doer, doer_label, bscope, &a, t + 4 * 3600);
			counts[3]++;
			if (rc)
				return -1;
			continue;
		}
		struct order_act dl = {.note = "已办结：已上门处理并回访"};
		int64_t td = t + (escalate ? 60 : 20) * 3600 + rnd(20) * 3600;
		rc |= apply(d, id, "deliver", doer_role, doer, doer_label, bscope, &dl, td);
		if (fate >= 80 && now - td < 7 * 86400) { /* waiting for the resident */
			counts[4]++;
		} else if (fate >= 70) { /* nobody answered: closed by the timer */
			rc |= apply(d, id, "auto_close", A_SYSTEM, 0, "系统", "/", &a, td + 7 * 86400 + 3600);
			counts[5]++;
		} else {
			struct order_act cf = {.rating = (int)(3 + rnd(3)), .note = rnd(3) ? "很满意，谢谢党员同志" : ""};
			rc |= apply(d, id, "confirm", A_PUBLIC, 0, "群众", "/", &cf, td + (1 + rnd(48)) * 3600);
			counts[escalate ? 6 : 7]++;
		}
		if (rc)
			return -1;
	}
	fprintf(out,
		"Orders: %d (rejected %d, withdrawn %d, with the committee %d, in hand %d, awaiting the resident %d, "
		"auto-closed %d, closed after 向上反馈 %d, closed by the branch %d, new %d).\n",
		total, counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6], counts[7], counts[8]);
	return 0;
}
