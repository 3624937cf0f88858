/* demo_county — `dangjian demo --scale county|province` (issue 9 §1): a
 * deterministic generator of a county (20 towns × 15 branches with their
 * 党小组, ~300,000 members, grids and households, ~1,000,000 orders over
 * three years in every state; the last year's (--record-months) meetings
 * with attendance, decisions, volunteer service, theme-day plans,
 * micro-lessons and their orders, 四议两公开, 两优一先 and the volunteer
 * minimums, see build_records, and dues, see build_dues) or of a province
 * (10 such counties).
 *
 * Two ways to write the same records:
 * - DEMO_VIA_RULES: organisations, accounts, members and every order step go
 *   through the domain functions (orgs_create, users_create, member_validate
 *   + member_write, order_create, order_transition) exactly as the town demo
 *   does. Correct by construction, but one statement at a time and one
 *   Argon2 hash per account: minutes for a few thousand orders.
 * - DEMO_VIA_BULK (the default): the organisations and the first account
 *   still through the domain; accounts, members, grids, households, orders
 *   and their histories, notifications, outbox and audit rows as batched
 *   INSERTs (one statement per table and 2,000–5,000 rows, the rows passed as
 *   one JSON parameter: json_each on SQLite, jsonb_array_elements on
 *   PostgreSQL). The order steps are checked against the state table
 *   (order_find) and applied to an in-memory copy of the order with the same
 *   column rules as order_transition's UPDATE; the time limits come from
 *   order_limit. The rows written are those the rules write (same ids, same
 *   columns, same history, notification, outbox and audit rows):
 *   tests/unit/test_demo_county.c builds a small county both ways and
 *   compares every table. Differences by design: order codes (random in the
 *   rules, drawn from the seed here) and password hashes (one Argon2 hash of
 *   the demo password shared by the bulk accounts, salted afresh by the rules).
 *
 * Deterministic: one seeded generator drives every choice, and every time is
 * counted back from now_unix(); with DANGJIAN_NOW pinned, the same seed gives
 * the same database (password hashes aside).
 *
 * After three years a real platform has also sent its messages and its staff
 * have read their older notifications: messages older than five minutes are
 * marked sent by the log adapter a minute after they were queued, and
 * notifications older than 30 days read a few hours after they came (the
 * rules path runs the same two UPDATEs at the end). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "buf.h"
#include "demo.h"
#include "dues.h"
#include "exemplars.h"
#include "lessons.h"
#include "meetings.h"
#include "members.h"
#include "notify.h"
#include "order_summary.h"
#include "orders.h"
#include "orgs.h"
#include "points.h"
#include "password.h"
#include "roles.h"
#include "settings.h"
#include "themeday.h"
#include "users.h"
#include "util.h"
#include "valid.h"
#include "volunteer.h"

#define N(a) (sizeof(a) / sizeof *(a))

/* ---- the seeded generator (splitmix64) ---- */

static uint64_t rng;

static uint64_t rnd64(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned rnd(unsigned n) { return n ? (unsigned)(rnd64() % n) : 0; }

/* ---- batched rows: one JSON array per table, one INSERT per batch ---- */

enum tbl {
	T_USERS,
	T_MEMBERS,
	T_DUTIES,
	T_MHIST,
	T_GRIDS,
	T_HOUSES,
	T_ORDERS,
	T_EVENTS,
	T_NOTES,
	T_OUTBOX,
	T_AUDIT,
	T_LEDGER,
	T_DBASES,
	T_DPAYS,
	T_DMONTHS,
	T_COUNT
};

/* In the order they are flushed: a row's parents are always flushed before it. */
static const struct {
	const char *table, *cols, *types; /* types: I bigint, t text */
} spec[T_COUNT] = {
	[T_USERS] = {"users", "id, username, password_hash, name, role, org_id, active, created_at, updated_at", "IttttIIII"},
	[T_MEMBERS] = {"members",
		       "id, org_id, name, gender, ethnicity, birth_date, education, id_number, id_tail, phone, phone_tail, address, join_date, "
		       "full_date, category, status, in_service, service_org_id, user_id, created_at, updated_at",
		       "IIttttttttttttttIIIII"},
	[T_DUTIES] = {"member_duties", "member_id, duty, since", "Itt"},
	[T_MHIST] = {"member_history", "id, member_id, date, at, kind, from_value, to_value, note, user_id", "IItIttttI"},
	[T_GRIDS] = {"grids", "id, org_id, code, name, worker_user_id, created_at", "IIttII"},
	[T_HOUSES] = {"households", "id, grid_id, address, head_name, size, central_member_id, created_at", "IIttIII"},
	[T_ORDERS] = {"orders",
		      "id, code, kind, urgency, content, org_id, grid_id, contact_name, contact_phone, state, level, escalated, "
		      "assignee_user_id, result, close_reason, close_note, duplicate_of, rating, comment, ip, created_at, updated_at, due_at, "
		      "delivered_at, closed_at, reminded_at, decided_by, refer_to",
		      "IttttIIttttIItttIIttIIIIIItt"},
	[T_EVENTS] = {"order_events", "id, order_id, at, action, from_state, to_state, actor_user_id, actor, note, public", "IIItttIttI"},
	[T_NOTES] = {"notifications", "id, user_id, at, kind, entity, entity_id, text, read_at", "IIIttItI"},
	[T_OUTBOX] = {"outbox", "id, at, channel, recipient, text, status, attempts, sent_at", "IIttttII"},
	[T_AUDIT] = {"audit", "id, at, user_id, username, ip, action, entity, entity_id, org_id, summary", "IIIttttIIt"},
	/* points_award's rows for the orders a member delivers (issue 11) */
	[T_LEDGER] = {"points_ledger",
		      "id, member_id, org_id, kind, code, rule_id, qty, points, reason, source_kind, source_id, corrects_id, at, year, month, day, "
		      "actor_user_id, actor, created_at",
		      "IIIttIIIttIIIIIIItI"},
	/* dues_base_set, dues_pay and dues_generate's rows (issue 18): payments
	 * before the months that point at them */
	[T_DBASES] = {"dues_bases", "id, member_id, since, category, base_fen, flat_fen, user_id, created_at", "IIttIIII"},
	[T_DPAYS] = {"dues_payments",
		     "id, receipt_no, year, seq, member_id, org_id, method, payer_member_id, payer_name, amount_fen, months, paid_on, user_id, at",
		     "ItIIIItItIttII"},
	[T_DMONTHS] = {"dues_months",
		       "id, member_id, org_id, month, category, base_fen, rate_id, due_fen, reduced_fen, paid_fen, status, payment_id, reduction_id, "
		       "created_at",
		       "IIIttIIIIItIII"},
};

struct writer {
	db *d;
	buf b[T_COUNT];
	char *sql[T_COUNT];
	int rows[T_COUNT], col[T_COUNT];
	int64_t next_id[T_COUNT];
	int64_t total[T_COUNT];
	int batch;
	int err;
};

static void w_init(struct writer *w, db *d)
{
	memset(w, 0, sizeof *w);
	w->d = d;
	bool pg = db_kind(d) == DB_PG;
	w->batch = pg ? 5000 : 2000;
	for (int t = 0; t < T_COUNT; t++) {
		buf s = {0};
		buf_printf(&s, "INSERT INTO %s (%s) SELECT ", spec[t].table, spec[t].cols);
		for (int c = 0; spec[t].types[c]; c++) {
			const char *sep = c ? ", " : "";
			if (!pg)
				buf_printf(&s, "%sj.value ->> %d", sep, c);
			else if (spec[t].types[c] == 'I')
				buf_printf(&s, "%sCAST(j.value ->> %d AS BIGINT)", sep, c);
			else
				buf_printf(&s, "%sj.value ->> %d", sep, c);
		}
		/* JSONB on PostgreSQL: `->> k` on JSON parses the row's text
		 * again up to its k-th value, for every column; JSONB is parsed
		 * once. 20,000 orders rows (28 columns): 1.5 s as JSON, 0.25 s
		 * as JSONB; the same values (numbers and strings unchanged) */
		buf_puts(&s, pg ? " FROM jsonb_array_elements(CAST(? AS JSONB)) j" : " FROM json_each(?) j");
		w->sql[t] = buf_detach(&s);
		/* ids go on from whatever the domain has written already */
		if (strstr(spec[t].cols, "id, ") == spec[t].cols) {
			char q[96];
			snprintf(q, sizeof q, "SELECT COALESCE(MAX(id), 0) + 1 FROM %s", spec[t].table);
			w->next_id[t] = db_int1(d, 1, q, "");
		}
	}
}

static void w_sep(struct writer *w, enum tbl t)
{
	if (w->col[t]++)
		buf_putc(&w->b[t], ',');
}

static void w_row(struct writer *w, enum tbl t)
{
	buf_puts(&w->b[t], w->rows[t] ? ",[" : "[[");
	w->col[t] = 0;
}

static void w_int(struct writer *w, enum tbl t, int64_t v)
{
	w_sep(w, t);
	buf_printf(&w->b[t], "%lld", (long long)v);
}

/* 0 stands for NULL, as NULLIF(?, 0) does in the domain's SQL */
static void w_ref(struct writer *w, enum tbl t, int64_t v)
{
	w_sep(w, t);
	if (v)
		buf_printf(&w->b[t], "%lld", (long long)v);
	else
		buf_puts(&w->b[t], "null");
}

static void w_text(struct writer *w, enum tbl t, const char *s)
{
	w_sep(w, t);
	buf *b = &w->b[t];
	if (!s) {
		buf_puts(b, "null");
		return;
	}
	buf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_putc(b, '\\'), buf_putc(b, (char)*p);
		else if (*p < 0x20)
			buf_printf(b, "\\u%04x", *p);
		else
			buf_putc(b, (char)*p);
	}
	buf_putc(b, '"');
}

static void w_end(struct writer *w, enum tbl t)
{
	buf_putc(&w->b[t], ']');
	w->rows[t]++;
	w->total[t]++;
}

static int w_flush(struct writer *w)
{
	for (int t = 0; t < T_COUNT && !w->err; t++) {
		if (!w->rows[t])
			continue;
		buf_putc(&w->b[t], ']');
		if (db_run(w->d, w->sql[t], "t", buf_str(&w->b[t])) != DB_OK) {
			fprintf(stderr, "dangjian demo: writing %s: %s\n", spec[t].table, db_errmsg(w->d));
			w->err = 1;
		}
		buf_reset(&w->b[t]);
		w->rows[t] = 0;
	}
	return w->err;
}

/* Called between whole records only, so a child never goes before its parent. */
static int w_maybe_flush(struct writer *w)
{
	for (int t = 0; t < T_COUNT; t++)
		if (w->rows[t] >= w->batch)
			return w_flush(w);
	return w->err;
}

static void w_free(struct writer *w)
{
	for (int t = 0; t < T_COUNT; t++) {
		buf_free(&w->b[t]);
		free(w->sql[t]);
	}
}

/* ---- what the county is made of ---- */

static const char *const town_names[] = {"铜城",   "新城", "刘集", "牛角店", "大桥", "高集", "姜楼", "姚寨", "鱼山", "陈集",
					 "顾官屯", "油坊", "单庄", "杨柳",   "关山", "邓庙", "皋上", "沙镇", "曹营", "韩集"};
static const struct {
	const char *name, *area; /* 县委, and the first six digits of its people's ID numbers */
} counties[] = {
	{"东阿县", "371524"}, {"阳谷县", "371521"}, {"莘县", "371522"},     {"茌平区", "371523"}, {"冠县", "371525"},
	{"高唐县", "371526"}, {"临清市", "371581"}, {"东昌府区", "371502"}, {"平阴县", "370124"}, {"肥城市", "370983"},
};
static const char *const village_first[] = {"前", "后", "东", "西", "南", "北", "大", "小", "新", "老",
					    "上", "下", "张", "王", "李", "刘", "赵", "孙", "马", "高"};
static const char *const village_second[] = {"王庄", "李庄", "张楼", "刘集", "赵屯", "杨营", "孙桥", "周店",
					     "吴寨", "郭堂", "马铺", "田庄", "徐楼", "高屯", "林村"};
static const char *const community_names[] = {"东升", "幸福", "和平", "阳光", "锦绣", "振兴", "福康", "康乐", "书香", "丰收"};

enum kind { K_VILLAGE, K_COMMUNITY, K_SCHOOL, K_ENTERPRISE, K_OFFICE };
static const char *const kind_names[] = {"农村", "社区", "学校", "企业", "机关"};
/* a town's 15 branches: 9 villages, 2 communities, 2 schools, 1 enterprise, the 机关 */
static const enum kind town_plan[] = {K_OFFICE,  K_VILLAGE, K_VILLAGE,   K_VILLAGE,   K_VILLAGE, K_VILLAGE, K_VILLAGE,   K_VILLAGE,
				      K_VILLAGE, K_VILLAGE, K_COMMUNITY, K_COMMUNITY, K_SCHOOL,  K_SCHOOL,  K_ENTERPRISE};
/* members per branch, relative */
static const int kind_weight[] = {[K_VILLAGE] = 12, [K_COMMUNITY] = 14, [K_SCHOOL] = 4, [K_ENTERPRISE] = 6, [K_OFFICE] = 5};

/* surnames with their weight (per ten thousand, roughly northern Shandong) */
static const struct {
	const char *s;
	int w;
} surnames[] = {
	{"王", 900}, {"李", 850}, {"张", 800}, {"刘", 650}, {"陈", 420}, {"杨", 300}, {"赵", 320}, {"孙", 280}, {"马", 220}, {"高", 200},
	{"黄", 120}, {"周", 150}, {"吴", 110}, {"徐", 150}, {"朱", 130}, {"胡", 100}, {"郭", 140}, {"何", 60},  {"林", 50},  {"罗", 50},
	{"郑", 80},  {"梁", 70},  {"谢", 40},  {"宋", 110}, {"唐", 50},  {"许", 70},  {"韩", 100}, {"冯", 80},  {"邓", 40},  {"曹", 90},
	{"彭", 40},  {"曾", 20},  {"田", 90},  {"董", 100}, {"袁", 50},  {"潘", 40},  {"于", 110}, {"蒋", 40},  {"蔡", 40},  {"杜", 70},
	{"程", 60},  {"魏", 80},  {"吕", 70},  {"丁", 60},  {"任", 70},  {"姚", 50},  {"卢", 40},  {"姜", 80},  {"崔", 70},  {"谭", 30},
	{"范", 60},  {"石", 60},  {"贾", 60},  {"侯", 50},  {"孟", 60},  {"秦", 40},  {"薛", 40},  {"闫", 50},  {"段", 40},  {"武", 50},
	{"史", 40},  {"郝", 40},  {"邵", 30},  {"尹", 30},  {"付", 40},  {"白", 40},  {"耿", 30},  {"岳", 30},  {"商", 20},  {"翟", 20},
};
static int surname_total;

static const char *const given_a[2][3][20] = {
	{{"建", "国", "志", "永", "明", "海", "德", "玉", "春", "金", "振", "立", "庆", "文", "学", "长", "保", "红", "新", "卫"},
	 {"志", "海", "建", "文", "晓", "立", "俊", "云", "庆", "红", "国", "永", "学", "东", "伟", "利", "兆", "洪", "广", "继"},
	 {"子", "浩", "宇", "俊", "家", "梓", "博", "一", "嘉", "泽", "思", "明", "天", "文", "皓", "晨", "昊", "振", "逸", "安"}},
	{{"秀", "桂", "玉", "淑", "凤", "春", "金", "素", "兰", "翠", "冬", "秋", "月", "菊", "爱", "彩", "荣", "美", "香", "银"},
	 {"红", "丽", "海", "晓", "春", "艳", "美", "雪", "慧", "亚", "玉", "秀", "丹", "静", "小", "彦", "立", "俊", "翠", "爱"},
	 {"欣", "雨", "佳", "梦", "思", "诗", "子", "紫", "可", "若", "一", "心", "语", "梓", "晨", "婉", "嘉", "安", "雅", "书"}},
};
static const char *const given_b[2][3][20] = {
	{{"国", "华", "军", "民", "强", "平", "林", "生", "山", "东", "成", "福", "祥", "明", "义", "田", "河", "贵", "全", "堂"},
	 {"伟", "涛", "波", "刚", "杰", "峰", "强", "军", "斌", "磊", "鹏", "辉", "亮", "勇", "东", "华", "明", "超", "忠", "龙"},
	 {"轩", "然", "豪", "杰", "宇", "辰", "航", "睿", "阳", "鑫", "博", "涵", "泽", "铭", "凯", "哲", "远", "川", "霖", "旭"}},
	{{"英", "兰", "珍", "芳", "梅", "荣", "华", "云", "香", "琴", "芝", "花", "霞", "娥", "莲", "凤", "菊", "秀", "玲", "枝"},
	 {"梅", "燕", "娟", "霞", "玲", "萍", "敏", "静", "红", "丽", "芳", "艳", "莉", "华", "琳", "洁", "英", "婷", "蕾", "慧"},
	 {"怡", "涵", "琪", "萱", "瑶", "彤", "悦", "桐", "雯", "馨", "诺", "然", "妍", "菲", "琳", "汐", "冉", "宁", "晴", "薇"}},
};

static const char *const phone_prefixes[] = {"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156",
					     "157", "158", "159", "166", "177", "178", "180", "181", "183", "186", "187", "188", "189", "199"};
static const char *const other_areas[] = {"371502", "371521", "371522", "371523", "371525", "371526", "371581", "370124", "370983", "372901"};

/* Order texts: Chinese characters and full-width punctuation only (3 bytes
 * each), so the notifications' "%.90s" never cuts a character in two. */
static const struct {
	const char *kind, *text;
} requests[] = {
	{"need", "村东头路灯坏了三盏，晚上老人出行不方便，希望尽快修好。"},
	{"need", "下雨后村西排水沟堵塞，积水进了院子，请帮忙疏通。"},
	{"need", "想学电商直播卖自家种的黄瓜，希望有人指导。"},
	{"need", "独居老人家里的电线老化，想请人帮忙检查一下。"},
	{"need", "村里通往镇上的生产路坑洼不平，农忙时拖拉机过不去。"},
	{"need", "小区楼道灯不亮，晚上上下楼看不见。"},
	{"need", "自来水压力太小，二楼以上白天接不上水。"},
	{"need", "家里老人行动不便，希望帮忙办理养老保险认证。"},
	{"wish", "孙子明年上初中，想要一套课外读物。"},
	{"wish", "希望有人陪我去县医院复查，子女都在外地。"},
	{"wish", "想要一台收音机，平时听听戏。"},
	{"wish", "想给孩子买一个新书包，开学要用。"},
	{"wish", "冬天快到了，想要一床厚棉被。"},
	{"proxy_medical", "需要代办慢性病门诊备案，腿脚不便去不了县里。"},
	{"proxy_medical", "请帮忙到镇卫生院代取降压药。"},
	{"proxy_power", "不会用手机交电费，请帮忙代缴本月电费。"},
	{"proxy_power", "家里电表欠费停电了，请帮忙代缴并联系供电所。"},
	{"proxy_goods", "想代购两袋化肥，家里没有车拉。"},
	{"proxy_goods", "请帮忙从县城代买助听器电池。"},
	{"proxy_goods", "想代买一袋面粉和一桶油，腿疼下不了楼。"},
	{"opinion", "建议在村委会门口增设健身器材。"},
	{"opinion", "村里垃圾清运不及时，夏天有异味，建议增加清运次数。"},
	{"opinion", "希望红色七点半多讲讲医保报销政策。"},
	{"opinion", "建议在学校门口设置减速带，接送孩子太危险。"},
};
static const char *const contact_tails[] = {"大爷", "奶奶", "婶", "师傅", "大姐", "老汉", "阿姨", "大哥", "叔", "大娘"};
static const char *const deliver_notes[] = {"已办结：已上门处理并回访", "已办结：已协调相关部门解决", "已办结：党员志愿者已送达",
					    "已办结：已代办完成并告知群众"};
static const char *const confirm_notes[] = {"很满意，谢谢党员同志", "办得快，服务好", "", "", "问题解决了，谢谢"};
/* at most 26 characters: "%.80s" of the reopen notification keeps them whole */
static const char *const reopen_notes[] = {"问题没有解决，灯又不亮了", "还是没有修好，请再来看看", "药没有取到，请重新办理"};

/* ---- the county in memory ---- */

struct account {
	int64_t id;
	char username[40], name[40], label[200], path[64];
	int role;
	int64_t org_id;
	int64_t member_id, member_org; /* the roster member of this account (issue 11: it earns points) */
};

struct branch {
	int64_t id, town_org;
	char code[40], name[240], path[64], place[160];
	enum kind kind;
	int town, county;
	int64_t groups[12];
	int ngroups, size;
	int sec, mem;        /* accounts: the secretary, a member (-1 if none) */
	int64_t grids[10];   /* grid ids */
	int gridw[10];       /* their workers' accounts */
	char gcodes[10][48]; /* grid codes */
	int ngrids;
	int64_t centres[64]; /* 党员中心户 member ids */
	int ncentres;
	int64_t last_order; /* the branch's latest order, for duplicates */
	char last_code[24];
};

struct town {
	int64_t org;
	char name[32], area[8];
	int committee; /* its committee account */
	int64_t communities[2];
};

struct gen {
	db *d;
	const struct demo_opts *o;
	struct writer w;
	bool rules;
	int64_t now;
	char today[11];
	char hash[128];
	struct account *acc;
	int nacc, cap;
	struct branch *br;
	int nbr;
	struct town *towns;
	int ntowns;
	int64_t county0; /* the first county's org: the admin's */
	/* ID numbers given, an open-addressed set of their first 17 digits */
	uint64_t *ids;
	size_t idcap;
	int64_t counts[16];
	/* points (issue 11): the two rules an order pays by, and what each
	 * member has earned by each a day and a year, for the caps */
	struct {
		int64_t id, points, cap_day, cap_year;
	} rule[2];
	struct earned {
		int64_t member, period; /* a day's start, or a year */
		int code;               /* 0 order_delivered, 1 wish_fulfilled; +2: a year */
		int64_t points;
	} * earned;
	size_t earned_cap, earned_n;
};

static int acc_new(struct gen *g)
{
	if (g->nacc == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 256;
		g->acc = realloc(g->acc, (size_t)g->cap * sizeof *g->acc);
		if (!g->acc)
			abort();
	}
	memset(&g->acc[g->nacc], 0, sizeof g->acc[0]);
	return g->nacc++;
}

static bool id_take(struct gen *g, uint64_t v)
{
	size_t mask = g->idcap - 1, i = (size_t)((v * 0x9e3779b97f4a7c15ULL) >> 20) & mask;
	while (g->ids[i]) {
		if (g->ids[i] == v)
			return false;
		i = (i + 1) & mask;
	}
	g->ids[i] = v;
	return true;
}

/* ---- the organisations: through orgs_create, few enough ---- */

static int64_t org(struct gen *g, int64_t parent, const char *code, const char *name, const char *type, const char *kind, char path_out[64])
{
	int64_t id = orgs_create(g->d, parent, code, name, type, kind);
	if (!id) {
		fprintf(stderr, "dangjian demo: org %s: %s\n", code, db_errmsg(g->d));
		return 0;
	}
	if (path_out) {
		db_stmt *s = db_query(g->d, "SELECT path FROM orgs WHERE id = ?", "I", id);
		snprintf(path_out, 64, "%s", db_next(s) ? db_str(s, 0) : "");
		db_done(s);
	}
	return id;
}

static int build_orgs(struct gen *g)
{
	const struct demo_opts *o = g->o;
	g->ntowns = o->counties * o->towns;
	g->towns = calloc((size_t)g->ntowns, sizeof *g->towns);
	g->br = calloc((size_t)g->ntowns * N(town_plan), sizeof *g->br);
	for (int c = 0; c < o->counties; c++) {
		char code[48], name[160], cpath[64];
		snprintf(code, sizeof code, "X%02d", c + 1);
		snprintf(name, sizeof name, "中共%s委", counties[c % N(counties)].name);
		int64_t county = org(g, 0, code, name, "county", "机关", cpath);
		if (!county)
			return -1;
		if (!c)
			g->county0 = county;
		for (int t = 0; t < o->towns; t++) {
			struct town *tw = &g->towns[c * o->towns + t];
			const char *tn = town_names[t % N(town_names)];
			snprintf(tw->name, sizeof tw->name, "%.20s%s", tn, t < (int)N(town_names) ? "" : "二");
			snprintf(tw->area, sizeof tw->area, "%s", counties[c % N(counties)].area);
			char tcode[16], tpath[64];
			snprintf(tcode, sizeof tcode, "X%02dT%02d", (c + 1) % 100, (t + 1) % 100);
			snprintf(name, sizeof name, "中共%s镇委员会", tw->name);
			if (!(tw->org = org(g, county, tcode, name, "committee", "机关", tpath)))
				return -1;
			snprintf(code, sizeof code, "%s-JW", tcode);
			snprintf(name, sizeof name, "%s镇纪委", tw->name);
			if (!org(g, tw->org, code, name, "dept", "机关", NULL))
				return -1;
			snprintf(code, sizeof code, "%s-JG", tcode);
			snprintf(name, sizeof name, "%s镇机关党总支", tw->name);
			int64_t general = org(g, tw->org, code, name, "general", "机关", NULL);
			if (!general)
				return -1;
			int villages = 0, communities = 0, schools = 0;
			for (size_t b = 0; b < N(town_plan); b++) {
				struct branch *br = &g->br[g->nbr++];
				br->kind = town_plan[b];
				br->town = c * o->towns + t;
				br->county = c;
				br->town_org = tw->org;
				br->mem = -1;
				snprintf(br->code, sizeof br->code, "%sB%02d", tcode, (int)b + 1);
				int64_t parent = tw->org;
				int ngroups = 0;
				switch (br->kind) {
				case K_OFFICE:
					snprintf(br->place, sizeof br->place, "%s镇政府", tw->name);
					snprintf(name, sizeof name, "%s镇机关党支部", tw->name);
					parent = general, ngroups = 3;
					break;
				case K_VILLAGE:
					snprintf(br->place, sizeof br->place, "%s%s村", village_first[(t * 7 + villages * 3) % N(village_first)],
						 village_second[(t * 5 + villages) % N(village_second)]);
					snprintf(name, sizeof name, "%.100s党支部", br->place);
					villages++, ngroups = 6 + (int)rnd(4);
					break;
				case K_COMMUNITY:
					snprintf(br->place, sizeof br->place, "%s社区", community_names[(t * 2 + communities) % N(community_names)]);
					snprintf(name, sizeof name, "%s镇%.100s党支部", tw->name, br->place);
					snprintf(br->place, sizeof br->place, "%s镇%s社区", tw->name,
						 community_names[(t * 2 + communities) % N(community_names)]);
					ngroups = 7 + (int)rnd(4);
					break;
				case K_SCHOOL:
					snprintf(br->place, sizeof br->place, "%s镇%s", tw->name, schools ? "中心小学" : "中学");
					snprintf(name, sizeof name, "%.100s党支部", br->place);
					schools++, ngroups = 3;
					break;
				case K_ENTERPRISE:
					snprintf(br->place, sizeof br->place, "%s%s农产品加工厂", counties[c % N(counties)].name, tw->name);
					snprintf(name, sizeof name, "%.100s党支部", br->place);
					ngroups = 3;
					break;
				}
				snprintf(br->name, sizeof br->name, "%s", name);
				if (!(br->id = org(g, parent, br->code, br->name, "branch", kind_names[br->kind], br->path)))
					return -1;
				if (br->kind == K_COMMUNITY)
					tw->communities[communities++] = br->id;
				for (int k = 0; k < ngroups; k++) {
					snprintf(code, sizeof code, "%.20sG%d", br->code, (k + 1) % 100);
					static const char *const ord[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"};
					snprintf(name, sizeof name, "%.90s第%s党小组",
						 br->kind == K_VILLAGE || br->kind == K_COMMUNITY ? br->place : br->name, ord[k]);
					if (!(br->groups[k] = org(g, br->id, code, name, "group", kind_names[br->kind], NULL)))
						return -1;
				}
				br->ngroups = ngroups;
			}
		}
	}
	return 0;
}

/* ---- people ---- */

struct person {
	char name[40], gender[8], birth[11], id_number[24], phone[16], address[200], education[32], join[11], full[11], category[16], status[16],
		ethnicity[16];
	int age;
	bool male;
};

static void date_of(int64_t t, char out[11])
{
	time_t tt = (time_t)(t + 8 * 3600);
	struct tm tm;
	gmtime_r(&tt, &tm);
	char tmp[40];
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", (tm.tm_year + 1900) % 10000, tm.tm_mon + 1, tm.tm_mday);
	snprintf(out, 11, "%.10s", tmp);
}

static int64_t date_unix(const char *d)
{
	struct tm tm = {0};
	tm.tm_year = atoi(d) - 1900;
	tm.tm_mon = atoi(d + 5) - 1;
	tm.tm_mday = atoi(d + 8);
	return (int64_t)timegm(&tm) - 8 * 3600;
}

static int age_for(enum kind k, bool *retired)
{
	unsigned a = rnd(38), b = rnd(31), c = rnd(100);
	*retired = false;
	switch (k) {
	case K_VILLAGE: return 22 + (int)a + (int)b;
	case K_COMMUNITY: return 23 + (int)a + (int)(b * 9 / 10);
	default:
		if (c < (k == K_OFFICE ? 25u : k == K_SCHOOL ? 22u : 10u)) {
			*retired = true;
			return 60 + (int)(a % 16) + (int)(b % 11);
		}
		return 22 + (int)(a / 2) + (int)(b * 2 / 3);
	}
}

static const char *education_for(int age, enum kind k, bool retired)
{
	unsigned r = rnd(100);
	if (retired)
		return r < 20 ? "大学本科" : r < 55 ? "大学专科" : r < 80 ? "中专" : "高中";
	if (k == K_SCHOOL || k == K_OFFICE)
		return r < 65 ? "大学本科" : r < 82 ? "硕士研究生" : "大学专科";
	if (k == K_ENTERPRISE)
		return age < 40 ? (r < 40 ? "大学本科" : r < 75 ? "大学专科" : "中专") : (r < 30 ? "大学专科" : r < 60 ? "中专" : "高中");
	if (age >= 70)
		return r < 55 ? "小学及以下" : r < 90 ? "初中" : "高中";
	if (age >= 50)
		return r < 55 ? "初中" : r < 85 ? "高中" : "中专";
	if (age >= 35)
		return r < 35 ? "初中" : r < 65 ? "高中" : r < 85 ? "中专" : "大学专科";
	return r < 25 ? "高中" : r < 45 ? "中专" : r < 75 ? "大学专科" : "大学本科";
}

static const char *surname(void)
{
	int r = (int)rnd((unsigned)surname_total);
	for (size_t i = 0; i < N(surnames); i++)
		if ((r -= surnames[i].w) < 0)
			return surnames[i].s;
	return surnames[0].s;
}

static void person(struct gen *g, const struct branch *br, bool working, struct person *p)
{
	memset(p, 0, sizeof *p);
	static const unsigned male_share[] = {[K_VILLAGE] = 76, [K_COMMUNITY] = 60, [K_SCHOOL] = 42, [K_ENTERPRISE] = 58, [K_OFFICE] = 64};
	p->male = rnd(100) < male_share[br->kind];
	bool retired;
	p->age = age_for(br->kind, &retired);
	if (working && (retired || p->age > 60))
		p->age = 32 + p->age % 26, retired = false;
	int gen = p->age >= 60 ? 0 : p->age >= 40 ? 1 : 2, sex = p->male ? 0 : 1;
	const char *sn = surname();
	unsigned single = rnd(100), ga = rnd(20), gb = rnd(20);
	if (single < 14)
		snprintf(p->name, sizeof p->name, "%s%s", sn, given_b[sex][gen][gb]);
	else
		snprintf(p->name, sizeof p->name, "%s%s%s", sn, given_a[sex][gen][ga], given_b[sex][gen][gb]);
	snprintf(p->gender, sizeof p->gender, "%s", p->male ? "男" : "女");
	/* born on a day of the year age+1 years before today */
	int64_t born = g->now - (int64_t)p->age * 31556952 - (int64_t)rnd(365) * 86400 - 86400;
	date_of(born, p->birth);
	/* GB 11643: area (mostly this county), birth date, a sequence whose last
	 * digit is odd for men and even for women, the check character */
	const char *area = rnd(100) < 88 ? g->towns[br->town].area : other_areas[rnd(N(other_areas))];
	unsigned seq = rnd(500);
	char first17[40];
	for (int tries = 0;; tries++) {
		unsigned s3 = (seq + (unsigned)tries) % 500 * 2 + (p->male ? 1 : 0);
		snprintf(first17, sizeof first17, "%.6s%.4s%.2s%.2s%03u", area, p->birth, p->birth + 5, p->birth + 8, s3);
		if (id_take(g, strtoull(first17, NULL, 10)) || tries > 500)
			break;
	}
	snprintf(p->id_number, sizeof p->id_number, "%.17s%c", first17, idcard_check_char(first17));
	snprintf(p->ethnicity, sizeof p->ethnicity, "%s", rnd(100) < 2 ? "回族" : "汉族");
	snprintf(p->education, sizeof p->education, "%s", education_for(p->age, br->kind, retired));
	unsigned pp = rnd(N(phone_prefixes)), pn = rnd(100000000), nophone = rnd(100);
	if (!(p->age >= 78 && nophone < 40))
		snprintf(p->phone, sizeof p->phone, "%.3s%08u", phone_prefixes[pp], pn);
	unsigned h1 = 1 + rnd(400), h2 = 1 + rnd(24), h3 = 1 + rnd(3), h4 = 1 + rnd(6), h5 = 1 + rnd(2);
	const char *cn = counties[br->county % N(counties)].name;
	if (br->kind == K_VILLAGE)
		snprintf(p->address, sizeof p->address, "%s%s镇%s%u号", cn, g->towns[br->town].name, br->place, h1);
	else if (br->kind == K_COMMUNITY)
		snprintf(p->address, sizeof p->address, "%s%s%u号楼%u单元%u0%u室", cn, br->place, h2, h3, h4, h5);
	else
		snprintf(p->address, sizeof p->address, "%s%s镇驻地%u号", cn, g->towns[br->town].name, h1);
	/* joined at 18–45, mostly in their twenties; 转正 a year and a few days later */
	int span = p->age - 20 < 27 ? (p->age - 20 > 1 ? p->age - 20 : 1) : 27;
	int join_age = 18 + (int)rnd((unsigned)span / 2 + 1) + (int)rnd((unsigned)span / 2 + 1);
	int64_t joined = date_unix(p->birth) + (int64_t)join_age * 31556952 + 86400 * (int64_t)(1 + rnd(300));
	unsigned recent = rnd(100), fd = rnd(30);
	if (joined > g->now - 400 * 86400 || (!working && p->age < 40 && recent < 8)) /* probationary: joined within the year */
		joined = g->now - (int64_t)(20 + rnd(340)) * 86400;
	date_of(joined, p->join);
	if (joined < g->now - 366 * 86400 - 30 * 86400) {
		date_of(joined + 366 * 86400 + (int64_t)fd * 86400, p->full);
		snprintf(p->category, sizeof p->category, "full");
	} else
		snprintf(p->category, sizeof p->category, "probationary");
	unsigned st = rnd(100);
	const char *status = "active";
	if (retired)
		status = "retired";
	else if (br->kind == K_COMMUNITY && p->age >= 60 && st < 75)
		status = "retired";
	else if (br->kind == K_VILLAGE && p->age >= 60 && st < 25)
		status = "retired";
	else if (br->kind == K_VILLAGE && p->age < 45 && st < 20)
		status = "mobile";
	snprintf(p->status, sizeof p->status, "%s", working ? "active" : status);
}

/* An account: users_create on the rules path; a row with the shared hash and
 * users_create's audit row on the bulk path. */
static int account(struct gen *g, const char *username, const char *name, int role, int64_t org_id, const char *org_name, const char *path)
{
	int k = acc_new(g);
	struct account *a = &g->acc[k];
	snprintf(a->username, sizeof a->username, "%s", username);
	snprintf(a->name, sizeof a->name, "%s", name);
	snprintf(a->label, sizeof a->label, "%s %s", org_name, name);
	snprintf(a->path, sizeof a->path, "%s", path);
	a->role = role;
	a->org_id = org_id;
	const char *key = role_key(role);
	struct actor cli;
	actor_cli(&cli);
	if (g->rules) {
		struct field_errors e = {0};
		int64_t want = g->w.next_id[T_USERS]++;
		enum dj_result res = users_create_demo(g->d, &cli, username, name, key, org_id, DEMO_PASSWORD, &a->id, &e);
		if (res != DJ_OK || a->id != want) {
			fprintf(stderr, "dangjian demo: user %s: %s\n", username, dj_message(res, &e));
			return -1;
		}
		return k;
	}
	a->id = g->w.next_id[T_USERS]++;
	struct writer *w = &g->w;
	w_row(w, T_USERS);
	w_int(w, T_USERS, a->id), w_text(w, T_USERS, username), w_text(w, T_USERS, g->hash), w_text(w, T_USERS, name), w_text(w, T_USERS, key);
	w_int(w, T_USERS, org_id), w_int(w, T_USERS, 1), w_int(w, T_USERS, g->now), w_int(w, T_USERS, g->now);
	w_end(w, T_USERS);
	char sum[200];
	snprintf(sum, sizeof sum, "新建 %s（%s，%s）", username, name, role_label(role));
	w_row(w, T_AUDIT);
	w_int(w, T_AUDIT, w->next_id[T_AUDIT]++), w_int(w, T_AUDIT, g->now), w_ref(w, T_AUDIT, cli.user_id), w_text(w, T_AUDIT, cli.username);
	w_text(w, T_AUDIT, cli.ip), w_text(w, T_AUDIT, "user.create"), w_text(w, T_AUDIT, "user"), w_ref(w, T_AUDIT, a->id);
	w_ref(w, T_AUDIT, org_id), w_text(w, T_AUDIT, sum);
	w_end(w, T_AUDIT);
	return k;
}

static void duty_add(char *duties, size_t n, const char *duty)
{
	size_t l = strlen(duties);
	snprintf(duties + l, n - l, "%s%s", l ? "、" : "", duty);
}

struct duty_ctx {
	struct gen *g;
	int64_t id;
};

static void write_duty(void *ctx, const char *duty)
{
	struct duty_ctx *c = ctx;
	struct writer *w = &c->g->w;
	w_row(w, T_DUTIES);
	w_int(w, T_DUTIES, c->id), w_text(w, T_DUTIES, duty), w_text(w, T_DUTIES, c->g->today);
	w_end(w, T_DUTIES);
}

/* A member: member_validate + member_write on the rules path (so the
 * generator and the validator must agree), the same rows on the bulk path. */
static int64_t member(struct gen *g, const struct branch *br, const struct person *p, int64_t org_id, int64_t service_org, const char *duties,
		      int64_t user_id)
{
	int64_t id = g->w.next_id[T_MEMBERS]++;
	for (int i = 0; user_id && i < g->nacc; i++)
		if (g->acc[i].id == user_id)
			g->acc[i].member_id = id, g->acc[i].member_org = org_id;
	if (g->rules) {
		struct member m;
		memset(&m, 0, sizeof m);
		db_stmt *s = db_query(g->d, "SELECT code FROM orgs WHERE id = ?", "I", org_id);
		snprintf(m.org_code, sizeof m.org_code, "%s", db_next(s) ? db_str(s, 0) : "");
		db_done(s);
		if (service_org) {
			s = db_query(g->d, "SELECT code FROM orgs WHERE id = ?", "I", service_org);
			snprintf(m.service_org, sizeof m.service_org, "%s", db_next(s) ? db_str(s, 0) : "");
			db_done(s);
		}
#define CP(f, v) snprintf(m.f, sizeof m.f, "%s", v)
		CP(name, p->name), CP(gender, p->gender), CP(ethnicity, p->ethnicity), CP(birth_date, p->birth), CP(education, p->education);
		CP(id_number, p->id_number), CP(phone, p->phone), CP(address, p->address), CP(join_date, p->join), CP(full_date, p->full);
		CP(category, p->category), CP(status, p->status), CP(duties, duties);
#undef CP
		m.in_service = service_org != 0;
		struct field_errors e = {0};
		member_validate(g->d, &m, 0, &e);
		if (e.n) {
			fprintf(stderr, "dangjian demo: BUG: generated member %s (%s, %s) is invalid: %s: %s\n", m.name, m.id_number, m.org_code,
				e.e[0].field, e.e[0].msg);
			return 0;
		}
		struct actor sys;
		actor_system(&sys);
		if (member_write(g->d, &sys, &m, "演示数据") != id) {
			fprintf(stderr, "dangjian demo: member %s: %s\n", m.name, db_errmsg(g->d));
			return 0;
		}
		if (user_id && db_run(g->d, "UPDATE members SET user_id = ? WHERE id = ?", "II", user_id, id) != DB_OK)
			return 0;
		g->w.next_id[T_MHIST]++;
		return id;
	}
	(void)br;
	struct writer *w = &g->w;
	w_row(w, T_MEMBERS);
	w_int(w, T_MEMBERS, id), w_int(w, T_MEMBERS, org_id), w_text(w, T_MEMBERS, p->name), w_text(w, T_MEMBERS, p->gender);
	w_text(w, T_MEMBERS, p->ethnicity), w_text(w, T_MEMBERS, p->birth), w_text(w, T_MEMBERS, p->education), w_text(w, T_MEMBERS, p->id_number);
	w_text(w, T_MEMBERS, p->id_number + 14), w_text(w, T_MEMBERS, p->phone), w_text(w, T_MEMBERS, *p->phone ? p->phone + 7 : "");
	w_text(w, T_MEMBERS, p->address), w_text(w, T_MEMBERS, p->join), w_text(w, T_MEMBERS, *p->full ? p->full : NULL);
	w_text(w, T_MEMBERS, p->category), w_text(w, T_MEMBERS, p->status), w_int(w, T_MEMBERS, service_org != 0), w_ref(w, T_MEMBERS, service_org);
	w_ref(w, T_MEMBERS, user_id), w_int(w, T_MEMBERS, g->now), w_int(w, T_MEMBERS, g->now);
	w_end(w, T_MEMBERS);
	/* the generator joins duties with 、 alone, as member_write splits them */
	struct duty_ctx c = {g, id};
	char list[256];
	snprintf(list, sizeof list, "%s", duties);
	for (char *d = list, *sep; *d; d = sep + 3) {
		sep = strstr(d, "、");
		if (sep)
			*sep = 0;
		write_duty(&c, d);
		if (!sep)
			break;
	}
	w_row(w, T_MHIST);
	w_int(w, T_MHIST, w->next_id[T_MHIST]++), w_int(w, T_MHIST, id), w_text(w, T_MHIST, g->today), w_int(w, T_MHIST, g->now);
	w_text(w, T_MHIST, "create"), w_text(w, T_MHIST, ""), w_text(w, T_MHIST, p->name), w_text(w, T_MHIST, "演示数据"), w_ref(w, T_MHIST, 0);
	w_end(w, T_MHIST);
	return id;
}

/* The username of account k's kind in branch br: t03b07 (county), x02t03b07 (province). */
static void uname(const struct gen *g, const struct branch *br, int town, const char *what, char out[40])
{
	char tmp[80];
	if (g->o->counties > 1)
		snprintf(tmp, sizeof tmp, "x%02dt%02d%s%s", town / g->o->towns + 1, town % g->o->towns + 1, br ? br->code + 6 : "", what);
	else
		snprintf(tmp, sizeof tmp, "t%02d%s%s", town % g->o->towns + 1, br ? br->code + 6 : "", what);
	for (char *c = tmp; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	snprintf(out, 40, "%.39s", tmp);
}

/* One branch's roster, its accounts, its grids and households. */
static int build_branch(struct gen *g, struct branch *br)
{
	static const char *const committee_duties[] = {"组织委员", "宣传委员", "纪检委员", "委员"};
	struct town *tw = &g->towns[br->town];
	bool grids = br->kind == K_VILLAGE || br->kind == K_COMMUNITY;
	br->ngrids = grids ? (br->kind == K_VILLAGE ? 3 + (int)rnd(3) : 5 + (int)rnd(4)) : 0;
	int lecturers = 1 + (int)rnd(2), centres = grids ? 12 + (int)rnd(12) : 0;
	bool led[12] = {false};
	for (int i = 0; i < br->size; i++) {
		/* 0: 书记, 1–3: 委员, 4: the member with an account, 5…: 网格员 of each grid */
		bool working = i < 5 + br->ngrids;
		struct person p;
		person(g, br, working, &p);
		char duties[256] = "";
		int64_t org_id = br->ngroups && rnd(10) < 8 ? br->groups[rnd((unsigned)br->ngroups)] : br->id;
		int64_t user = 0, service = 0;
		char un[40];
		if (i == 0) {
			duty_add(duties, sizeof duties, "书记");
			org_id = br->id;
			uname(g, br, br->town, "", un);
			if ((br->sec = account(g, un, p.name, R_BRANCH, br->id, br->name, br->path)) < 0)
				return -1;
			user = g->acc[br->sec].id;
			if (db_run(g->d, "UPDATE orgs SET secretary = ? WHERE id = ?", "tI", p.name, br->id) != DB_OK)
				return -1;
		} else if (i <= 3)
			duty_add(duties, sizeof duties, committee_duties[i - 1]);
		else if (i == 4 && grids) {
			org_id = br->id;
			uname(g, br, br->town, "dy", un);
			if ((br->mem = account(g, un, p.name, R_MEMBER, br->id, br->name, br->path)) < 0)
				return -1;
			user = g->acc[br->mem].id;
		} else if (i >= 5 && i < 5 + br->ngrids) {
			duty_add(duties, sizeof duties, "网格员");
			org_id = br->id;
			char what[16];
			snprintf(what, sizeof what, "wg%d", (i - 4) % 100);
			uname(g, br, br->town, what, un);
			int k = account(g, un, p.name, R_GRID, br->id, br->name, br->path);
			if (k < 0)
				return -1;
			br->gridw[i - 5] = k;
			user = g->acc[k].id;
		} else if (!strcmp(p.status, "active")) {
			unsigned r = rnd(100);
			if (centres > 0 && p.age >= 40 && r < 30)
				duty_add(duties, sizeof duties, "党员中心户"), centres--;
			else if (lecturers > 0 && p.age >= 28 && p.age < 66 && r >= 90)
				duty_add(duties, sizeof duties, "讲师"), lecturers--;
		}
		for (int k = 0; k < br->ngroups; k++)
			if (!led[k] && org_id == br->groups[k] && !strcmp(p.status, "active") && !strcmp(p.category, "full") && p.age < 66) {
				duty_add(duties, sizeof duties, "党小组长");
				led[k] = true;
			}
		/* in-service members of the 机关, schools and the factory report to a community (双报到) */
		if ((br->kind == K_SCHOOL || br->kind == K_OFFICE || br->kind == K_ENTERPRISE) && !strcmp(p.status, "active") && rnd(100) < 45)
			service = tw->communities[rnd(2)];
		int64_t id = member(g, br, &p, org_id, service, duties, user);
		if (!id)
			return -1;
		if (strstr(duties, "党员中心户") && br->ncentres < 64)
			br->centres[br->ncentres++] = id;
		g->counts[0]++;
		g->counts[1] += !strcmp(p.category, "probationary");
		if (!g->rules && w_maybe_flush(&g->w))
			return -1;
	}
	/* grids, each with its worker, and households looked after by the 党员中心户 */
	struct writer *w = &g->w;
	for (int k = 0; k < br->ngrids; k++) {
		int64_t gid = w->next_id[T_GRIDS]++;
		br->grids[k] = gid;
		snprintf(br->gcodes[k], sizeof br->gcodes[k], "%.20sW%d", br->code, (k + 1) % 100);
		char name[200];
		snprintf(name, sizeof name, "%s第%d网格", br->place, k + 1);
		w_row(w, T_GRIDS);
		w_int(w, T_GRIDS, gid), w_int(w, T_GRIDS, br->id), w_text(w, T_GRIDS, br->gcodes[k]), w_text(w, T_GRIDS, name);
		w_ref(w, T_GRIDS, g->acc[br->gridw[k]].id), w_int(w, T_GRIDS, g->now);
		w_end(w, T_GRIDS);
		int houses = 30 + (int)rnd(30);
		for (int h = 0; h < houses; h++) {
			char addr[200], head[40];
			if (br->kind == K_VILLAGE)
				snprintf(addr, sizeof addr, "%s%s镇%s%u号", counties[br->county % N(counties)].name, tw->name, br->place, 1 + rnd(400));
			else
				snprintf(addr, sizeof addr, "%s%s%u号楼%u单元%u0%u室", counties[br->county % N(counties)].name, br->place, 1 + rnd(24),
					 1 + rnd(3), 1 + rnd(6), 1 + rnd(2));
			snprintf(head, sizeof head, "%s%s", surname(), rnd(2) ? "某某" : "某");
			w_row(w, T_HOUSES);
			w_int(w, T_HOUSES, w->next_id[T_HOUSES]++), w_int(w, T_HOUSES, gid), w_text(w, T_HOUSES, addr), w_text(w, T_HOUSES, head);
			w_int(w, T_HOUSES, 1 + rnd(6)), w_ref(w, T_HOUSES, br->ncentres ? br->centres[(k + h) % br->ncentres] : 0);
			w_int(w, T_HOUSES, g->now);
			w_end(w, T_HOUSES);
			g->counts[2]++;
		}
	}
	return g->rules ? w_flush(w) : w_maybe_flush(w);
}

/* ---- orders ---- */

struct order_sim {
	int64_t id, org_id, grid_id, assignee, duplicate_of, created_at, updated_at, due_at, delivered_at, closed_at, reminded_at;
	int rating, escalated;
	char code[24], kind[24], urgency[16], state[16], level[16], result[200], close_reason[16], close_note[200], comment[200], org_path[64];
	char contact_name[40], contact_phone[16];
	char decided_by[200], refer_to[120]; /* 不予受理, 不属于本级职责: who decided, where to turn */
	const char *content;
	int64_t paid[8]; /* the members its deliveries have paid (points_award is once per member and order) */
	int npaid;
};

struct who {
	int role;
	int acc; /* account index, -1 for the public and the system */
};

static int64_t limit_cache[N(requests)][3][2];

static int64_t limit_of(struct gen *g, const char *kind, const char *urgency, bool accepted)
{
	static const char *const urg[] = {"normal", "urgent", "complex"};
	size_t k = 0;
	while (k < N(requests) && strcmp(requests[k].kind, kind))
		k++;
	int u = !strcmp(urgency, urg[1]) ? 1 : !strcmp(urgency, urg[2]) ? 2 : 0;
	int64_t *c = &limit_cache[k][u][accepted];
	if (!*c)
		*c = order_limit(g->d, kind, urgency, accepted);
	return *c;
}

static void actor_of(struct gen *g, const struct who *w, struct actor *a)
{
	if (w->role == A_PUBLIC) {
		actor_public(a, "demo");
		return;
	}
	if (w->role == A_SYSTEM) {
		actor_system(a);
		return;
	}
	const struct account *u = &g->acc[w->acc];
	memset(a, 0, sizeof *a);
	a->user_id = u->id, a->role = u->role, a->org_id = u->org_id;
	snprintf(a->org_path, sizeof a->org_path, "%s", u->path);
	snprintf(a->username, sizeof a->username, "%s", u->username);
	snprintf(a->name, sizeof a->name, "%s", u->name);
	snprintf(a->label, sizeof a->label, "%s", u->label);
	snprintf(a->ip, sizeof a->ip, "demo");
}

/* notify_user's two rows */
static void note(struct gen *g, int64_t user, const char *kind, int64_t order, const char *text, int64_t at)
{
	if (!user)
		return;
	struct writer *w = &g->w;
	/* the accounts were made in id order */
	const char *username = g->acc[user - g->acc[0].id].username;
	int64_t nid = w->next_id[T_NOTES]++, oid = w->next_id[T_OUTBOX]++;
	int64_t read = at + 3600 * (1 + nid % 24);
	w_row(w, T_NOTES);
	w_int(w, T_NOTES, nid), w_int(w, T_NOTES, user), w_int(w, T_NOTES, at), w_text(w, T_NOTES, kind), w_text(w, T_NOTES, "order");
	w_ref(w, T_NOTES, order), w_text(w, T_NOTES, text), w_ref(w, T_NOTES, at < g->now - 30 * 86400 ? read : 0);
	w_end(w, T_NOTES);
	bool sent = at < g->now - 300;
	w_row(w, T_OUTBOX);
	w_int(w, T_OUTBOX, oid), w_int(w, T_OUTBOX, at), w_text(w, T_OUTBOX, notify_adapter->name), w_text(w, T_OUTBOX, username);
	w_text(w, T_OUTBOX, text), w_text(w, T_OUTBOX, sent ? "sent" : "pending"), w_int(w, T_OUTBOX, sent), w_ref(w, T_OUTBOX, sent ? at + 60 : 0);
	w_end(w, T_OUTBOX);
	g->counts[5]++;
}

static void audit_row_of(struct gen *g, const struct actor *a, const char *action, const char *entity, int64_t id, int64_t org_id, const char *summary)
{
	struct writer *w = &g->w;
	w_row(w, T_AUDIT);
	w_int(w, T_AUDIT, w->next_id[T_AUDIT]++), w_int(w, T_AUDIT, g->now), w_ref(w, T_AUDIT, a->user_id), w_text(w, T_AUDIT, a->username);
	w_text(w, T_AUDIT, a->ip), w_text(w, T_AUDIT, action), w_text(w, T_AUDIT, entity), w_ref(w, T_AUDIT, id), w_ref(w, T_AUDIT, org_id);
	char sum[600];
	snprintf(sum, sizeof sum, "%.599s", summary); /* audit_write's length */
	w_text(w, T_AUDIT, sum);
	w_end(w, T_AUDIT);
}

static void audit_row(struct gen *g, const struct actor *a, const char *action, int64_t id, int64_t org_id, const char *summary)
{
	audit_row_of(g, a, action, "order", id, org_id, summary);
}

static void event_row(struct gen *g, int64_t order, int64_t at, const char *action, const char *from, const char *to, const struct actor *a,
		      const char *text, bool pub)
{
	struct writer *w = &g->w;
	w_row(w, T_EVENTS);
	w_int(w, T_EVENTS, w->next_id[T_EVENTS]++), w_int(w, T_EVENTS, order), w_int(w, T_EVENTS, at), w_text(w, T_EVENTS, action);
	w_text(w, T_EVENTS, from), w_text(w, T_EVENTS, to), w_ref(w, T_EVENTS, a->user_id), w_text(w, T_EVENTS, a->label);
	w_text(w, T_EVENTS, text), w_int(w, T_EVENTS, pub);
	w_end(w, T_EVENTS);
	g->counts[4]++;
}

/* order_create, for the bulk path: the row is written when the order's story is complete */
static int create(struct gen *g, struct branch *br, struct order_sim *o, int grid)
{
	struct actor a;
	struct who pub = {A_PUBLIC, -1};
	actor_of(g, &pub, &a);
	if (g->rules) {
		struct order_new n;
		memset(&n, 0, sizeof n);
		snprintf(n.kind, sizeof n.kind, "%s", o->kind);
		snprintf(n.urgency, sizeof n.urgency, "%s", o->urgency);
		snprintf(n.content, sizeof n.content, "%s", o->content);
		snprintf(n.org_code, sizeof n.org_code, "%s", br->code);
		if (grid >= 0)
			snprintf(n.grid_code, sizeof n.grid_code, "%s", br->gcodes[grid]);
		snprintf(n.contact_name, sizeof n.contact_name, "%s", o->contact_name);
		snprintf(n.contact_phone, sizeof n.contact_phone, "%s", o->contact_phone);
		n.at = o->created_at;
		bool rep;
		struct field_errors e = {0};
		if (order_create(g->d, &a, &n, o->code, &rep, &e) != DJ_OK ||
		    db_int1(g->d, 0, "SELECT id FROM orders WHERE code = ?", "t", o->code) != o->id) {
			fprintf(stderr, "dangjian demo: order: %s\n", e.n ? e.e[0].msg : db_errmsg(g->d));
			return -1;
		}
		return 0;
	}
	event_row(g, o->id, o->created_at, "create", "", "submitted", &a, "", true);
	char text[200];
	snprintf(text, sizeof text, "新的群众诉求 %s：%.90s", o->code, o->content);
	note(g, g->acc[br->sec].id, "new_order", o->id, text, o->created_at);
	if (grid >= 0)
		note(g, g->acc[br->gridw[grid]].id, "new_order", o->id, text, o->created_at);
	audit_row(g, &a, "order.create", o->id, o->org_id, o->code);
	return 0;
}

struct step {
	const char *action;
	struct who who;
	int64_t at;
	const char *note, *reason;
	int assignee; /* account + 1, 0: none */
	bool to_org;  /* dispatch back to the order's branch */
	int64_t dup;  /* close as duplicate of this order */
	int rating;
	const char *refer_to; /* close not_ours: where the resident should turn */
};

/* What a member has earned by a rule in a period: the slot of the table
 * (open addressing over member, code and period). */
static int64_t *earned(struct gen *g, int64_t member, int code, int64_t period)
{
	if (g->earned_n * 2 >= g->earned_cap) {
		size_t cap = g->earned_cap ? g->earned_cap * 2 : 4096;
		struct earned *v = calloc(cap, sizeof *v);
		if (!v)
			abort();
		for (size_t i = 0; i < g->earned_cap; i++)
			if (g->earned[i].member) {
				size_t h = (size_t)((uint64_t)g->earned[i].member * 0x9e3779b97f4a7c15ULL ^ (uint64_t)g->earned[i].period * 31 ^
						    (uint64_t)g->earned[i].code) &
					   (cap - 1);
				while (v[h].member)
					h = (h + 1) & (cap - 1);
				v[h] = g->earned[i];
			}
		free(g->earned);
		g->earned = v;
		g->earned_cap = cap;
	}
	size_t h = (size_t)((uint64_t)member * 0x9e3779b97f4a7c15ULL ^ (uint64_t)period * 31 ^ (uint64_t)code) & (g->earned_cap - 1);
	while (g->earned[h].member && !(g->earned[h].member == member && g->earned[h].code == code && g->earned[h].period == period))
		h = (h + 1) & (g->earned_cap - 1);
	if (!g->earned[h].member) {
		g->earned[h] = (struct earned){member, period, code, 0};
		g->earned_n++;
	}
	return &g->earned[h].points;
}

/* points_award's entry for a delivery (issue 11), on the bulk path: the
 * delivering account's roster member earns the rule once per order, capped
 * by what it has earned that day and year, in the order the rules path
 * writes them (the same ids). The totals are summed at the end. */
static void points_row(struct gen *g, struct order_sim *o, const struct account *u, const struct actor *a, int64_t at)
{
	if (!u->member_id)
		return;
	for (int i = 0; i < o->npaid; i++)
		if (o->paid[i] == u->member_id)
			return;
	if (o->npaid < (int)N(o->paid))
		o->paid[o->npaid++] = u->member_id;
	int code = !strcmp(o->kind, "wish");
	int64_t day = points_day_of(at), year = points_year_of(at);
	/* one slot at a time: a lookup may grow the table and move the others */
	int64_t got_day = *earned(g, u->member_id, code, day), got_year = *earned(g, u->member_id, code + 2, year);
	char reason[160];
	int64_t points = points_capped(g->rule[code].points, got_day, g->rule[code].cap_day, got_year, g->rule[code].cap_year, reason);
	*earned(g, u->member_id, code, day) += points;
	*earned(g, u->member_id, code + 2, year) += points;
	struct writer *w = &g->w;
	const enum tbl T = T_LEDGER;
	w_row(w, T);
	w_int(w, T, w->next_id[T]++), w_int(w, T, u->member_id), w_int(w, T, u->member_org), w_text(w, T, "award");
	w_text(w, T, code ? "wish_fulfilled" : "order_delivered"), w_int(w, T, g->rule[code].id), w_int(w, T, 1), w_int(w, T, points);
	w_text(w, T, reason), w_text(w, T, "order"), w_int(w, T, o->id), w_ref(w, T, 0), w_int(w, T, at), w_int(w, T, year);
	w_int(w, T, points_month_of(at)), w_int(w, T, day), w_ref(w, T, a->user_id), w_text(w, T, a->label), w_int(w, T, g->now);
	w_end(w, T);
}

/* order_transition, for the bulk path: the same checks of the state table and
 * the same column rules as its UPDATE, the same history, notification and
 * audit rows. On the rules path, order_transition itself. */
static int step(struct gen *g, struct branch *br, struct order_sim *o, const struct step *s, const char *dup_code)
{
	struct actor a;
	actor_of(g, &s->who, &a);
	const char *action = s->action, *note_text = s->note ? s->note : "";
	if (g->rules) {
		struct order_act act = {.note = s->note, .reason = s->reason, .rating = s->rating, .duplicate_of = dup_code, .refer_to = s->refer_to};
		if (s->assignee)
			act.assignee = g->acc[s->assignee - 1].username;
		if (s->to_org)
			act.to_org = br->code;
		struct field_errors e = {0};
		enum dj_result res = order_transition(g->d, &a, o->id, NULL, action, &act, s->at, &e);
		if (res != DJ_OK) {
			fprintf(stderr, "dangjian demo: BUG: order %lld %s: %s\n", (long long)o->id, action, dj_message(res, &e));
			return -1;
		}
		return 0;
	}
	const struct order_transition *t = order_find(o->state, action, a.role);
	if (!t) {
		fprintf(stderr, "dangjian demo: BUG: order %lld: no %s from %s for this role\n", (long long)o->id, action, o->state);
		return -1;
	}
	bool is_assign = !strcmp(action, "assign"), is_dispatch = !strcmp(action, "dispatch");
	int64_t new_assignee = o->assignee;
	if (is_assign || is_dispatch)
		new_assignee = s->assignee ? g->acc[s->assignee - 1].id : 0;
	else if ((!strcmp(action, "accept") && a.role == R_GRID) || !strcmp(action, "claim"))
		new_assignee = a.user_id;
	const char *close_reason = !strcmp(action, "confirm") || !strcmp(action, "auto_close") ? "resolved" : !strcmp(action, "close") ? s->reason : NULL;
	int64_t ldue = 0;
	if (!strcmp(action, "accept") || !strcmp(action, "claim") || is_dispatch || !strcmp(action, "reopen"))
		ldue = s->at + limit_of(g, o->kind, o->urgency, true);
	char from[16];
	snprintf(from, sizeof from, "%s", o->state);
	snprintf(o->state, sizeof o->state, "%s", t->to);
	o->updated_at = s->at;
	o->assignee = new_assignee;
	if (is_dispatch)
		snprintf(o->level, sizeof o->level, "committee");
	if (!strcmp(action, "escalate"))
		o->escalated = 1;
	if (ldue > 0)
		o->due_at = ldue;
	if (!strcmp(action, "deliver"))
		snprintf(o->result, sizeof o->result, "%s", note_text);
	if (!strcmp(t->to, "delivered"))
		o->delivered_at = s->at;
	if (close_reason)
		snprintf(o->close_reason, sizeof o->close_reason, "%s", close_reason);
	if (!strcmp(action, "close") || !strcmp(action, "reject"))
		snprintf(o->close_note, sizeof o->close_note, "%s", note_text);
	if (!strcmp(action, "reject") || (close_reason && !strcmp(close_reason, "not_ours"))) {
		snprintf(o->decided_by, sizeof o->decided_by, "%s", a.label);
		snprintf(o->refer_to, sizeof o->refer_to, "%s", s->refer_to ? s->refer_to : "");
	}
	if (s->dup > 0)
		o->duplicate_of = s->dup;
	if (!strcmp(action, "confirm"))
		o->rating = s->rating, snprintf(o->comment, sizeof o->comment, "%s", note_text);
	if (!strcmp(t->to, "closed") || !strcmp(t->to, "rejected") || !strcmp(t->to, "withdrawn"))
		o->closed_at = s->at;
	if (!strcmp(action, "remind"))
		o->reminded_at = s->at;
	/* a dispatch's history says where it went and to whom (order_transition's dispatch_note) */
	char dnote[600];
	if (is_dispatch) {
		snprintf(dnote, sizeof dnote, "派往%s%s%s%s%s", br->name, new_assignee ? "，办理人：" : "",
			 new_assignee ? g->acc[s->assignee - 1].name : "", *note_text ? "。党委意见：" : "", note_text);
		note_text = dnote;
	}
	event_row(g, o->id, s->at, action, from, t->to, &a, note_text, strcmp(action, "remind") != 0);
	char text[200];
	if (!strcmp(action, "escalate")) {
		snprintf(text, sizeof text, "诉求 %s 向上反馈：%.90s", o->code, note_text);
		note(g, g->acc[g->towns[br->town].committee].id, "escalated", o->id, text, s->at);
	} else if ((is_assign || is_dispatch) && new_assignee && new_assignee != a.user_id) {
		snprintf(text, sizeof text, "诉求 %s 已派给您办理", o->code);
		note(g, new_assignee, "assigned", o->id, text, s->at);
	} else if (!strcmp(action, "reopen")) {
		snprintf(text, sizeof text, "诉求 %s 群众反映未解决，请重新办理：%.80s", o->code, note_text);
		note(g, new_assignee, "reopened", o->id, text, s->at);
	}
	/* a reopen or a rating of 1–2 is the branch's business too (its secretary's account) */
	if (!strcmp(action, "reopen") || (!strcmp(action, "confirm") && s->rating <= 2)) {
		if (!strcmp(action, "reopen"))
			snprintf(text, sizeof text, "诉求 %s 群众反映未解决，已重新办理：%.80s", o->code, note_text);
		else
			snprintf(text, sizeof text, "诉求 %s 群众评价 %d 星%s%.80s", o->code, s->rating, *note_text ? "：" : "", note_text);
		note(g, g->acc[br->sec].id, !strcmp(action, "reopen") ? "reopened" : "low_rating", o->id, text, s->at);
	}
	audit_row(g, &a, "order.action", o->id, o->org_id, order_action_label(action));
	if (!strcmp(action, "deliver") && s->who.acc >= 0 && s->who.role != A_PUBLIC && s->who.role != A_SYSTEM)
		points_row(g, o, &g->acc[s->who.acc], &a, s->at);
	return 0;
}

static void order_row(struct gen *g, const struct order_sim *o)
{
	struct writer *w = &g->w;
	const enum tbl T = T_ORDERS;
	w_row(w, T);
	w_int(w, T, o->id), w_text(w, T, o->code), w_text(w, T, o->kind), w_text(w, T, o->urgency), w_text(w, T, o->content);
	w_int(w, T, o->org_id), w_ref(w, T, o->grid_id), w_text(w, T, o->contact_name), w_text(w, T, o->contact_phone), w_text(w, T, o->state);
	w_text(w, T, o->level), w_int(w, T, o->escalated), w_ref(w, T, o->assignee), w_text(w, T, o->result);
	w_text(w, T, *o->close_reason ? o->close_reason : NULL), w_text(w, T, o->close_note), w_ref(w, T, o->duplicate_of);
	w_ref(w, T, o->rating), w_text(w, T, o->comment), w_text(w, T, "demo"), w_int(w, T, o->created_at), w_int(w, T, o->updated_at);
	w_int(w, T, o->due_at), w_ref(w, T, o->delivered_at), w_ref(w, T, o->closed_at), w_ref(w, T, o->reminded_at);
	w_text(w, T, o->decided_by), w_text(w, T, o->refer_to);
	w_end(w, T);
}

static void order_code(char out[24])
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	uint64_t a = rnd64(), b = rnd64();
	for (int i = 0; i < 12; i++) {
		out[i] = alphabet[(i < 10 ? a : b) % 62];
		if (i < 10)
			a /= 62;
		else
			b /= 62;
	}
	out[12] = 0;
}

/* One order and its story: the fate is drawn whole, then the steps whose
 * time has come are taken; the rest are the order's future (an order placed
 * yesterday is still open). A few older ones are stuck where they are. */
static int one_order(struct gen *g, struct branch *br, int64_t t, const char *target)
{
	struct order_sim o;
	memset(&o, 0, sizeof o);
	o.id = g->w.next_id[T_ORDERS]++;
	order_code(o.code);
	unsigned k = rnd(N(requests));
	snprintf(o.kind, sizeof o.kind, "%s", requests[k].kind);
	o.content = requests[k].text;
	unsigned u = rnd(100);
	snprintf(o.urgency, sizeof o.urgency, "%s", u < 8 ? "urgent" : u < 18 ? "complex" : "normal");
	int grid = br->ngrids && rnd(100) < 45 ? (int)rnd((unsigned)br->ngrids) : -1;
	o.org_id = br->id;
	o.grid_id = grid >= 0 ? br->grids[grid] : 0;
	snprintf(o.contact_name, sizeof o.contact_name, "%s%s", surname(), contact_tails[rnd(N(contact_tails))]);
	snprintf(o.contact_phone, sizeof o.contact_phone, "%.3s%08u", phone_prefixes[rnd(N(phone_prefixes))], rnd(100000000));
	snprintf(o.state, sizeof o.state, "submitted");
	snprintf(o.level, sizeof o.level, "branch");
	o.created_at = o.updated_at = t;
	o.due_at = t + limit_of(g, o.kind, o.urgency, false);
	/* the fate */
	struct step st[12];
	int n = 0;
	struct who sec = {R_BRANCH, br->sec}, pub = {A_PUBLIC, -1}, sys = {A_SYSTEM, -1}, com = {R_COMMITTEE, g->towns[br->town].committee};
	struct who gw = {R_GRID, grid >= 0 ? br->gridw[grid] : -1}, mem = {R_MEMBER, br->mem};
	unsigned fate = rnd(1000), r1 = rnd(100), r2 = rnd(100), r3 = rnd(48), r4 = rnd(5), r5 = rnd(N(deliver_notes)), r6 = rnd(N(reopen_notes));
	unsigned stuck = rnd(1000);
	if (target) { /* one of the few orders kept in each open state: a fate that passes through it */
		fate = !strcmp(target, "escalated") ? 100 : 500;
		r1 = 50, r2 = 1, stuck = 999;
	}
	int64_t at = t;
#define STEP(...) (st[n++] = (struct step){__VA_ARGS__})
	if (r1 < 4)
		STEP("add_info", pub, at += 1800 + rnd(7200), "补充：联系电话白天打不通，请晚上联系");
	if (fate < 40) {
		STEP("reject", sec, at += 3600 + rnd(6 * 3600), "不属于群众诉求受理范围，已电话向群众说明");
	} else if (fate < 80) {
		STEP("withdraw", pub, at += 1800 + rnd(4 * 3600));
	} else {
		/* who takes it: the grid worker in a grid, a member who claims a wish, else the secretary */
		const struct who *doer = &sec;
		int doer_acc = br->sec;
		bool escalate = fate >= 80 && fate < 200, closed_early = fate >= 200 && fate < 240;
		if (grid >= 0 && r2 < 50 && !escalate && !target) {
			STEP("accept", gw, at += 1800 + rnd(3 * 3600));
			STEP("assign", gw, at += 600 + rnd(3600), .assignee = gw.acc + 1);
			doer = &gw, doer_acc = gw.acc;
		} else if (!strcmp(o.kind, "wish") && br->mem >= 0 && r2 < 60 && !escalate && !target) {
			STEP("claim", mem, at += 3600 + rnd(24 * 3600));
			doer = &mem, doer_acc = mem.acc;
		} else {
			STEP("accept", sec, at += 1800 + rnd(5 * 3600));
			if (closed_early) {
				static const char *const reasons[] = {"unresolvable", "not_ours", "duplicate"};
				const char *reason = reasons[fate % 3];
				if (!strcmp(reason, "duplicate") && !br->last_order)
					reason = "not_ours";
				STEP("close", sec, at += 3600 + rnd(24 * 3600),
				     !strcmp(reason, "duplicate")  ? "与此前诉求重复，已合并办理"
				     : !strcmp(reason, "not_ours") ? "属于县直部门职责，已告知群众办理渠道"
								   : "受条件限制暂无法解决，已向群众解释",
				     .reason = reason, .dup = !strcmp(reason, "duplicate") ? br->last_order : 0,
				     .refer_to = !strcmp(reason, "not_ours") ? "县政务服务便民热线 12345" : NULL);
			} else if (escalate) {
				STEP("escalate", sec, at += 3600 + rnd(12 * 3600), "涉及资金和跨村协调，支部无法解决，报镇党委");
				if (r2 < 15)
					STEP("close", com, at += 24 * 3600 + rnd(48 * 3600), "经镇党委研究，受政策限制暂无法解决，已向群众解释",
					     .reason = "unresolvable");
				else {
					int who_does = br->mem >= 0 && r2 < 60 ? br->mem : br->sec;
					STEP("dispatch", com, at += 12 * 3600 + rnd(36 * 3600), .to_org = true, .assignee = who_does + 1);
					doer = who_does == br->mem ? &mem : &sec, doer_acc = who_does;
				}
			} else {
				int to = br->mem >= 0 && r2 < 55 ? br->mem : br->sec;
				STEP("assign", sec, at += 600 + rnd(3 * 3600), .assignee = to + 1);
				doer = to == br->mem ? &mem : &sec, doer_acc = to;
			}
		}
		(void)doer_acc;
		bool open_path = strcmp(st[n - 1].action, "close") != 0;
		if (open_path) {
			if (r1 >= 90)
				STEP("remind", com, at += 12 * 3600 + rnd(24 * 3600));
			if (r2 % 2)
				STEP("start", *doer, at += 1800 + rnd(8 * 3600));
			STEP("deliver", *doer, at += 6 * 3600 + rnd(72 * 3600), deliver_notes[r5]);
			if (r1 >= 84 && r1 < 90) {
				STEP("reopen", pub, at += 6 * 3600 + rnd(48 * 3600), reopen_notes[r6]);
				STEP("deliver", *doer, at += 6 * 3600 + rnd(48 * 3600), deliver_notes[(r5 + 1) % N(deliver_notes)]);
			}
			if (r2 < 72)
				STEP("confirm", pub, at += 3600 * (1 + (int64_t)r3), confirm_notes[r4],
				     .rating = r4 == 0 ? 3 + (int)(r3 % 3) : 4 + (int)(r3 % 2));
			else
				STEP("auto_close", sys, at += 7 * 86400 + 3600);
		}
	}
#undef STEP
	/* a few older orders stuck after their first steps: the overdue backlog */
	if (stuck < 3 && n > 2 && t < g->now - 30 * 86400)
		n = 2;
	if (create(g, br, &o, grid))
		return -1;
	g->counts[3]++;
	char dup_code[24];
	snprintf(dup_code, sizeof dup_code, "%s", br->last_code);
	char cur[16] = "submitted";
	for (int i = 0; i < n && st[i].at <= g->now - 60 && !(target && !strcmp(cur, target)); i++) {
		const struct order_transition *tr = order_find(cur, st[i].action, st[i].who.role);
		snprintf(cur, sizeof cur, "%s", tr ? tr->to : "");
		if (step(g, br, &o, &st[i], dup_code))
			return -1;
	}
	if (target && strcmp(cur, target)) {
		fprintf(stderr, "dangjian demo: BUG: order %lld is %s, not %s\n", (long long)o.id, cur, target);
		return -1;
	}
	if (g->rules) {
		/* the code was made by order_create: later duplicates name it */
		db_stmt *s = db_query(g->d, "SELECT code FROM orders WHERE id = ?", "I", o.id);
		snprintf(o.code, sizeof o.code, "%s", db_next(s) ? db_str(s, 0) : "");
		db_done(s);
	} else
		order_row(g, &o);
	br->last_order = o.id;
	snprintf(br->last_code, sizeof br->last_code, "%s", o.code);
	return 0;
}

static int build_orders(struct gen *g)
{
	/* the branches that take orders: villages and communities, the larger the busier */
	int *takers = malloc((size_t)g->nbr * sizeof *takers), nt = 0;
	for (int i = 0; i < g->nbr; i++)
		if (g->br[i].kind == K_VILLAGE || g->br[i].kind == K_COMMUNITY)
			takers[nt++] = i;
	int64_t total = g->o->orders, span = (int64_t)g->o->years * 365 * 86400;
	int64_t start = g->now - span;
	int rc = 0, forced = 0;
	for (int64_t i = 0; i < total && !rc; i++) {
		/* evenly over the years, in the order they were placed */
		int64_t t = start + span * i / total + rnd(600);
		if (t > g->now - 120)
			t = g->now - 120;
		/* the first orders placed five days ago are kept in each open state,
		 * so that every state is there whatever the size */
		static const char *const open_states[] = {"submitted", "accepted", "assigned", "in_progress", "escalated", "delivered"};
		const char *target = NULL;
		if (t >= g->now - 6 * 86400 && t < g->now - 5 * 86400 && forced < (int)N(open_states))
			target = open_states[forced++];
		rc = one_order(g, &g->br[takers[rnd((unsigned)nt)]], t, target);
		if (!rc && !g->rules && (rc = w_maybe_flush(&g->w)) == 0 && (i + 1) % 100000 == 0) {
			/* a commit now and then keeps SQLite's WAL from growing to the whole database */
			rc = w_flush(&g->w);
			if (!rc && (db_commit(g->d) != DB_OK || db_begin(g->d, true) != DB_OK))
				rc = -1;
			fprintf(stderr, "dangjian demo: %lld orders\n", (long long)(i + 1));
		}
	}
	free(takers);
	return rc;
}

/* ---- the records of the other mechanisms (issue 9 §1): meetings and
 * decisions (issue 13), volunteer service (issue 12), over the last
 * RECORD_MONTHS months for every branch ----
 *
 * Through the domain functions on both paths (meeting_plan_publish,
 * meeting_plan, meeting_leave_request/decide, meeting_cancel,
 * decision_create/progress/done, volunteer_team_create/add,
 * volunteer_create, volunteer_signup, points_award), except two steps of the
 * bulk path that are one statement per member in the rules and would take
 * the county's build from minutes to hours: marking attendance (one UPDATE
 * per member in meeting_mark_present) and the points of a held meeting
 * (points_award per invitee in meeting_hold). The bulk path writes them set
 * by set, the same rows: who comes is drawn from the ids (present when
 * (member_id × 7919 + meeting_id × 104729) mod 100 < the meeting's rate), so
 * both paths pick the same members; the meetings of a member fall on
 * distinct days, so meeting_attended's daily cap (4) is never reached. */

#define RECORD_MONTHS (g->o->record_months)
#define POOL 256

static const char s3_lesson_title[] = "书记讲党课：发挥党支部战斗堡垒作用";
static const struct {
	const char *title, *kind;
} rec_films[] = {
	{"焦裕禄", "red"},     {"信仰的力量", "red"},          {"乡村振兴在路上", "policy"}, {"警钟长鸣——身边的腐败", "warning"},
	{"永远的长征", "red"}, {"新时代的枫桥经验", "policy"}, {"蝇贪之害", "warning"},      {"黄河岸边的第一书记", "local"},
	{"星火燎原", "red"},   {"解码城乡融合", "policy"},     {"初心如磐", "red"},          {"清风廉韵", "warning"},
};
static const char *const rec_reflections[] = {
	"看完很受触动，作为一名农村党员，要在人居环境整治和邻里纠纷调解中带头，把身边群众的小事办好。",
	"片中老党员几十年如一日为群众办实事，让我明白了初心就在一件件具体的事情里，今后要多参加志愿服务。",
	"警示片让人警醒，小事小节也要守住底线，村里的每一笔账都要公开透明，接受群众监督。",
};

static const char *const red_themes[][2] = {
	{"政策理论宣传", "学习党的重要会议精神和“三农”政策，老党员讲初心故事，每人谈学习感悟。"},
	{"村级产业发展", "致富能手讲种植和大棚管理技术，议定本村产业发展的难题。"},
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
static const char *const rec_matters[] = {
	"修复村东头损坏的路灯三盏",
	"疏通村西排水沟，解决雨后积水进院",
	"清理村北垃圾堆放点并设置分类垃圾桶",
	"调解两户宅基地边界纠纷",
	"为独居老人代办慢性病门诊备案",
	"组织大棚种植技术培训",
	"硬化村南生产路约200米",
	"更换党群服务中心门口损坏的健身器材",
	"整治主街两侧私搭乱建",
	"修订村规民约，明确红白事操办标准",
	"建设村级电商直播带货点",
	"修缮文化广场舞台",
	"排查冬季取暖用电安全隐患",
	"协调化肥、种子统一采购",
	"帮助返乡青年申请创业担保贷款",
	"为留守儿童开设周末课堂",
	"维修卫生室漏雨屋顶",
	"在路口增设交通安全警示牌",
};
static const char *const rec_progress[] = {"已完成现场勘察，制定实施方案", "已采购所需材料，组织党员志愿者施工", "督导小组现场查看进度",
					   "已完成过半，剩余部分本周内完成", "已与相关户主沟通，取得同意"};
static const char *const rec_results[] = {"已按要求完成，群众代表验收满意", "问题已解决，督导小组回访确认", "已全部完成，在公开栏公示",
					  "已办结，群众评价满意"};
static const char *const rec_reps[] = {"王大爷", "李奶奶", "张婶", "赵师傅", "刘大姐", "陈老汉", "孙阿姨", "杨大哥", "周大娘", "吴叔"};
static const struct {
	const char *title, *kind;
} rec_activities[] = {
	{"政策宣讲进农家", "policy"}, {"清理河道和村道垃圾", "cleanup"}, {"义诊义剪进村入户", "clinic"}, {"走访慰问独居老人", "care"},
	{"文明交通劝导", "civility"}, {"汛期河堤巡查", "flood"},         {"帮助困难户秋收", "care"},     {"垃圾分类宣传", "cleanup"},
	{"反诈宣传进社区", "policy"}, {"为留守儿童辅导功课", "care"},
};

struct rec_branch {
	int64_t ids[POOL]; /* the branch's members (not stopped nor transferred), by id */
	int n;
	int64_t team;
};

static int rec_fail(const char *what, enum dj_result res, const struct field_errors *e)
{
	fprintf(stderr, "dangjian demo: %s: %s\n", what, dj_message(res, e));
	return -1;
}

static int rec_pool(struct gen *g, const struct branch *br, struct rec_branch *rb)
{
	rb->n = 0;
	db_stmt *s = db_query(g->d,
			      "SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE ? || '%' AND m.status NOT IN ('stopped', "
			      "'transferred') ORDER BY m.id LIMIT 256",
			      "t", br->path);
	while (db_next(s))
		rb->ids[rb->n++] = db_int(s, 0);
	return db_done(s) == DB_OK && rb->n > 1 ? 0 : -1;
}

struct rec_invitees {
	int64_t *ids;
	size_t n, cap;
	const char *only; /* a status to keep, NULL: all */
};
static void rec_collect(void *ctx, const struct attendee *at)
{
	struct rec_invitees *v = ctx;
	if (v->only && strcmp(at->status, v->only) != 0)
		return;
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 256;
		v->ids = realloc(v->ids, v->cap * sizeof *v->ids);
		if (!v->ids)
			abort();
	}
	v->ids[v->n++] = at->member_id;
}

static bool rec_present(int64_t member, int64_t meeting, unsigned rate) { return (member * 7919 + meeting * 104729) % 100 < (int64_t)rate; }

/* meeting_mark_present with the members the draw picks, as one UPDATE on the bulk path */
static int rec_mark(struct gen *g, const struct actor *a, int64_t id, int64_t org_id, const char *theme, unsigned rate, int64_t at)
{
	struct field_errors e = {0};
	if (g->rules) {
		struct rec_invitees v = {.only = "invited"};
		meeting_each_attendee(g->d, id, rec_collect, &v);
		size_t k = 0;
		for (size_t i = 0; i < v.n; i++)
			if (rec_present(v.ids[i], id, rate))
				v.ids[k++] = v.ids[i];
		enum dj_result res = meeting_mark_present(g->d, a, id, v.ids, k, at, &e);
		free(v.ids);
		return res == DJ_OK ? 0 : rec_fail("attendance", res, &e);
	}
	if (db_run(g->d,
		   "UPDATE meeting_attendance SET status = 'present', how = 'hand', signed_at = ?, leave_reason = '', decided_by = NULLIF(CAST(? AS "
		   "BIGINT), 0) WHERE meeting_id = ? AND status = 'invited' AND (member_id * 7919 + CAST(? AS BIGINT) * 104729) % 100 < CAST(? AS BIGINT)",
		   "IIIII", at, a->user_id, id, id, (int64_t)rate) != DB_OK)
		return -1;
	char sum[600];
	snprintf(sum, sizeof sum, "「%s」%lld人出席（手工登记）", theme, (long long)db_changes(g->d));
	return audit_write(g->d, a, "meeting.attendance", "meeting", id, org_id, sum) == DB_OK ? 0 : -1;
}

/* meeting_hold; on the bulk path its points (points_award per invitee) as one INSERT */
static int rec_hold(struct gen *g, const struct actor *a, int64_t id, const struct meeting_held *h, int64_t at)
{
	struct field_errors e = {0};
	if (g->rules) {
		enum dj_result res = meeting_hold(g->d, a, id, h, at, &e);
		return res == DJ_OK ? 0 : rec_fail("hold", res, &e);
	}
	db *d = g->d;
	struct meeting *m = malloc(sizeof *m);
	if (!m || !meeting_load(d, id, m)) {
		free(m);
		return -1;
	}
	int rc = -1;
	int64_t rule[2] = {0}, pts[2] = {0};
	for (int k = 0; k < 2; k++) {
		db_stmt *s = db_query(d, "SELECT id, points FROM points_rules WHERE code = ? AND from_at <= ? ORDER BY from_at DESC LIMIT 1", "tI",
				      k ? "meeting_attended" : "meeting_absent", m->starts_at);
		if (db_next(s))
			rule[k] = db_int(s, 0), pts[k] = db_int(s, 1);
		db_done(s);
	}
	if (!rule[0] || !rule[1])
		goto out;
	if (db_run(d, "UPDATE meeting_attendance SET status = 'absent' WHERE meeting_id = ? AND status IN ('invited', 'leave_requested')", "I", id) !=
		    DB_OK ||
	    db_run(d,
		   "UPDATE meetings SET state = 'held', minutes = ?, topics = ?, youth = ?, masses = ?, held_at = ?, updated_at = ? WHERE id = ? AND "
		   "state = 'planned'",
		   "ttIIIII", h->minutes, h->topics ? h->topics : "", h->youth, h->masses, at, at, id) != DB_OK)
		goto out;
	for (const char *const *r = h->reps; r && *r; r++)
		if (db_run(d, "INSERT INTO meeting_guests (meeting_id, name) VALUES (?, ?)", "It", id, *r) != DB_OK)
			goto out;
	/* points_award's entries, absent ones first, each by member (meeting_hold's order) */
	if (db_run(d,
		   "INSERT INTO points_ledger (member_id, org_id, kind, code, rule_id, qty, points, reason, source_kind, source_id, corrects_id, at, "
		   "year, month, day, actor_user_id, actor, created_at) SELECT t.member_id, mb.org_id, 'award', CASE WHEN t.status = 'present' THEN "
		   "'meeting_attended' ELSE 'meeting_absent' END, CASE WHEN t.status = 'present' THEN CAST(? AS BIGINT) ELSE CAST(? AS BIGINT) END, "
		   "1, CASE WHEN t.status = 'present' THEN CAST(? AS BIGINT) ELSE CAST(? AS BIGINT) END, '', 'meeting', t.meeting_id, NULL, "
		   "CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), NULLIF(CAST(? AS BIGINT), 0), ?, CAST(? AS BIGINT) "
		   "FROM meeting_attendance t CROSS JOIN members mb WHERE mb.id = t.member_id AND t.meeting_id = ? AND t.status IN ('present', 'absent') "
		   "ORDER BY CASE WHEN t.status = 'present' THEN 1 ELSE 0 END, t.member_id",
		   "IIIIIIIIItII", rule[1], rule[0], pts[1], pts[0], m->starts_at, (int64_t)points_year_of(m->starts_at),
		   (int64_t)points_month_of(m->starts_at), points_day_of(m->starts_at), a->user_id, a->label, g->now, id) != DB_OK)
		goto out;
	if (!meeting_load(d, id, m))
		goto out;
	char sum[700];
	snprintf(sum, sizeof sum, "%s「%s」已召开：应到%lld人，出席%lld人，请假%lld人，缺席%lld人；进步青年%lld人，群众代表%lld人", m->type_label,
		 m->theme, (long long)m->invited, (long long)m->present, (long long)m->on_leave, (long long)m->absent, (long long)h->youth,
		 (long long)h->masses);
	rc = audit_write(d, a, "meeting.hold", "meeting", id, m->org_id, sum) == DB_OK ? 0 : -1;
out:
	free(m);
	return rc;
}

/* One or two decisions of a meeting, carried on to where they stand today:
 * mostly done in time, some late, some open (overdue once past the deadline). */
static int rec_decisions(struct gen *g, const struct actor *a, const struct rec_branch *rb, int64_t meeting, int64_t start, int *made)
{
	int k = 1 + (int)rnd(2);
	for (int i = 0; i < k; i++) {
		int64_t deadline_t = start + (int64_t)(7 + rnd(24)) * 86400;
		char deadline[11];
		meeting_date_of(deadline_t, deadline);
		struct decision_supervisor sv[2] = {{"member", rb->ids[1 + rnd((unsigned)rb->n - 1)], ""}, {"rep", 0, rec_reps[rnd(N(rec_reps))]}};
		struct decision_new n = {rec_matters[rnd(N(rec_matters))], deadline, rb->ids[rnd((unsigned)(rb->n < 40 ? rb->n : 40))], sv, 2, NULL};
		struct field_errors e = {0};
		int64_t id = 0;
		enum dj_result res = decision_create(g->d, a, meeting, &n, start + 80 * 60, &id, &e);
		if (res != DJ_OK)
			return rec_fail("decision", res, &e);
		(*made)++;
		int64_t mid = start + (deadline_t - start) / 2;
		unsigned p = rnd(N(rec_progress)), fate = rnd(100), late = 2 + rnd(10), early = rnd(4), r = rnd(N(rec_results));
		if (mid < g->now && (res = decision_progress(g->d, a, id, rec_progress[p], mid, &e)) != DJ_OK)
			return rec_fail("decision progress", res, &e);
		int64_t at = fate < 75 ? deadline_t - (int64_t)early * 86400 : fate < 87 ? deadline_t + (int64_t)late * 86400 : 0;
		if (at && at < mid)
			at = mid + 3600;
		if (at && at < g->now && (res = decision_done(g->d, a, id, rec_results[r], at, &e)) != DJ_OK)
			return rec_fail("decision done", res, &e);
	}
	return 0;
}

/* One meeting: planned a week before; when its time has passed, a member
 * may have asked for leave, attendance is marked and it is held (or, rarely,
 * it was cancelled). Decisions for the 红色七点半 and some 支委会. */
static int rec_meeting(struct gen *g, const struct branch *br, const struct rec_branch *rb, int64_t org_id, const char *type, int64_t plan_id,
		       const char *theme, const char *content, int64_t start, int *held, int *made)
{
	struct actor a;
	struct who sec = {R_BRANCH, br->sec};
	actor_of(g, &sec, &a);
	const struct actor *a0 = &a; /* the branch secretary plans, marks and holds */
	char date[11], t0[20], t1[20], place[200];
	meeting_date_of(start, date);
	fmt_time(start, t0);
	fmt_time(start + 90 * 60, t1);
	if (br->kind == K_VILLAGE || br->kind == K_COMMUNITY)
		snprintf(place, sizeof place, "%.150s党群服务中心", br->place);
	else
		snprintf(place, sizeof place, "%.150s党员活动室", br->place);
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
	enum dj_result res = meeting_plan(g->d, a0, &n, start - 7 * 86400, &id, &e);
	if (res != DJ_OK)
		return rec_fail("meeting", res, &e);
	unsigned fate = rnd(100), rate = 75 + rnd(21), youth = rnd(8), masses = 4 + rnd(12), rep = rnd(N(rec_reps));
	bool red = !strcmp(type, "red730");
	if (fate < 1) {
		res = meeting_cancel(g->d, a0, id, "临时接到防汛紧急任务，会议取消", start - 3 * 3600, &e);
		return res == DJ_OK ? 0 : rec_fail("meeting cancel", res, &e);
	}
	if (start + 2 * 3600 > g->now)
		return 0; /* still to come */
	/* the member with a login asks for leave now and then; mostly approved */
	if (br->mem >= 0 && strcmp(type, "committee") != 0 && fate < 20) {
		struct actor m;
		struct who mem = {R_MEMBER, br->mem};
		actor_of(g, &mem, &m);
		char cur[24] = "";
		meeting_my_status(g->d, &m, id, cur);
		if (!strcmp(cur, "invited")) {
			if ((res = meeting_leave_request(g->d, &m, id, fate < 10 ? "外出务工，不能参加" : "家中老人住院，需要陪护", start - 86400, &e)) !=
				    DJ_OK ||
			    (res = meeting_leave_decide(g->d, a0, id, g->acc[br->mem].member_id, fate != 7, start - 43200, &e)) != DJ_OK)
				return rec_fail("meeting leave", res, &e);
		}
	}
	if (rec_mark(g, a0, id, org_id, theme, rate, start + 5 * 60))
		return -1;
	if (red || (!strcmp(type, "committee") && fate < 30)) {
		if (rec_decisions(g, a0, rb, id, start, made))
			return -1;
	}
	char minutes[800];
	const char *names[2] = {red ? rec_reps[rep] : NULL, NULL};
	struct meeting_held h = {minutes, theme, red ? youth : 0, red ? masses : 0, names};
	if (red)
		snprintf(minutes, sizeof minutes,
			 "围绕“%s”开展学习、议事、办事：支部书记传达学习内容，党员和群众代表逐一发言，现场议定事项、确定负责人和完成时限。", theme);
	else
		snprintf(minutes, sizeof minutes, "会议围绕“%s”进行，与会人员充分讨论，形成一致意见。", theme);
	if (rec_hold(g, a0, id, &h, start + 100 * 60))
		return -1;
	(*held)++;
	return 0;
}

static void rec_local(int64_t t, char out[24])
{
	char f[20];
	fmt_time(t, f);
	snprintf(out, 24, "%s", f);
}

/* A month's activity of the branch's 服务队: published a week before, signed
 * up by the secretary, checked in and out as the scans write them, the
 * points of the hours (points_award), finished. */
static int rec_activity(struct gen *g, const struct branch *br, const struct rec_branch *rb, int64_t start, int64_t len, int *served)
{
	struct actor a;
	struct who sec = {R_BRANCH, br->sec};
	actor_of(g, &sec, &a);
	unsigned k = rnd(N(rec_activities));
	char s0[24], s1[24], team[24], title[160], place[200];
	rec_local(start, s0);
	rec_local(start + len, s1);
	snprintf(team, sizeof team, "%lld", (long long)rb->team);
	snprintf(title, sizeof title, "%.60s%s", br->place, rec_activities[k].title);
	snprintf(place, sizeof place, "%.150s", br->place);
	struct volunteer_new n = {.title = title,
				  .kind = rec_activities[k].kind,
				  .place = place,
				  .org_code = br->code,
				  .team = team,
				  .starts = s0,
				  .ends = s1,
				  .capacity = 15 + 5 * (int64_t)rnd(4),
				  .open_registered = br->kind == K_COMMUNITY,
				  .publish = true};
	struct field_errors e = {0};
	int64_t id = 0;
	enum dj_result res = volunteer_create(g->d, &a, &n, start - 7 * 86400, &id, &e);
	if (res != DJ_OK)
		return rec_fail("volunteer activity", res, &e);
	if (start + len + VOLUNTEER_CLOSES_AFTER > g->now)
		return 0; /* still to come: published */
	int want = 6 + (int)rnd(12);
	int64_t who[32];
	int nw = 0;
	for (int tries = 0; nw < want && tries < 3 * want; tries++) {
		int64_t m = rb->ids[rnd((unsigned)rb->n)];
		bool dup = false;
		for (int j = 0; j < nw; j++)
			dup |= who[j] == m;
		if (!dup)
			who[nw++] = m;
	}
	for (int i = 0; i < nw; i++) {
		bool waiting = false;
		e.n = 0;
		int64_t signed_at = start - (int64_t)(1 + rnd(5)) * 86400;
		unsigned come = rnd(10), late = rnd(6), early = rnd(8), forgot = rnd(15), r1 = rnd(900), r2 = rnd(600);
		if (volunteer_signup(g->d, &a, id, who[i], signed_at, &waiting, &e) != DJ_OK)
			continue; /* not open to this member: refused as the page would */
		if (waiting || come == 0)
			continue; /* on the waiting list, or did not come */
		int64_t in = start - 600 + (int64_t)r1 + (late == 0 ? 1800 : 0);
		int64_t out = forgot == 0 ? start + len : start + len + (int64_t)r2 - (early == 0 ? 3600 : 0);
		int64_t minutes = volunteer_minutes(start, start + len, in, out);
		if (db_run(g->d,
			   "UPDATE volunteer_signups SET checkin_at = ?, checkin_how = 'scan', checkout_at = ?, checkout_how = ?, minutes = ? WHERE "
			   "activity_id = ? AND member_id = ?",
			   "IItIII", in, out, forgot == 0 ? "auto" : "scan", minutes, id, who[i]) != DB_OK)
			return -1;
		int64_t sid = db_int1(g->d, 0, "SELECT id FROM volunteer_signups WHERE activity_id = ? AND member_id = ?", "II", id, who[i]);
		if (minutes >= 60 && (res = points_award(g->d, &a, who[i], "volunteer_hour", "volunteer_signup", sid, minutes / 60, out, &e)) != DJ_OK)
			return rec_fail("volunteer points", res, &e);
		(*served)++;
	}
	if (db_run(g->d, "UPDATE volunteer_activities SET state = 'finished', public_count = ?, updated_at = ? WHERE id = ?", "III",
		   (int64_t)(rnd(3) ? rnd(25) : 0), start + len + VOLUNTEER_CLOSES_AFTER, id) != DB_OK)
		return -1;
	return 0;
}

/* ---- the micro-lessons (微党课, issue 14): each town's catalogue, made by its
 * committee from lessons its members developed, and the branches' orders
 * (点单) through the table, every other month, in every state: waiting for
 * the lecturer, declined, cancelled, confirmed, delivered (the lecturers'
 * points) and rated. The command line acts for the lecturers (they confirm
 * by phone), as the demo town's do. ---- */

#define REC_LESSONS 12
static const struct {
	const char *title, *topic, *outline;
	int minutes;
} rec_lessons[] = {
	{"庭院里的乡村振兴", "rural", "从一户一策讲起：房前屋后的小菜园、小果园怎样变成增收的门路。", 20},
	{"大棚里的党课", "rural", "党员示范户讲种植技术和销路。", 25},
	{"一名老兵的入党初心", "red", "退役军人党员讲军旅与入党经历。", 20},
	{"小微权力清单怎么用", "integrity", "村级小微权力清单，逐条讲给群众听。", 20},
	{"四议两公开，一步不能少", "governance", "用本村修路的真事讲民主决策程序。", 25},
	{"网格里的群众工作", "governance", "网格员党员讲怎样收集、办理群众诉求。", 15},
	{"政策面对面", "policy", "医保、养老、低保政策，一问一答。", 20},
	{"党员中心户的一天", "governance", "十户联系人讲走访、代办、调解。", 15},
	{"电商直播助农", "rural", "手把手教手机直播卖农产品。", 30},
	{"家风家训润乡邻", "integrity", "讲身边的好家风故事。", 15},
	{"村史馆里讲党史", "tourism", "村史馆的筹建与讲解。", 20},
	{"防范电信诈骗，党员带头讲", "policy", "民警党员讲最新骗局。", 20},
	{"土地流转的那些事", "rural", "合同怎么签，收益怎么分。", 25},
	{"乡村戏台上的新故事", "tourism", "送戏下乡与本土情景剧。", 15},
	{"我的入党故事", "red", "三代党员讲入党经历。", 15},
	{"人居环境整治怎么干", "governance", "门前三包、垃圾分类的好办法。", 20},
};
static const char *const rec_lesson_places[] = {"党群服务中心", "屋场微阵地", "农家小院", "文化广场", "支部会议室", "新时代文明实践站"};
static const char *const rec_lesson_comments[] = {"讲得接地气，老党员都听懂了", "结合本村实际，很受启发", "时间稍短，希望再来讲一次",
						  "案例生动，群众也来旁听", "讲师准备充分"};

/* A town's catalogue: REC_LESSONS lessons of its branches' members, made a month before the records begin. */
static int rec_catalogue(struct gen *g, int t, const struct rec_branch *rb, int64_t at0, int64_t *ids)
{
	struct actor a;
	struct who com = {R_COMMITTEE, g->towns[t].committee};
	actor_of(g, &com, &a);
	int per = (int)N(town_plan);
	for (int i = 0; i < REC_LESSONS; i++) {
		int b = t * per + 1 + i % (per - 1);
		const struct rec_branch *p = &rb[b];
		size_t li = ((size_t)t * 5 + (size_t)i) % N(rec_lessons);
		struct lesson_new l = {.title = rec_lessons[li].title,
				       .topic = rec_lessons[li].topic,
				       .outline = rec_lessons[li].outline,
				       .minutes = rec_lessons[li].minutes,
				       .org_id = g->br[b].id,
				       .at = at0 + (int64_t)i * 2 * 86400};
		l.lecturers[l.nlecturers++] = p->ids[1 + (i * 7) % (p->n - 1)];
		if (i % 4 == 0 && p->n > 3) /* some given by two members together */
			l.lecturers[l.nlecturers++] = p->ids[1 + (i * 7 + 1) % (p->n - 1)];
		if (i % 3 == 0)
			l.media_url = "https://www.12371.cn/special/wdk/";
		struct field_errors e = {0};
		enum dj_result res = lesson_create(g->d, &a, &l, &ids[i], &e);
		if (res != DJ_OK)
			return rec_fail("lesson", res, &e);
	}
	return 0;
}

/* A branch's order of one of its town's lessons at t0, carried on to where it stands now. */
static int rec_lesson_order(struct gen *g, const struct branch *br, const struct rec_branch *rb, int64_t lesson, int64_t t0, int *delivered)
{
	struct actor sec, cli;
	struct who s = {R_BRANCH, br->sec};
	actor_of(g, &s, &sec);
	actor_cli(&cli);
	char from[11], to[11];
	lesson_date_of(t0 + 3 * 86400, from);
	lesson_date_of(t0 + 10 * 86400, to);
	unsigned fate = rnd(20), note = rnd(3), wait = rnd(7), place = rnd(N(rec_lesson_places));
	struct field_errors e = {0};
	int64_t id = 0;
	enum dj_result res = lesson_order_create(g->d, &sec, lesson, br->id, from, to, note ? "" : "希望安排在晚上，方便在外务工的党员参加", t0, &id, &e);
	int64_t t_lesson = t0 + (int64_t)(3 + wait) * 86400;
	if (res == DJ_OK && t0 + 4 * 86400 < g->now) { /* the newest wait for the lecturer */
		struct lesson_act a = {0};
		if (fate == 0) {
			a.reason = "当月在县委党校参加培训，下月可以安排";
			res = lesson_order_transition(g->d, &cli, id, "decline", &a, t0 + 86400, &e);
		} else if (fate == 1) {
			a.reason = "与农忙时间冲突，改期再约";
			res = lesson_order_transition(g->d, &sec, id, "cancel", &a, t0 + 86400, &e);
		} else {
			char date[11], where[200];
			lesson_date_of(t_lesson, date);
			snprintf(where, sizeof where, "%.150s%s", br->place, rec_lesson_places[place]);
			a.date = date, a.place = where;
			res = lesson_order_transition(g->d, &cli, id, "confirm", &a, t0 + 86400, &e);
			if (res == DJ_OK && t_lesson + 4 * 3600 < g->now) {
				int64_t present[24], speakers[4];
				struct lesson_act dl = {0};
				int want = rb->n < 8 ? rb->n : 8 + (int)rnd(rb->n - 8 < 12 ? (unsigned)(rb->n - 7) : 12u);
				unsigned start = rnd((unsigned)rb->n), nsp = 1 + rnd(3), others = rnd(6);
				for (int k = 0; k < want && k < 24; k++)
					present[dl.npresent++] = rb->ids[(start + (unsigned)k) % (unsigned)rb->n];
				for (int k = 0; k < (int)nsp && k < dl.npresent; k++)
					speakers[dl.nspeakers++] = present[k];
				dl.present = present, dl.speakers = speakers;
				/* the others are counted against the branch's size too */
				dl.others = dl.npresent + (int)others <= rb->n ? others : 0;
				res = lesson_order_transition(g->d, &cli, id, "deliver", &dl, t_lesson + 3 * 3600, &e);
				(*delivered)++;
				unsigned rating = 3 + rnd(3), comment = rnd(N(rec_lesson_comments));
				if (res == DJ_OK && fate % 4 != 3 && t_lesson + 86400 < g->now) {
					struct lesson_act rt = {.rating = (int)rating, .comment = rec_lesson_comments[comment]};
					res = lesson_order_transition(g->d, &sec, id, "rate", &rt, t_lesson + 86400, &e);
				}
			}
		}
	}
	return res == DJ_OK ? 0 : rec_fail("lesson order", res, &e);
}

/* ---- 四议两公开 (issue 13): the major matters of villages and communities,
 * about two a year each, step by step through the table up to where today
 * is: proposed, consulted, reviewed by the 党员大会 and resolved by the
 * representatives (now and then short of the quorum: stopped), the
 * resolution and then the result made public. ---- */

static const struct {
	const char *title, *description;
} rec_major[] = {
	{"村集体土地流转方案", "村北约300亩集体土地整体流转给种植合作社，租期十年，租金按年支付，收益纳入村集体经济。"},
	{"硬化村内主干道", "村内主干道约1.2公里路面硬化，申请上级以奖代补资金，不足部分由村集体经济列支。"},
	{"村集体经济年度收益分配", "上年度村集体经济收益的分配方案：公益事业、困难群众救助与股民分红的比例。"},
	{"建设村级光伏电站", "利用党群服务中心及村委会屋顶建设分布式光伏，所得收益用于村级公益事业。"},
	{"改造村内饮水管网", "更换老化的自来水主管网，实行一户一表，工程公开招标。"},
	{"新建村级养老服务站", "利用闲置校舍改建养老服务站，为留守老人提供日间照料和助餐服务。"},
	{"农田水利设施修缮", "修缮村南灌溉机井及配套渠道，保障春灌秋种。"},
	{"村集体闲置房屋出租", "村委会闲置房屋公开招租，租金收入纳入村集体经济账户。"},
};

static int rec_matter(struct gen *g, const struct branch *br, int64_t t0, int *made)
{
	struct actor a;
	struct who sec = {R_BRANCH, br->sec};
	actor_of(g, &sec, &a);
	unsigned which = rnd(N(rec_major)), fail_at = rnd(20), reps = 25 + rnd(20);
	struct field_errors e = {0};
	int64_t id = 0;
	enum dj_result res = matter_create(g->d, &a, br->id, rec_major[which].title, rec_major[which].description, t0, &id, &e);
	if (res == DJ_OK)
		(*made)++;
	/* days after the proposal of each step */
	static const int after[] = {0, 3, 8, 12, 14, 75};
	static const char *const records[] = {"支部委员会研究提出初步方案", "村两委联席会议商议，形成决议草案", "党员大会审议",
					      "村民代表会议表决",           "决议在村务公开栏和微信群公示七天", "实施结果在村务公开栏公示"};
	for (int k = 0; res == DJ_OK && k < matter_steps_count && k < (int)N(after); k++) {
		int64_t at = t0 + (int64_t)after[k] * 86400;
		if (at > g->now)
			break;
		char date[11];
		meeting_date_of(at, date);
		struct matter_step_input in = {matter_steps[k].key, date, records[k], -1, -1, -1, 0};
		if (matter_steps[k].quorum == QUORUM_MEMBERS) {
			/* the branch's members, as the 党员大会 counts them */
			int64_t total = db_int1(
				g->d, 0,
				"SELECT COUNT(*) FROM members mb JOIN orgs o ON o.id = mb.org_id WHERE o.path LIKE ? || '%' AND mb.status NOT IN "
				"('stopped', 'transferred')",
				"t", br->path);
			in.present = fail_at == 0 ? total / 2 : total * (80 + (int64_t)(which % 4) * 5) / 100;
			in.favour = in.present * 9 / 10;
		} else if (matter_steps[k].quorum == QUORUM_REPRESENTATIVES) {
			in.total = reps;
			in.present = fail_at == 1 ? reps / 2 : reps * 85 / 100;
			in.favour = in.present - 2;
		}
		bool passed = false;
		res = matter_step_record(g->d, &a, id, &in, at, &passed, &e);
		if (res == DJ_OK && !passed)
			break;
	}
	return res == DJ_OK ? 0 : rec_fail("matter", res, &e);
}

/* ---- 榜样选树 (issue 15): each June, every town's 两优一先 (优秀共产党员):
 * one nomination from each branch's secretary, accepted, scored by the
 * committee and the town's 纪委 reviewer, shortlisted, consulted with the
 * 纪委 (now and then a veto), on public notice, awarded — as far as today
 * allows. The reviewer accounts (t01jiwei) are made with the first campaign. ---- */

static const char *const rec_deeds[] = {
	"担任党员中心户以来，联系群众十余户，帮助独居老人代办医保、代购药品，常年义务为村里修理电路。",
	"带头发展大棚种植，成立合作社带动二十余户群众增收，每年为困难户免费提供种苗和技术指导。",
	"在防汛工作中冲锋在前，连续值守四十余天，组织党员突击队转移群众三十余人。",
	"退休后主动担任调解员，化解邻里纠纷五十余起，被群众称为“和事佬”。",
	"坚持为留守儿童义务辅导功课八年，自费购买图书两千余册，建起“红色书屋”。",
	"在生产一线钻研技术，完成工艺改进三项，带出徒弟十二名，主动认领微心愿二十余个。",
};

static int rec_reviewer(struct gen *g, int t, struct actor *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_query(g->d, "SELECT id, path, code, name FROM orgs WHERE parent_id = ? AND type = 'dept' ORDER BY id LIMIT 1", "I",
			      g->towns[t].org);
	char code[64] = "", oname[128] = "";
	if (db_next(s)) {
		out->org_id = db_int(s, 0);
		snprintf(out->org_path, sizeof out->org_path, "%s", db_str(s, 1));
		snprintf(code, sizeof code, "%s", db_str(s, 2));
		snprintf(oname, sizeof oname, "%s", db_str(s, 3));
	}
	if (db_done(s) != DB_OK || !out->org_id)
		return -1;
	char un[40];
	uname(g, NULL, t, "jiwei", un);
	int64_t uid = db_int1(g->d, 0, "SELECT id FROM users WHERE username = ?", "t", un);
	struct person p;
	person(g, &g->br[t * (int)N(town_plan)], true, &p);
	if (!uid) {
		struct actor cli;
		actor_cli(&cli);
		struct field_errors e = {0};
		enum dj_result res = users_create_demo(g->d, &cli, un, p.name, "reviewer", out->org_id, DEMO_PASSWORD, &uid, &e);
		if (res != DJ_OK)
			return rec_fail("reviewer", res, &e);
	}
	out->user_id = uid, out->role = R_REVIEWER;
	snprintf(out->username, sizeof out->username, "%s", un);
	snprintf(out->name, sizeof out->name, "%s", p.name);
	snprintf(out->label, sizeof out->label, "%.120s %.60s", oname, p.name);
	snprintf(out->ip, sizeof out->ip, "demo");
	(void)code;
	return 0;
}

static void rec_day(int64_t t, char out[11]) { meeting_date_of(t, out); }

static int rec_campaign(struct gen *g, int t, const struct rec_branch *rb, int year, int64_t t0, int *awarded)
{
	struct actor com, jw;
	struct who cw = {R_COMMITTEE, g->towns[t].committee};
	actor_of(g, &cw, &com);
	if (rec_reviewer(g, t, &jw))
		return -1;
	char jw_code[64] = "";
	db_stmt *s = db_query(g->d, "SELECT code FROM orgs WHERE id = ?", "I", jw.org_id);
	if (db_next(s))
		snprintf(jw_code, sizeof jw_code, "%s", db_str(s, 0));
	if (db_done(s) != DB_OK)
		return -1;
	struct exemplar_campaign_new n;
	memset(&n, 0, sizeof n);
	snprintf(n.title, sizeof n.title, "%d年度“两优一先”评选（优秀共产党员）", year);
	snprintf(n.category, sizeof n.category, "youxiu_dangyuan");
	snprintf(n.subject, sizeof n.subject, "person");
	n.year = year, n.quota = 5, n.notice_days = 5;
	rec_day(t0 + 9 * 86400, n.nominate_until), rec_day(t0 + 13 * 86400, n.review_until), rec_day(t0 + 19 * 86400, n.consult_until);
	n.depts[0] = jw_code, n.depts_n = 1;
	struct field_errors e = {0};
	int64_t cid = 0, ids[16];
	int nc = 0, per = (int)N(town_plan);
	unsigned veto = rnd(10);
	enum dj_result res = exemplar_campaign_create(g->d, &com, &n, t0, &cid, &e);
	/* one nomination from each branch's secretary */
	for (int i = 0; res == DJ_OK && i < per && nc < 16; i++) {
		const struct branch *br = &g->br[t * per + i];
		const struct rec_branch *p = &rb[t * per + i];
		int64_t at = t0 + 86400 + (int64_t)i * 3600;
		if (at > g->now)
			break;
		struct actor sec;
		struct who sw = {R_BRANCH, br->sec};
		actor_of(g, &sw, &sec);
		struct exemplar_nomination nm;
		memset(&nm, 0, sizeof nm);
		int64_t who = p->ids[2 + (year + i) % (p->n - 2)];
		s = db_query(g->d, "SELECT name FROM members WHERE id = ?", "I", who);
		if (db_next(s))
			snprintf(nm.name, sizeof nm.name, "%s", db_str(s, 0));
		if (db_done(s) != DB_OK)
			return -1;
		snprintf(nm.unit, sizeof nm.unit, "%.120s", br->name);
		snprintf(nm.deeds, sizeof nm.deeds, "%s", rec_deeds[(size_t)(i + year) % N(rec_deeds)]);
		bool rep;
		res = exemplar_nominate(g->d, &sec, cid, &nm, at, &ids[nc++], &rep, &e);
	}
	/* accepted, reviewed, scored, shortlisted: the first five */
	int64_t at = t0 + 9 * 86400;
	for (int i = 0; res == DJ_OK && at <= g->now && i < nc; i++)
		res = exemplar_act(g->d, &com, ids[i], "accept", NULL, at, &e);
	if (res == DJ_OK && (at = t0 + 10 * 86400) <= g->now)
		res = exemplar_open_review(g->d, &com, cid, at, &e);
	else
		return res == DJ_OK ? 0 : rec_fail("exemplar campaign", res, &e);
	for (int i = 0; res == DJ_OK && (at = t0 + 12 * 86400) <= g->now && i < nc; i++) {
		int64_t p1[3] = {29 - i / 4, 39 - i / 2, 28 - (i + 1) / 3}, p2[3] = {28 - i / 3, 37 - i / 2 + i % 2, 28 - i / 4};
		res = exemplar_score(g->d, &com, ids[i], p1, 3, "事迹突出，群众认可", at, &e);
		if (res == DJ_OK)
			res = exemplar_score(g->d, &jw, ids[i], p2, 3, NULL, at, &e);
	}
	if (res == DJ_OK && (at = t0 + 14 * 86400) <= g->now)
		res = exemplar_shortlist(g->d, &com, cid, ids, nc < 5 ? nc : 5, at, &e);
	else
		return res == DJ_OK ? 0 : rec_fail("exemplar campaign", res, &e);
	/* the 纪委 answers; once in a while it vetoes the third */
	int64_t tasks[16];
	int nt = 0;
	s = db_query(g->d,
		     "SELECT t.id, t.candidate_id FROM exemplar_consults t JOIN exemplar_candidates c ON c.id = t.candidate_id WHERE c.campaign_id = ? "
		     "ORDER BY t.id",
		     "I", cid);
	int64_t cands[16];
	while (db_next(s) && nt < 16)
		cands[nt] = db_int(s, 1), tasks[nt++] = db_int(s, 0);
	if (db_done(s) != DB_OK)
		return -1;
	for (int i = 0; res == DJ_OK && (at = t0 + 16 * 86400 + i * 600) <= g->now && i < nt; i++) {
		bool no = veto == 0 && cands[i] == ids[2];
		res = exemplar_consult_answer(g->d, &jw, tasks[i], no ? "disagree" : "agree",
					      no ? "经查，该同志曾因违规操办酒席受到诫勉谈话，影响期未满，不宜推荐为榜样人选。" : "经核查，未发现问题", at,
					      &e);
	}
	if (res == DJ_OK && (at = t0 + 20 * 86400) <= g->now)
		res = exemplar_publish(g->d, &com, cid, at, &e);
	else
		return res == DJ_OK ? 0 : rec_fail("exemplar campaign", res, &e);
	if (res == DJ_OK && (at = t0 + 27 * 86400) <= g->now) {
		res = exemplar_award(g->d, &com, cid, at, &e);
		if (res == DJ_OK)
			*awarded += (int)db_int1(g->d, 0, "SELECT COUNT(*) FROM exemplar_candidates WHERE campaign_id = ? AND state = 'awarded'", "I",
						 cid);
	}
	return res == DJ_OK ? 0 : rec_fail("exemplar campaign", res, &e);
}

/* PostgreSQL plans the domain functions' statements from the tables'
 * statistics, and the people and orders were loaded in this transaction
 * (autovacuum cannot see them): ANALYZE sees the transaction's own rows.
 * Rows are unchanged; SQLite plans without statistics until the end. */
static int rec_analyze(struct gen *g) { return db_kind(g->d) != DB_PG || db_exec(g->d, "ANALYZE") == DB_OK ? 0 : -1; }

static int build_records(struct gen *g, int64_t counts[4])
{
	struct rec_branch *rb = calloc((size_t)g->nbr, sizeof *rb);
	if (!rb)
		abort();
	int rc = 0, held = 0, made = 0, served = 0, activities = 0;
	char today_s[11];
	meeting_date_of(g->now, today_s);
	int y0 = atoi(today_s), m0 = atoi(today_s + 5);
	rc = rec_analyze(g);
	/* a 服务队 per branch, led by its secretary, with a few members, a year ago */
	for (int b = 0; b < g->nbr && !rc; b++) {
		struct branch *br = &g->br[b];
		if ((rc = rec_pool(g, br, &rb[b])) != 0)
			break;
		struct actor a;
		struct who sec = {R_BRANCH, br->sec};
		actor_of(g, &sec, &a);
		char name[200];
		snprintf(name, sizeof name, "%.150s共产党员服务队", br->place);
		struct field_errors e = {0};
		int64_t at = g->now - (int64_t)(RECORD_MONTHS * 31 + 10) * 86400;
		enum dj_result res = volunteer_team_create(g->d, &a, br->code, name, rb[b].ids[0], at, &rb[b].team, &e);
		for (int i = 1; res == DJ_OK && i < rb[b].n && i <= 8; i++)
			res = volunteer_team_add(g->d, &a, rb[b].team, rb[b].ids[i], at + 86400, &e);
		if (res != DJ_OK)
			rc = rec_fail("volunteer team", res, &e);
	}
	/* each town's micro-lesson catalogue, a month before the records begin */
	int64_t *lessons = calloc((size_t)g->ntowns * REC_LESSONS, sizeof *lessons);
	if (!lessons)
		abort();
	for (int t = 0; t < g->ntowns && !rc; t++)
		rc = rec_catalogue(g, t, rb, g->now - (int64_t)(RECORD_MONTHS * 31 + 30) * 86400, &lessons[t * REC_LESSONS]);
	int lesson_orders = 0, lessons_delivered = 0, matters = 0, awarded = 0;
	for (int k = -(RECORD_MONTHS - 1); k <= 0 && !rc; k++) {
		int mm = m0 - 1 + k, yy = y0;
		while (mm < 0)
			mm += 12, yy--;
		mm = mm % 12 + 1;
		char month[16], first[16];
		snprintf(month, sizeof month, "%04d-%02d", yy % 10000, mm);
		snprintf(first, sizeof first, "%.7s-01", month);
		int64_t t_first;
		meeting_time_parse(first, "19:30", &t_first);
		const char *const *plan = red_themes[(mm + 11) % 12];
		/* each town's 红色七点半 plan of the month, published at the end of the month before */
		int64_t *plans = calloc((size_t)g->ntowns, sizeof *plans), *films = calloc((size_t)g->ntowns * 2, sizeof *films);
		for (int t = 0; t < g->ntowns && !rc; t++) {
			if (t_first - 3 * 86400 > g->now)
				break;
			struct actor a;
			struct who com = {R_COMMITTEE, g->towns[t].committee};
			actor_of(g, &com, &a);
			struct field_errors e = {0};
			enum dj_result res = meeting_plan_publish(g->d, &a, g->towns[t].org, month, "red730", plan[0], plan[1], t_first - 3 * 86400,
								  &plans[t], &e);
			if (res != DJ_OK) {
				rc = rec_fail("meeting plan", res, &e);
				break;
			}
			/* and its 主题党日 film list of the month (一片, issue 14): two films */
			char notice[200];
			int64_t list = 0;
			snprintf(notice, sizeof notice, "%d月主题党日请各支部组织观看以下教育片，观看后在手机上提交观后感。", mm);
			res = film_list_create(g->d, &a, g->towns[t].org, month, notice, t_first - 3 * 86400, &list, &e);
			for (int f = 0; res == DJ_OK && f < 2; f++) {
				size_t fi = ((size_t)(mm * 2 + f) + (size_t)t) % N(rec_films);
				res = film_add(g->d, &a, list, rec_films[fi].title, rec_films[fi].kind, "https://www.12371.cn/dyjy/", t_first - 3 * 86400,
					       &films[t * 2 + f], &e);
			}
			if (res != DJ_OK)
				rc = rec_fail("film list", res, &e);
		}
		for (int b = 0; b < g->nbr && !rc; b++) {
			struct branch *br = &g->br[b];
			bool village = br->kind == K_VILLAGE || br->kind == K_COMMUNITY;
			/* the month's 主题党日 plan (一课一片一实践, issue 14), made by the secretary
			 * a few days before: its 一课 and 一实践 fill themselves from the 党课 held
			 * and the volunteer activity finished in the month (themeday_part_auto) */
			if (t_first - 5 * 86400 <= g->now) {
				struct actor a;
				struct who sec = {R_BRANCH, br->sec};
				actor_of(g, &sec, &a);
				char practice[200];
				snprintf(practice, sizeof practice, "%.150s共产党员服务队志愿服务", br->place);
				const char *titles[3] = {s3_lesson_title, red_themes[(mm + 11) % 12][0], practice};
				struct field_errors e = {0};
				int64_t pid = 0;
				enum dj_result res = plan_create(g->d, &a, br->id, month, titles, t_first - 5 * 86400, &pid, &e);
				if (res != DJ_OK) {
					rc = rec_fail("theme-day plan", res, &e);
					break;
				}
				/* its 一片: a screening of one of the town's films (now and then none),
				 * recorded on the plan; the member with a login writes a reflection */
				unsigned skip = rnd(10), which = rnd(2), day = 5 + rnd(18), share = rnd(10), refl = rnd(N(rec_reflections));
				int64_t at = t_first - (int64_t)(9 * 3600 + 30 * 60) + (int64_t)day * 86400;
				int64_t film = films[br->town * 2 + (int)which];
				if (skip && film && at < g->now) {
					char date[11], place[200];
					meeting_date_of(at, date);
					snprintf(place, sizeof place, "%.150s%s", br->place, village ? "党群服务中心" : "党员活动室");
					int64_t sid = 0;
					res = screening_add(g->d, &a, film, br->id, date, place, (int64_t)rb[b].n * (6 + share % 4) / 10 + 1, at, &sid,
							    &e);
					if (res == DJ_OK)
						res = plan_complete(g->d, &a, pid, "film", "screening", sid, NULL, at, &e);
					if (res == DJ_OK && br->mem >= 0 && share < 6) {
						struct actor m;
						struct who mem = {R_MEMBER, br->mem};
						actor_of(g, &mem, &m);
						int64_t rid = 0;
						res = reflection_add(g->d, &m, film, rec_reflections[refl], at + 86400, &rid, &e);
					}
					if (res != DJ_OK) {
						rc = rec_fail("screening", res, &e);
						break;
					}
				}
			}
			/* 三会一课: 支委会 and 党小组会 monthly, 党员大会 and 党课 each quarter; a few missed */
			struct {
				const char *type, *theme;
				int day, hour;
				bool due;
			} s3[] = {
				{"committee", "研究本月党建和重点工作", 2, 9, true},
				{"assembly", "通报季度工作，讨论发展党员和重大事项", 20, 9, mm % 3 == 0},
				{"lesson", s3_lesson_title, 22, 15, mm % 3 == 0},
			};
			for (size_t j = 0; j < N(s3) && !rc; j++) {
				unsigned miss = rnd(100);
				if (!s3[j].due || miss < 4)
					continue;
				char d0[16], hm[6];
				snprintf(d0, sizeof d0, "%.7s-%02d", month, s3[j].day);
				snprintf(hm, sizeof hm, "%02d:00", s3[j].hour);
				int64_t t;
				meeting_time_parse(d0, hm, &t);
				rc = rec_meeting(g, br, &rb[b], br->id, s3[j].type, 0, s3[j].theme, s3[j].theme, t, &held, &made);
			}
			for (int q = 0; q < br->ngroups && !rc; q++) {
				unsigned miss = rnd(100);
				if (miss < 6)
					continue;
				char d0[16];
				snprintf(d0, sizeof d0, "%.7s-%02d", month, 12 + q % 4);
				int64_t t;
				meeting_time_parse(d0, "15:00", &t);
				rc = rec_meeting(g, br, &rb[b], br->groups[q], "group", 0, "学习交流，收集群众意见", "学习交流，收集群众意见", t, &held,
						 &made);
			}
			/* the 红色七点半 of villages and communities, every month, on the town's plan */
			if (village && !rc && plans[br->town]) {
				int64_t t = t_first + (int64_t)(3 + rnd(7)) * 86400;
				char theme[200];
				snprintf(theme, sizeof theme, "%s：%.100s", plan[0], br->place);
				rc = rec_meeting(g, br, &rb[b], br->id, "red730", plans[br->town], rnd(4) == 0 ? theme : plan[0], plan[1], t, &held,
						 &made);
			}
			/* a major matter through 四议两公开 in villages and communities, twice a year */
			if (!rc && village && (b + k + 6 * RECORD_MONTHS) % 6 == 3) {
				int64_t t0 = t_first + (int64_t)(4 + b % 10) * 86400;
				if (t0 < g->now)
					rc = rec_matter(g, br, t0, &matters);
			}
			/* every other month a micro-lesson ordered from the town's catalogue */
			if (!rc && (b + k + RECORD_MONTHS) % 2 == 0) {
				int64_t t0 = t_first + (int64_t)(b % 20) * 86400 + (int64_t)(9 + rnd(8)) * 3600;
				if (k == 0) /* this month's: the last days', some still waiting for the lecturer, some scheduled */
					t0 = g->now - (int64_t)(b % 9) * 86400 - 3600;
				if (t0 < g->now) {
					int64_t lesson = lessons[br->town * REC_LESSONS + (b * 3 + k + RECORD_MONTHS) % REC_LESSONS];
					rc = rec_lesson_order(g, br, &rb[b], lesson, t0, &lessons_delivered);
					lesson_orders++;
				}
			}
			/* a volunteer activity of the branch's 服务队 each month, on a Saturday-ish day */
			if (!rc) {
				int64_t t = t_first - (int64_t)(19 * 3600 + 30 * 60) + (int64_t)(23 + rnd(4)) * 86400 + 8 * 3600 + 30 * 60;
				rc = rec_activity(g, br, &rb[b], t, (int64_t)(2 + rnd(2)) * 3600, &served);
				activities++;
			}
		}
		/* each June, every town's 两优一先; each January (and the first month), the year's volunteer minimum */
		for (int t = 0; t < g->ntowns && !rc; t++) {
			if (mm == 6) {
				int64_t t0 = t_first - (int64_t)(10 * 3600 + 30 * 60);
				rc = rec_campaign(g, t, rb, yy, t0, &awarded);
			}
			if (!rc && (mm == 1 || k == -(RECORD_MONTHS - 1))) {
				struct actor a;
				struct who com = {R_COMMITTEE, g->towns[t].committee};
				actor_of(g, &com, &a);
				struct field_errors e = {0};
				enum dj_result res = volunteer_minimum_set(g->d, &a, g->towns[t].org, yy, 2 + (t + yy) % 3,
									   "每名党员参加志愿服务活动不少于规定次数", t_first - 20 * 86400, &e);
				if (res != DJ_OK)
					rc = rec_fail("volunteer minimum", res, &e);
			}
		}
		free(plans);
		free(films);
		if (!rc && !g->rules && (db_commit(g->d) != DB_OK || db_begin(g->d, true) != DB_OK))
			rc = -1;
		fprintf(stderr, "dangjian demo: records of %s\n", month);
	}
	free(rb);
	free(lessons);
	fprintf(stderr, "dangjian demo: %d lesson orders, %d delivered; %d matters; %d exemplars awarded\n", lesson_orders, lessons_delivered, matters,
		awarded);
	counts[0] = held, counts[1] = made, counts[2] = activities, counts[3] = served;
	return rc;
}

/* ---- 党费 (issue 18) over the record months: every member's base from the
 * first month (dues_base_set by the branch's secretary), each month's rows
 * (dues_generate of the branch) and the payments (dues_pay): most members
 * pay a quarter at the quarter's last month, some each month, some half a
 * year at once, some a quarter late, and one in twenty stops paying seven
 * months before now (the six-month
 * flag is the minute's task's). The rules path calls those functions; the
 * bulk path writes their rows through the batched writer, ids counted in the
 * rules' order (bases, then month by month and branch by branch: the
 * generated months, then the payments) and the audit rows they write. ---- */

struct dues_member {
	int64_t id, org_id;
	int br;
	char name[96], cat[16];
	int64_t base, flat; /* as dues_bases holds them */
	int next;           /* the first month not yet paid */
};

static void dues_list(const char *const months[], int from, int to, char *out, size_t n)
{
	*out = 0;
	for (int i = from; i <= to; i++) {
		size_t l = strlen(out);
		snprintf(out + l, n - l, "%s%s", i > from ? "、" : "", months[i]);
	}
}

/* Through which month m pays in month k (-1: no payment then). */
static int dues_upto(const struct dues_member *m, int k, int nm, const char *month, const char *today_s)
{
	int cm = atoi(month + 5);
	char paid_on[11];
	snprintf(paid_on, sizeof paid_on, "%.7s-%02d", month, 8 + (int)(m->id % 15));
	if (strcmp(paid_on, today_s) > 0) /* this month's day is still to come */
		return -1;
	unsigned kind = (unsigned)(m->id % 20);
	int upto = -1;
	if (kind == 0 && k >= nm - 7)
		return -1; /* stopped paying */
	if (m->id % 7 == 3)
		upto = k; /* every month */
	else if (kind == 2)
		upto = cm % 6 == 0 ? k : -1; /* half a year at once */
	else if (cm % 3 == 0)
		upto = kind == 1 ? k - 3 : k; /* a quarter, or a quarter late */
	return upto >= m->next ? upto : -1;
}

static int build_dues(struct gen *g, int64_t counts[3])
{
	int nm = RECORD_MONTHS;
	char cur[8];
	dues_month_of(g->now, cur);
	char(*mbuf)[8] = calloc((size_t)nm, sizeof *mbuf);
	const char **months = calloc((size_t)nm, sizeof *months);
	struct dues_rate *rates = calloc((size_t)nm, sizeof *rates);
	if (!mbuf || !months || !rates)
		abort();
	int rc = 0;
	for (int k = 0; k < nm && !rc; k++) {
		dues_month_add(cur, k - (nm - 1), mbuf[k]);
		months[k] = mbuf[k];
		if (!dues_rate_for(g->d, months[k], &rates[k]))
			rc = rec_fail("dues rate", DJ_INVALID, &(struct field_errors){0});
	}
	/* the members of each branch, in the order dues_generate takes them */
	size_t n = 0, cap = 4096;
	struct dues_member *ms = malloc(cap * sizeof *ms);
	int *first = calloc((size_t)g->nbr + 1, sizeof *first);
	if (!ms || !first)
		abort();
	for (int b = 0; b < g->nbr && !rc; b++) {
		const struct branch *br = &g->br[b];
		first[b] = (int)n;
		db_stmt *s = db_query(
			g->d,
			"SELECT m.id, m.org_id, m.name, m.status, m.in_service FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE ? "
			"|| '%' AND m.status NOT IN ('stopped', 'transferred') ORDER BY m.id",
			"t", br->path);
		while (db_next(s)) {
			if (n == cap) {
				cap *= 2;
				ms = realloc(ms, cap * sizeof *ms);
				if (!ms)
					abort();
			}
			struct dues_member *m = &ms[n++];
			memset(m, 0, sizeof *m);
			m->id = db_int(s, 0), m->org_id = db_int(s, 1), m->br = b;
			snprintf(m->name, sizeof m->name, "%s", db_str(s, 2));
			/* pay between ¥2,000 and ¥13,000 in whole yuan; retirees half; villagers a flat amount */
			int64_t pay = (200000 + (m->id * 7919) % 1100000) / 100 * 100;
			if (!strcmp(db_str(s, 3), "retired"))
				snprintf(m->cat, sizeof m->cat, "retired"), m->base = pay / 2 / 100 * 100;
			else if (!db_int(s, 4) && br->kind == K_VILLAGE) {
				snprintf(m->cat, sizeof m->cat, "farmer");
				m->flat = (rates[0].flat_min + (rates[0].flat_max - rates[0].flat_min) / 4 * (m->id % 5)) / 10 * 10;
			} else
				snprintf(m->cat, sizeof m->cat, "in_service"), m->base = pay;
		}
		if (db_done(s) != DB_OK)
			rc = -1;
	}
	first[g->nbr] = (int)n;
	struct writer *w = &g->w;
	if (!g->rules && !rc) {
		/* the records' domain functions have written audit rows since */
		w->next_id[T_AUDIT] = db_int1(g->d, 1, "SELECT COALESCE(MAX(id), 0) + 1 FROM audit", "");
		w->next_id[T_DBASES] = db_int1(g->d, 1, "SELECT COALESCE(MAX(id), 0) + 1 FROM dues_bases", "");
		w->next_id[T_DPAYS] = db_int1(g->d, 1, "SELECT COALESCE(MAX(id), 0) + 1 FROM dues_payments", "");
		w->next_id[T_DMONTHS] = db_int1(g->d, 1, "SELECT COALESCE(MAX(id), 0) + 1 FROM dues_months", "");
	}
	/* the bulk path's months: ids and payments kept until every payment is written */
	int64_t *mid = NULL, *mpay = NULL;
	if (!g->rules) {
		mid = calloc(n * (size_t)nm + 1, sizeof *mid);
		mpay = calloc(n * (size_t)nm + 1, sizeof *mpay);
		if (!mid || !mpay)
			abort();
	}
	/* the bases, from the first month */
	for (int b = 0; b < g->nbr && !rc; b++) {
		struct actor a;
		struct who sec = {R_BRANCH, g->br[b].sec};
		actor_of(g, &sec, &a);
		for (int i = first[b]; i < first[b + 1] && !rc; i++) {
			struct dues_member *m = &ms[i];
			bool flat = dues_category_flat(m->cat);
			if (g->rules) {
				struct field_errors e = {0};
				enum dj_result res = dues_base_set(g->d, &a, m->id, months[0], m->cat, m->base, m->flat, &e);
				if (res != DJ_OK)
					rc = rec_fail("dues base", res, &e);
				continue;
			}
			w_row(w, T_DBASES);
			w_int(w, T_DBASES, w->next_id[T_DBASES]++), w_int(w, T_DBASES, m->id), w_text(w, T_DBASES, months[0]), w_text(w, T_DBASES, m->cat);
			w_int(w, T_DBASES, m->base), w_int(w, T_DBASES, m->flat), w_ref(w, T_DBASES, a.user_id), w_int(w, T_DBASES, g->now);
			w_end(w, T_DBASES);
			char sum[200], y[32];
			dues_fmt_yuan(flat ? m->flat : m->base, y);
			snprintf(sum, sizeof sum, "%s：%s起 %s %s 元", m->name, months[0], dues_category_label(m->cat), y);
			audit_row_of(g, &a, "dues.base", "member", m->id, m->org_id, sum);
			rc = w_maybe_flush(w);
		}
	}
	int64_t seq[200] = {0}; /* receipts per year since 1950 */
	int64_t made_all = 0, paid_all = 0;
	char today_s[11];
	meeting_date_of(g->now, today_s);
	for (int k = 0; k < nm && !rc; k++) {
		for (int b = 0; b < g->nbr && !rc; b++) {
			struct actor a;
			struct who sec = {R_BRANCH, g->br[b].sec};
			actor_of(g, &sec, &a);
			struct field_errors e = {0};
			int made = 0;
			if (g->rules) {
				enum dj_result res = dues_generate(g->d, &a, g->br[b].path, months[k], &made, &e);
				if (res != DJ_OK)
					rc = rec_fail("dues generate", res, &e);
			} else {
				for (int i = first[b]; i < first[b + 1]; i++)
					if (dues_amount(&rates[k], ms[i].cat, ms[i].base, ms[i].flat, &(int64_t){0}))
						mid[(size_t)i * (size_t)nm + (size_t)k] = w->next_id[T_DMONTHS]++, made++;
				if (made) {
					char sum[120];
					snprintf(sum, sizeof sum, "%s 党费 %d 人", months[k], made);
					audit_row_of(g, &a, "dues.generate", "dues", 0, a.org_id, sum);
				}
			}
			made_all += made;
			for (int i = first[b]; i < first[b + 1] && !rc; i++) {
				struct dues_member *m = &ms[i];
				int upto = dues_upto(m, k, nm, months[k], today_s);
				if (upto < 0)
					continue;
				char paid_on[11];
				snprintf(paid_on, sizeof paid_on, "%.7s-%02d", months[k], 8 + (int)(m->id % 15));
				const char *method = m->id % 3 ? "cash" : "transfer";
				if (g->rules) {
					struct dues_pay p = {.member_id = m->id, .method = method, .paid_on = paid_on};
					for (int j = m->next; j <= upto && p.nmonths < 24; j++)
						p.months[p.nmonths++] = months[j];
					int64_t pid = 0;
					enum dj_result res = dues_pay(g->d, &a, &p, &pid, &e);
					if (res != DJ_OK)
						rc = rec_fail("dues payment", res, &e);
				} else {
					int64_t owed = 0, id = w->next_id[T_DPAYS]++;
					for (int j = m->next; j <= upto; j++) {
						int64_t due = 0;
						dues_amount(&rates[j], m->cat, m->base, m->flat, &due);
						owed += due;
						mpay[(size_t)i * (size_t)nm + (size_t)j] = id;
					}
					int year = atoi(paid_on);
					int64_t sq = ++seq[(year - 1950 + 200) % 200];
					char no[32], list[400], y[32], sum[800];
					snprintf(no, sizeof no, "DF%04d%06lld", year % 10000, (long long)sq); /* as dues.c */
					dues_list(months, m->next, upto, list, sizeof list);
					w_row(w, T_DPAYS);
					w_int(w, T_DPAYS, id), w_text(w, T_DPAYS, no), w_int(w, T_DPAYS, year), w_int(w, T_DPAYS, sq),
						w_int(w, T_DPAYS, m->id);
					w_int(w, T_DPAYS, m->org_id), w_text(w, T_DPAYS, method), w_ref(w, T_DPAYS, 0), w_text(w, T_DPAYS, "");
					w_int(w, T_DPAYS, owed), w_text(w, T_DPAYS, list), w_text(w, T_DPAYS, paid_on), w_int(w, T_DPAYS, a.user_id);
					w_int(w, T_DPAYS, g->now);
					w_end(w, T_DPAYS);
					dues_fmt_yuan(owed, y);
					snprintf(sum, sizeof sum, "%s 缴纳党费 %s 元（%s）收据 %s%s%s", m->name, y, list, no, "", "");
					audit_row_of(g, &a, "dues.pay", "dues_payment", id, m->org_id, sum);
					rc = w_maybe_flush(w);
				}
				m->next = upto + 1;
				paid_all++;
			}
		}
		if (!rc && !g->rules && (w_flush(w) || db_commit(g->d) != DB_OK || db_begin(g->d, true) != DB_OK))
			rc = -1;
		fprintf(stderr, "dangjian demo: dues of %s\n", months[k]);
	}
	/* the bulk path's months, as dues_generate made them and dues_pay left them */
	for (size_t i = 0; i < n && !rc && !g->rules; i++) {
		const struct dues_member *m = &ms[i];
		for (int k = 0; k < nm && !rc; k++) {
			int64_t id = mid[i * (size_t)nm + (size_t)k], pay = mpay[i * (size_t)nm + (size_t)k], due = 0;
			if (!id)
				continue;
			dues_amount(&rates[k], m->cat, m->base, m->flat, &due);
			w_row(w, T_DMONTHS);
			w_int(w, T_DMONTHS, id), w_int(w, T_DMONTHS, m->id), w_int(w, T_DMONTHS, m->org_id), w_text(w, T_DMONTHS, months[k]);
			w_text(w, T_DMONTHS, m->cat), w_int(w, T_DMONTHS, m->base), w_int(w, T_DMONTHS, rates[k].id), w_int(w, T_DMONTHS, due);
			w_int(w, T_DMONTHS, 0), w_int(w, T_DMONTHS, pay ? due : 0), w_text(w, T_DMONTHS, pay ? "paid" : "owing"), w_ref(w, T_DMONTHS, pay);
			w_int(w, T_DMONTHS, 0), w_int(w, T_DMONTHS, g->now);
			w_end(w, T_DMONTHS);
			rc = w_maybe_flush(w);
		}
		if (!rc && i % 50000 == 49999 && (w_flush(w) || db_commit(g->d) != DB_OK || db_begin(g->d, true) != DB_OK))
			rc = -1;
	}
	if (!rc && !g->rules)
		rc = w_flush(w);
	counts[0] = (int64_t)n, counts[1] = made_all, counts[2] = paid_all;
	free(mid);
	free(mpay);
	free(ms);
	free(first);
	free(mbuf);
	free(months);
	free(rates);
	return rc;
}

/* ---- the sizes ---- */

int demo_scale_opts(const char *scale, struct demo_opts *o)
{
	memset(o, 0, sizeof *o);
	o->seed = 20260101;
	o->years = 3;
	o->record_months = 12;
	if (!strcmp(scale, "county"))
		o->counties = 1;
	else if (!strcmp(scale, "province"))
		o->counties = 10;
	else
		return -1;
	o->towns = 20;
	o->members = -1, o->orders = -1; /* by towns, below */
	return 0;
}

static void sizes(struct demo_opts *o)
{
	int64_t towns = (int64_t)o->counties * o->towns;
	if (o->record_months <= 0)
		o->record_months = 12;
	if (o->members < 0)
		o->members = towns * 15000;
	if (o->orders < 0)
		o->orders = towns * 50000;
}

/* The SQLite settings of a bulk load: no fsync, a big page cache, temporary
 * B-trees in memory, foreign keys checked afterwards by `dangjian check`, and
 * no memory-mapped reads (db_sqlite.c maps up to 2 GB of the file: every page
 * the load touched stayed in the process's resident set, most of the 2.9 GB
 * peak; mapped again after the final ANALYZE). Taken back before the
 * connection is used for anything else. */
static void bulk_pragmas(db *d, bool on)
{
	if (db_kind(d) != DB_SQLITE)
		return;
	db_exec(d, on ? "PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=OFF; PRAGMA mmap_size=0;"
		      : "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-2000; PRAGMA temp_store=DEFAULT; PRAGMA foreign_keys=ON;");
}

/* PostgreSQL's counterpart of bulk_pragmas' foreign_keys=OFF: the load
 * drops the schema's foreign keys in its transaction and adds them back,
 * each one validated over the whole table, before it commits (as pg_restore
 * adds them after the data). Checked row by row they were most of the
 * records' time: an INSERT of the meetings' 746,758 points entries of a
 * 2-town county took 6.3 s into a copy of points_ledger with its indexes and
 * 22.6 s with its four foreign keys (each row a SELECT … FOR KEY SHARE of
 * the member, org, rule and user). The rows are the domain's either way (the
 * SQLite load runs without the checks too, and writes the same rows); a row
 * pointing nowhere stops the load at the end instead of at its statement.
 * The constraints come back with their names and definitions
 * (pg_get_constraintdef), so the schema is the migrations' again. */
static int pg_fk_drop(db *d, buf *readd)
{
	if (db_kind(d) != DB_PG)
		return 0;
	buf drop = {0};
	db_stmt *s = db_query(d,
			      "SELECT 'ALTER TABLE ' || CAST(CAST(c.conrelid AS regclass) AS TEXT) || ' DROP CONSTRAINT ' || quote_ident(c.conname), "
			      "'ALTER TABLE ' || CAST(CAST(c.conrelid AS regclass) AS TEXT) || ' ADD CONSTRAINT ' || quote_ident(c.conname) || ' ' || "
			      "pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND "
			      "n.nspname = current_schema() ORDER BY 1",
			      "");
	while (db_next(s)) {
		buf_printf(&drop, "%s;\n", db_str(s, 0));
		buf_printf(readd, "%s;\n", db_str(s, 1));
	}
	int rc = db_done(s) == DB_OK && (!drop.len || db_exec(d, buf_str(&drop)) == DB_OK) ? 0 : -1;
	if (rc)
		fprintf(stderr, "dangjian demo: dropping the foreign keys for the load: %s\n", db_errmsg(d));
	buf_free(&drop);
	return rc;
}

static int pg_fk_restore(db *d, buf *readd)
{
	if (!readd->len || db_exec(d, buf_str(readd)) == DB_OK)
		return 0;
	fprintf(stderr, "dangjian demo: adding the foreign keys back: %s\n", db_errmsg(d));
	return -1;
}

int demo_fill_scale(db *d, struct demo_opts *opts, FILE *out)
{
	if (db_int1(d, 0, "SELECT COUNT(*) FROM orgs", "") > 0) {
		fprintf(stderr, "dangjian demo: the database already holds data; use an empty one\n");
		return 1;
	}
	sizes(opts);
	struct gen g;
	memset(&g, 0, sizeof g);
	g.d = d;
	g.o = opts;
	g.rules = opts->via_rules;
	g.now = now_unix();
	today(g.today);
	rng = (uint64_t)opts->seed * 0x2545f4914f6cdd1dULL + 1;
	memset(limit_cache, 0, sizeof limit_cache);
	surname_total = 0;
	for (size_t i = 0; i < N(surnames); i++)
		surname_total += surnames[i].w;
	g.idcap = 1;
	while (g.idcap < (size_t)opts->members * 2 + 64)
		g.idcap <<= 1;
	g.ids = calloc(g.idcap, sizeof *g.ids);
	if (!g.rules && !password_hash(DEMO_PASSWORD, g.hash)) {
		fprintf(stderr, "dangjian demo: cannot hash the password\n");
		return 1;
	}
	time_t t0 = time(NULL);
	bulk_pragmas(d, !g.rules);
	int rc = db_begin(d, true) == DB_OK ? 0 : -1;
	buf fks = {0}; /* PostgreSQL: the foreign keys to add back (bulk path) */
	if (!rc && !g.rules)
		rc = pg_fk_drop(d, &fks);
	struct actor cli;
	actor_cli(&cli);
	struct field_errors e = {0};
	char site[200];
	snprintf(site, sizeof site, "%s党建工作平台", opts->counties > 1 ? "全省" : counties[0].name);
	if (!rc && (settings_set(d, &cli, "site_name", site, &e) != DJ_OK || build_orgs(&g)))
		rc = -1;
	int64_t admin = 0;
	if (!rc && users_create_demo(d, &cli, "admin", "系统管理员", "admin", g.county0, DEMO_PASSWORD, &admin, &e) != DJ_OK) {
		fprintf(stderr, "dangjian demo: admin: %s\n", dj_message(DJ_INVALID, &e));
		rc = -1;
	}
	if (!rc)
		w_init(&g.w, d);
	/* the committee accounts of every town (组织委员), then the branches */
	for (int t = 0; !rc && t < g.ntowns; t++) {
		char un[40], name[160], path[64];
		uname(&g, NULL, t, "zuzhi", un);
		snprintf(name, sizeof name, "中共%s镇委员会", g.towns[t].name);
		db_stmt *s = db_query(d, "SELECT path FROM orgs WHERE id = ?", "I", g.towns[t].org);
		snprintf(path, sizeof path, "%s", db_next(s) ? db_str(s, 0) : "");
		db_done(s);
		struct person p;
		person(&g, &g.br[t * (int)N(town_plan)], true, &p);
		if ((g.towns[t].committee = account(&g, un, p.name, R_COMMITTEE, g.towns[t].org, name, path)) < 0)
			rc = -1;
	}
	int wsum = 0;
	for (size_t b = 0; b < N(town_plan); b++)
		wsum += kind_weight[town_plan[b]];
	for (int b = 0; !rc && b < g.nbr; b++) {
		struct branch *br = &g.br[b];
		int64_t per_town = opts->members / g.ntowns;
		br->size = (int)(per_town * kind_weight[br->kind] / wsum * (85 + (int)rnd(31)) / 100);
		if (br->size < 5 + 8 + 2)
			br->size = 15;
		rc = build_branch(&g, br);
	}
	if (!rc && !g.rules)
		rc = w_flush(&g.w);
	time_t t1 = time(NULL);
	/* the rule versions an order pays by: the migration's, the database being new */
	for (int k = 0; k < 2 && !rc; k++) {
		db_stmt *s = db_query(d, "SELECT id, points, cap_day, cap_year FROM points_rules WHERE code = ? ORDER BY from_at DESC LIMIT 1", "t",
				      k ? "wish_fulfilled" : "order_delivered");
		if (db_next(s))
			g.rule[k].id = db_int(s, 0), g.rule[k].points = db_int(s, 1), g.rule[k].cap_day = db_int(s, 2), g.rule[k].cap_year = db_int(s, 3);
		if (db_done(s) != DB_OK || !g.rule[k].id)
			rc = -1;
	}
	if (!rc)
		rc = build_orders(&g);
	if (!rc)
		rc = w_flush(&g.w);
	if (!rc && db_kind(d) == DB_PG) {
		/* ids were given explicitly: the identity columns go on after them */
		static const char *const tables[] = {"users",        "members",       "member_history", "grids", "households",   "orders",
						     "order_events", "notifications", "outbox",         "audit", "points_ledger"};
		for (size_t i = 0; i < N(tables) && !rc; i++) {
			char q[200];
			snprintf(q, sizeof q, "SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT COALESCE(MAX(id), 1) FROM %s))", tables[i],
				 tables[i]);
			rc = db_int1(d, 0, q, "") > 0 ? 0 : -1;
		}
	}
	/* the meetings, decisions and volunteer service of the last months */
	int64_t rec[4] = {0};
	time_t t2r = time(NULL);
	if (!rc)
		rc = build_records(&g, rec);
	/* the dues of the same months (issue 18) */
	int64_t dues[3] = {0};
	if (!rc)
		rc = build_dues(&g, dues);
	if (!rc && db_kind(d) == DB_PG && !g.rules) {
		static const char *const tables[] = {"audit", "dues_bases", "dues_payments", "dues_months"};
		for (size_t i = 0; i < N(tables) && !rc; i++) {
			char q[200];
			snprintf(q, sizeof q, "SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT COALESCE(MAX(id), 1) FROM %s))", tables[i],
				 tables[i]);
			rc = db_int1(d, 0, q, "") > 0 ? 0 : -1;
		}
	}
	time_t t3r = time(NULL);
	/* the county's organisations entered the system when its records begin
	 * (three years of orders): branch assessment counts a branch's months
	 * from orgs.created_at (未纳入考核 before) */
	if (!rc && db_run(d, "UPDATE orgs SET created_at = ? WHERE created_at > ?", "II", g.now - (int64_t)opts->years * 365 * 86400,
			  g.now - (int64_t)opts->years * 365 * 86400) != DB_OK)
		rc = -1;
	/* the statistics' summary (issue 9 §2): the bulk path writes orders
	 * without order_create/order_transition, so it counts them at the end;
	 * the rules path has kept it step by step (what `dangjian check` and
	 * tests/unit/test_order_summary.c compare with a recount) */
	if (!rc && !g.rules && order_summary_rebuild(d) != DB_OK)
		rc = -1;
	/* the points' totals (issue 11), which points_award keeps entry by entry:
	 * recounted, since the domain functions of the records have kept some */
	/* its GROUP BY sorts the whole ledger: on disk, not in memory (2.9 GB of
	 * RSS on the county with temp_store=MEMORY) */
	if (!rc && !g.rules && db_kind(d) == DB_SQLITE)
		db_exec(d, "PRAGMA temp_store=FILE;");
	if (!rc && !g.rules && db_run(d, "DELETE FROM points_totals", "") != DB_OK)
		rc = -1;
	if (!rc && !g.rules &&
	    db_run(d,
		   "INSERT INTO points_totals (member_id, year, month, points, entries) "
		   "SELECT member_id, year, 0, SUM(points), COUNT(*) FROM points_ledger GROUP BY member_id, year "
		   "UNION ALL SELECT member_id, year, month, SUM(points), COUNT(*) FROM points_ledger GROUP BY member_id, year, month",
		   "") != DB_OK)
		rc = -1;
	if (!rc) {
		/* what the bulk path writes directly for the orders, and what the
		 * domain functions of the records left: messages sent, older
		 * notifications read (the same values the batched rows carry) */
		if (db_run(d, "UPDATE outbox SET status = 'sent', attempts = 1, sent_at = at + 60 WHERE at < ? AND status = 'pending'", "I",
			   g.now - 300) != DB_OK ||
		    db_run(d, "UPDATE notifications SET read_at = at + 3600 * (1 + id % 24) WHERE at < ? AND read_at IS NULL", "I", g.now - 30 * 86400) !=
			    DB_OK)
			rc = -1;
	}
	if (!rc)
		rc = pg_fk_restore(d, &fks);
	buf_free(&fks);
	if (rc || db_commit(d) != DB_OK) {
		db_rollback(d);
		bulk_pragmas(d, false);
		fprintf(stderr, "dangjian demo: stopped; the database may hold part of the %s: remove it and start again\n",
			opts->counties > 1 ? "province" : "county");
		rc = 1;
	} else {
		bulk_pragmas(d, false);
		if (db_kind(d) == DB_SQLITE) /* then the mapped reads again, once ANALYZE has read every page */
			db_exec(d, "PRAGMA wal_checkpoint(TRUNCATE); ANALYZE; PRAGMA mmap_size=2147418112;");
		else
			db_exec(d, "ANALYZE");
	}
	time_t t2 = time(NULL);
	if (!rc) {
		fprintf(out, "Demo %s created (seed %lld) in %lld s (people %lld s, orders %lld s, records and dues %lld s):\n",
			opts->counties > 1 ? "province" : "county", (long long)opts->seed, (long long)(t2 - t0), (long long)(t1 - t0),
			(long long)(t2r - t1), (long long)(t3r - t2r));
		fprintf(out, "  %d counties, %d towns, %d branches; %lld members (%lld probationary), %d accounts, %lld households;\n", opts->counties,
			g.ntowns, g.nbr, (long long)g.counts[0], (long long)g.counts[1], g.nacc + 1, (long long)g.counts[2]);
		fprintf(out, "  %lld orders over %d years with %lld history rows and %lld notifications.\n", (long long)g.counts[3], opts->years,
			(long long)g.counts[4], (long long)g.counts[5]);
		fprintf(out, "  The last %d months: %lld meetings held, %lld decisions, %lld volunteer activities with %lld attendances.\n",
			opts->record_months, (long long)rec[0], (long long)rec[1], (long long)rec[2], (long long)rec[3]);
		fprintf(out, "  Dues: %lld members with a base, %lld member-months, %lld payments.\n", (long long)dues[0], (long long)dues[1],
			(long long)dues[2]);
		fprintf(out, "Log in with password %s as admin, or e.g.:\n", DEMO_PASSWORD);
		if (g.nacc) {
			fprintf(out, "  %-14s %s (镇党委组织委员)\n", g.acc[g.towns[0].committee].username, g.acc[g.towns[0].committee].label);
			fprintf(out, "  %-14s %s (支部书记)\n", g.acc[g.br[1].sec].username, g.acc[g.br[1].sec].label);
			if (g.br[1].mem >= 0)
				fprintf(out, "  %-14s %s (党员)\n", g.acc[g.br[1].mem].username, g.acc[g.br[1].mem].label);
			if (g.br[1].ngrids)
				fprintf(out, "  %-14s %s (网格员)\n", g.acc[g.br[1].gridw[0]].username, g.acc[g.br[1].gridw[0]].label);
			fprintf(out,
				"Usernames: t01zuzhi (town 01's committee), t01b02 (its branch 02's secretary), t01b02dy (a member),\n"
				"t01b02wg1 (the worker of grid 1)%s.\n",
				opts->counties > 1 ? "; in a province prefixed by the county, x01t01b02" : "");
		}
	}
	if (g.w.sql[0])
		w_free(&g.w);
	free(g.acc);
	free(g.br);
	free(g.towns);
	free(g.ids);
	free(g.earned);
	return rc;
}
