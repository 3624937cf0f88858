/* demo_members — the roster of the demo town 陈集镇 (issue 3, SPEC M1):
 * about 600 members in 13 branches and their 党小组, with plausible names,
 * ages, joining dates, education and duties; some probationary (in every
 * branch one whose year is over, two in 陈集村, so 转正 is waiting, and a few
 * who joined within the year), some retired or 流动, and
 * in-service members of the 机关, schools and the factory registered with the
 * two communities (双报到).
 *
 * Deterministic: one fixed-seed generator, and every random number is drawn
 * whatever today's date is, so every demo town has the same people and the
 * same counts (only the dates move with the calendar, keeping ages). Every
 * member goes through member_validate first: the generator and the validator
 * must agree, or the demo stops. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "demo.h"
#include "members.h"
#include "users.h"
#include "util.h"
#include "valid.h"

static uint64_t rng;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

#define N(a) (sizeof(a) / sizeof *(a))

static const char *const surnames[] = {
	"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑",
	"梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余",
	"杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石",
	"廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯", "龙",
	"史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴", "莫", "孔", "向", "汤",
};
/* 东阿县 is in 聊城, Shandong: a few surnames are far more common there */
static const char *const local_surnames[] = {"陈", "王", "李", "张", "刘", "赵", "孙", "杨", "马", "高"};

/* Given names by generation: aged 60 and over, 40–59, under 40. */
static const char *const male_given[3][30] = {
	{"建国", "国庆", "卫东", "红旗", "保国", "长河", "春生", "德明", "振华", "玉林", "永刚", "立新", "新民", "国栋", "文华",
	 "福生", "兴旺", "庆丰", "树林", "金山", "洪亮", "德胜", "广田", "志刚", "建军", "学军", "爱国", "守义", "宝山", "茂林"},
	{"志强", "建华", "海波", "文斌", "伟",   "强",   "军",   "勇",   "磊",   "涛",   "刚",   "斌",   "峰",   "辉",   "健",
	 "鹏",   "波",   "东",   "亮",   "永强", "海涛", "立军", "红军", "建伟", "晓东", "俊峰", "国华", "云飞", "庆华", "学文"},
	{"浩",   "宇",   "博",   "洋",   "超",   "杰",   "子豪", "俊杰", "家兴", "浩然", "宇轩", "梓豪", "皓", "晨",   "鑫",
	 "天宇", "文博", "思远", "一鸣", "明轩", "泽宇", "晓峰", "振宇", "嘉豪", "凯",   "帅",   "旭",   "航", "昊天", "子健"},
};
static const char *const female_given[3][30] = {
	{"秀英", "桂兰", "玉兰", "淑珍", "凤英", "桂英", "秀兰", "玉梅", "翠英", "金凤", "素梅", "春兰", "桂芝", "玉珍", "秀珍",
	 "淑华", "凤兰", "秀云", "兰英", "玉芳", "素珍", "桂荣", "玉华", "凤琴", "秀芝", "淑英", "玉英", "桂香", "秀荣", "冬梅"},
	{"红梅", "丽",   "敏",   "静",   "燕",   "芳",   "娟",   "霞",   "艳",   "红",   "春梅", "海燕", "丽娟", "晓燕", "美玲",
	 "雅琴", "丽华", "秀梅", "慧敏", "雪梅", "艳玲", "玉洁", "晓红", "亚楠", "丽萍", "红霞", "金凤", "素芳", "文静", "海霞"},
	{"婷",   "雪",   "慧",   "丹", "玲", "佳怡", "欣怡", "梦瑶", "思雨", "雨萱", "诗涵", "梓涵", "欣悦", "一诺", "雨桐",
	 "紫萱", "晓雯", "佳琪", "璐", "倩", "颖",   "悦",   "萌",   "晨曦", "心怡", "梦琪", "静怡", "可馨", "安琪", "若曦"},
};
static const char *const phone_prefixes[] = {"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156",
					     "157", "158", "159", "166", "177", "178", "180", "181", "183", "186", "187", "188", "189", "199"};

enum kind { VILLAGE, COMMUNITY, SCHOOL, ENTERPRISE, OFFICE, SOCIAL };

struct branch_plan {
	const char *code;
	enum kind kind;
	int size;
	const char *place;     /* for addresses */
	const char *clan;      /* the village's own surname (后赵村: 赵), NULL when none */
	const char *groups[3]; /* its 党小组, where most members sit */
	int committee;         /* 委员 besides the 书记: 2–4 */
	int centres;           /* 党员中心户 */
	int grid;              /* 网格员 */
	int lecturers;         /* 讲师 (本土讲师) */
	int due;               /* probationary members whose year is over: 转正 is waiting */
};

static const struct branch_plan plans[] = {
	{"CJZ-CJC", VILLAGE, 82, "陈集村", "陈", {"CJZ-CJC-1", "CJZ-CJC-2", "CJZ-CJC-3"}, 4, 6, 3, 2, 2},
	{"CJZ-XJC", VILLAGE, 62, "西街村", NULL, {"CJZ-XJC-1", "CJZ-XJC-2", NULL}, 3, 5, 2, 1, 1},
	{"CJZ-HZC", VILLAGE, 55, "后赵村", "赵", {"CJZ-HZC-1", "CJZ-HZC-2", NULL}, 3, 5, 2, 1, 1},
	{"CJZ-WZC", VILLAGE, 48, "王庄村", "王", {"CJZ-WZC-1", "CJZ-WZC-2", NULL}, 2, 4, 2, 1, 1},
	{"CJZ-LQC", VILLAGE, 44, "李桥村", "李", {"CJZ-LQC-1", "CJZ-LQC-2", NULL}, 2, 4, 2, 1, 1},
	{"CJZ-DSQ", COMMUNITY, 58, "东升社区", NULL, {"CJZ-DSQ-1", "CJZ-DSQ-2", NULL}, 3, 3, 2, 1, 1},
	{"CJZ-XYSQ", COMMUNITY, 48, "幸福社区", NULL, {"CJZ-XYSQ-1", "CJZ-XYSQ-2", NULL}, 3, 3, 2, 1, 1},
	{"CJZ-ZX", SCHOOL, 36, "陈集镇中学", NULL, {NULL}, 3, 0, 0, 2, 1},
	{"CJZ-XX", SCHOOL, 26, "陈集镇中心小学", NULL, {NULL}, 2, 0, 0, 1, 1},
	{"CJZ-EJ", ENTERPRISE, 44, "东阿阿胶陈集分厂", NULL, {NULL}, 3, 0, 0, 1, 1},
	{"CJZ-HZS", SOCIAL, 24, "陈集镇农业合作社", NULL, {NULL}, 2, 0, 0, 1, 1},
	{"CJZ-JG-1", OFFICE, 36, "陈集镇政府", NULL, {NULL}, 3, 0, 0, 1, 1},
	{"CJZ-JG-2", OFFICE, 30, "陈集镇政府", NULL, {NULL}, 2, 0, 0, 1, 1},
};

/* The people the demo logins stand for: they are in the roster too, at a
 * fixed place in their branch. The other demo users are not branch members. */
static const struct linked_person {
	const char *username, *name, *branch, *duty;
	int index;
	bool male;
	int age;
} linked[] = {
	{"chenji", "张建国", "CJZ-CJC", "书记", 0, true, 54},
	{"wangge", "赵丽", "CJZ-CJC", "网格员", 12, false, 36},
	{"dangyuan", "李志强", "CJZ-CJC", "", 20, true, 41},
	{"xijie", "王秀英", "CJZ-XJC", "书记", 0, false, 51},
};
/* Names no generated member may take: the demo users'. */
static const char *const reserved_names[] = {"张建国", "赵丽", "李志强", "王秀英", "刘红梅", "孙立明"};

static const struct linked_person *linked_at(const char *branch, int index)
{
	for (size_t k = 0; k < N(linked); k++)
		if (!strcmp(linked[k].branch, branch) && linked[k].index == index)
			return &linked[k];
	return NULL;
}

/* Names given so far: a town roster with five 张超 looks made up. */
static struct {
	char (*v)[32];
	size_t n, cap;
} used;

static bool name_used(const char *name)
{
	for (size_t i = 0; i < N(reserved_names); i++)
		if (!strcmp(reserved_names[i], name))
			return true;
	for (size_t i = 0; i < used.n; i++)
		if (!strcmp(used.v[i], name))
			return true;
	return false;
}

static void name_keep(const char *name)
{
	if (used.n == used.cap) {
		used.cap = used.cap ? used.cap * 2 : 1024;
		used.v = realloc(used.v, used.cap * sizeof *used.v);
		if (!used.v)
			abort();
	}
	size_t l = strlen(name) < sizeof *used.v ? strlen(name) : sizeof *used.v - 1;
	memcpy(used.v[used.n], name, l);
	used.v[used.n++][l] = 0;
}

/* A name of the right sex and generation, not given before (up to 40 tries).
 * The generation goes by age, not birth year, so the town stays the same
 * whatever year the demo is made in. */
static void pick_name(char *out, size_t n, const struct branch_plan *p, bool male, int age)
{
	int gen = age >= 60 ? 0 : age >= 40 ? 1 : 2;
	for (int tries = 0; tries < 40; tries++) {
		unsigned r = rnd(100), s1 = rnd(N(local_surnames)), s2 = rnd(N(surnames)), g = rnd(30);
		const char *s = p->clan && r < 30 ? p->clan : r < 70 ? local_surnames[s1] : surnames[s2];
		snprintf(out, n, "%s%s", s, male ? male_given[gen][g] : female_given[gen][g]);
		if (!name_used(out))
			break;
	}
	name_keep(out);
}

/* Men per hundred: most rural members are men, most teachers women. */
static unsigned male_share(enum kind k)
{
	static const unsigned share[] = {[VILLAGE] = 78, [COMMUNITY] = 62, [SCHOOL] = 42, [ENTERPRISE] = 58, [OFFICE] = 64, [SOCIAL] = 80};
	return share[k];
}

/* Ages: many older members in the villages and communities; working age in
 * the 机关, schools and the factory, whose retired staff (离退休) stay in
 * their branch. Draws the same random numbers whatever the kind. */
static int age_for(enum kind k, bool *retired_staff)
{
	unsigned a = rnd(38), b = rnd(31), c = rnd(100);
	*retired_staff = false;
	switch (k) {
	case VILLAGE: return 22 + (int)a + (int)b;                    /* 22–89, half over 55 */
	case COMMUNITY: return 23 + (int)a + (int)(b * 9 / 10);       /* 23–87 */
	case SOCIAL: return 26 + (int)(a * 2 / 3) + (int)(b * 2 / 3); /* 26–70 */
	default:
		if (c < (k == OFFICE ? 25u : k == SCHOOL ? 22u : 10u)) {
			*retired_staff = true;
			return 60 + (int)(a % 16) + (int)(b % 11); /* 60–85 */
		}
		return 22 + (int)(a / 2) + (int)(b * 2 / 3); /* 22–59, most 30–50 */
	}
}

static const char *education_for(int age, enum kind k, bool retired_staff)
{
	unsigned r = rnd(100);
	if (retired_staff)
		return r < 20 ? "大学本科" : r < 55 ? "大学专科" : r < 80 ? "中专" : "高中";
	if (k == SCHOOL || k == OFFICE)
		return r < 65 ? "大学本科" : r < 82 ? "硕士研究生" : "大学专科";
	if (k == ENTERPRISE)
		return age < 40 ? (r < 40 ? "大学本科" : r < 75 ? "大学专科" : "中专") : (r < 30 ? "大学专科" : r < 60 ? "中专" : "高中");
	if (age >= 70)
		return r < 55 ? "小学及以下" : r < 90 ? "初中" : "高中";
	if (age >= 50)
		return r < 55 ? "初中" : r < 85 ? "高中" : "中专";
	if (age >= 35)
		return r < 35 ? "初中" : r < 65 ? "高中" : r < 85 ? "中专" : "大学专科";
	return r < 25 ? "高中" : r < 45 ? "中专" : r < 75 ? "大学专科" : "大学本科";
}

/* from + years + extra_days, counting months of 28 days so every date is real. */
static void date_add_years(const char *from, int years, int extra_days, char out[11])
{
	int y = atoi(from) + years, m = atoi(from + 5), dd = atoi(from + 8) + extra_days;
	while (dd > 28) {
		dd -= 28;
		if (++m > 12)
			m = 1, y++;
	}
	char tmp[40];
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y % 10000, m, dd < 1 ? 1 : dd);
	snprintf(out, 11, "%.10s", tmp);
}

/* Today minus days, as a date in Asia/Shanghai. */
static void days_ago(int days, char out[11])
{
	time_t tt = (time_t)(now_unix() - (int64_t)days * 86400 + 8 * 3600);
	struct tm tm;
	gmtime_r(&tt, &tm);
	char tmp[40];
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", (tm.tm_year + 1900) % 10000, tm.tm_mon + 1, tm.tm_mday);
	snprintf(out, 11, "%.10s", tmp);
}

struct counts {
	int total, probationary, retired, mobile, in_service, secretaries, committee, leaders, grid, centres, lecturers, hui;
};

static bool is_staff(enum kind k) { return k == SCHOOL || k == OFFICE || k == ENTERPRISE; }

/* The person: name, sex, birth, ID number, contact, dates, status. Everything
 * random is drawn here, in the same order for everyone. */
static int make_member(struct member *m, const struct branch_plan *p, const struct linked_person *who, bool working, int seq)
{
	memset(m, 0, sizeof *m);
	bool male = rnd(100) < male_share(p->kind), retired_staff;
	int age = age_for(p->kind, &retired_staff);
	if (working && (retired_staff || age > 62)) { /* the branch committee: working age */
		age = 32 + age % 28;
		retired_staff = false;
	}
	if (who) {
		male = who->male;
		age = who->age;
		retired_staff = false;
	}
	char now[11], birth[40];
	today(now);
	int by = atoi(now) - age - 1, bm = 1 + (int)rnd(12), bd = 1 + (int)rnd(28);
	snprintf(birth, sizeof birth, "%04d-%02d-%02d", by % 10000, bm, bd);
	snprintf(m->birth_date, sizeof m->birth_date, "%.10s", birth);
	char name[96];
	pick_name(name, sizeof name, p, male, age);
	snprintf(m->name, sizeof m->name, "%s", who ? who->name : name);
	snprintf(m->gender, sizeof m->gender, "%s", male ? "男" : "女");
	/* 371524 is 东阿县; the order code runs on with the sequence, so no two
	 * members share a number; its last digit is odd for men, even for women */
	char first17[64];
	snprintf(first17, sizeof first17, "371524%04d%02d%02d%02d%d", by % 10000, bm, bd, (seq / 5) % 100, male ? 1 + 2 * (seq % 5) : 2 * (seq % 5));
	snprintf(m->id_number, sizeof m->id_number, "%.17s%c", first17, idcard_check_char(first17));
	if (rnd(100) < 2)
		snprintf(m->ethnicity, sizeof m->ethnicity, "回族");
	snprintf(m->education, sizeof m->education, "%s", education_for(age, p->kind, retired_staff));
	unsigned pp = rnd(N(phone_prefixes)), pn = rnd(100000000), nophone = rnd(100);
	if (!(age >= 78 && nophone < 40)) /* some of the oldest have no mobile of their own */
		snprintf(m->phone, sizeof m->phone, "%s%08u", phone_prefixes[pp], pn);
	unsigned h1 = 1 + rnd(300), h2 = 1 + rnd(18), h3 = 1 + rnd(3), h4 = 1 + rnd(6), h5 = 1 + rnd(2);
	if (p->kind == VILLAGE)
		snprintf(m->address, sizeof m->address, "东阿县陈集镇%s%u号", p->place, h1);
	else if (p->kind == COMMUNITY)
		snprintf(m->address, sizeof m->address, "东阿县陈集镇%s%u号楼%u单元%u0%u室", p->place, h2, h3, h4, h5);
	else
		snprintf(m->address, sizeof m->address, "东阿县陈集镇驻地%u号", h1);
	/* groups hold most village and community members */
	int ngroups = 0;
	while (ngroups < 3 && p->groups[ngroups])
		ngroups++;
	unsigned g1 = rnd(10), g2 = rnd(3);
	snprintf(m->org_code, sizeof m->org_code, "%s", ngroups && g1 < 8 ? p->groups[g2 % (unsigned)ngroups] : p->code);
	/* joined at 18–45, mostly in their twenties; 转正 a year and a few days later */
	int span = age - 20 < 27 ? (age - 20 > 1 ? age - 20 : 1) : 27;
	int join_age = 18 + (int)rnd((unsigned)span / 2 + 1) + (int)rnd((unsigned)span / 2 + 1);
	unsigned jd = rnd(300), fd = rnd(20), recent = 400 + rnd(300);
	date_add_years(birth, join_age, (int)jd, m->join_date);
	date_add_years(m->join_date, 1, (int)fd, m->full_date);
	if (strcmp(m->full_date, now) > 0) { /* too recent to be a full member yet: joined two years or so ago */
		days_ago((int)recent, m->join_date);
		date_add_years(m->join_date, 1, (int)fd, m->full_date);
	}
	snprintf(m->category, sizeof m->category, "full");
	unsigned st = rnd(100);
	const char *status = "active";
	if (retired_staff)
		status = "retired";
	else if (p->kind == COMMUNITY && age >= 60 && st < 75)
		status = "retired"; /* retired workers and teachers living in the community */
	else if (p->kind == VILLAGE && age >= 60 && st < 25)
		status = "retired";
	else if (p->kind == VILLAGE && age < 45 && st < 20)
		status = "mobile"; /* 外出务工的流动党员 */
	if (working)
		status = "active";
	snprintf(m->status, sizeof m->status, "%s", status);
	return age;
}

static int add(db *d, struct member *m, int64_t *id_out)
{
	struct field_errors e = {0};
	member_validate(d, m, 0, &e);
	if (e.n) {
		fprintf(stderr, "dangjian demo: BUG: generated member %s (%s, %s) is invalid: %s: %s\n", m->name, m->id_number, m->org_code, e.e[0].field,
			e.e[0].msg);
		return -1;
	}
	struct actor sys; /* the demo data is written by the system: no account in its history */
	actor_system(&sys);
	int64_t id = member_write(d, &sys, m, "演示数据");
	if (!id) {
		fprintf(stderr, "dangjian demo: member %s: %s\n", m->name, db_errmsg(d));
		return -1;
	}
	*id_out = id;
	return 0;
}

static void duty_add(struct member *m, const char *duty)
{
	size_t l = strlen(m->duties);
	snprintf(m->duties + l, sizeof m->duties - l, "%s%s", l ? "、" : "", duty);
}

static int branch_members(db *d, const struct branch_plan *p, int *seq, struct counts *c)
{
	static const char *const committee_duties[] = {"组织委员", "宣传委员", "纪检委员", "委员"};
	int centres = p->centres, grid = p->grid, lecturers = p->lecturers, due = p->due;
	bool led[3] = {false, false, false}; /* has the group its 党小组长 */
	for (int i = 0; i < p->size; i++) {
		const struct linked_person *who = linked_at(p->code, i);
		bool committee = i <= p->committee;
		struct member m;
		int age = make_member(&m, p, who, committee || who, (*seq)++);
		unsigned r_prob = rnd(100), r_days = rnd(320), r_due = rnd(40), r_ins = rnd(100), r_svc = rnd(2), r_duty = rnd(100);
		unsigned h2 = 1 + rnd(18), h3 = 1 + rnd(3), h4 = 1 + rnd(6);
		/* probationary: those whose year is over, and a few who joined within the year */
		bool young = age >= 22 && age < 40 && !who && !committee && !strcmp(m.status, "active");
		if (young && (due > 0 || r_prob < 22)) {
			days_ago(due > 0 ? 370 + (int)r_due : 30 + (int)r_days, m.join_date);
			due -= due > 0;
			m.full_date[0] = 0;
			snprintf(m.category, sizeof m.category, "probationary");
			c->probationary++;
		}
		if (i == 0) {
			duty_add(&m, "书记");
			snprintf(m.org_code, sizeof m.org_code, "%s", p->code);
			c->secretaries++;
		} else if (committee) {
			duty_add(&m, committee_duties[i - 1]);
			c->committee++;
		} else if (who && *who->duty) {
			duty_add(&m, who->duty);
			if (!strcmp(who->duty, "网格员"))
				grid--, c->grid++;
		} else if (!who && !strcmp(m.status, "active")) {
			if (centres > 0 && age >= 40 && r_duty < 60)
				duty_add(&m, "党员中心户"), centres--, c->centres++;
			else if (grid > 0 && age < 58 && r_duty >= 60)
				duty_add(&m, "网格员"), grid--, c->grid++;
			else if (lecturers > 0 && age >= 28 && age < 66 && r_duty < 25)
				duty_add(&m, "讲师"), lecturers--, c->lecturers++;
		}
		/* the 书记 of 陈集村 is a 本土讲师 too */
		if (i == 0 && !strcmp(p->code, "CJZ-CJC"))
			duty_add(&m, "讲师"), c->lecturers++;
		/* each group's leader: its first working member, not one of the logins' people */
		for (int g = 0; g < 3 && p->groups[g]; g++)
			if (!led[g] && !who && !strcmp(m.org_code, p->groups[g]) && !strcmp(m.status, "active") && !strcmp(m.category, "full") &&
			    age < 66) {
				duty_add(&m, "党小组长");
				led[g] = true;
				c->leaders++;
			}
		/* in-service members of the 机关, schools and the factory register with the community they live in */
		if (is_staff(p->kind) && !strcmp(m.status, "active") && r_ins < 47) {
			m.in_service = true;
			snprintf(m.service_org, sizeof m.service_org, "%s", r_svc ? "CJZ-DSQ" : "CJZ-XYSQ");
			snprintf(m.address, sizeof m.address, "东阿县陈集镇%s%u号楼%u单元%u01室", r_svc ? "东升社区" : "幸福社区", h2, h3, h4);
			c->in_service++;
		}
		int64_t id;
		if (add(d, &m, &id))
			return -1;
		c->total++;
		c->retired += !strcmp(m.status, "retired");
		c->mobile += !strcmp(m.status, "mobile");
		c->hui += !strcmp(m.ethnicity, "回族");
		if (who &&
		    db_run(d, "UPDATE members SET user_id = (SELECT id FROM users WHERE username = ?) WHERE id = ?", "tI", who->username, id) != DB_OK)
			return -1;
		if (i == 0 && db_run(d, "UPDATE orgs SET secretary = ? WHERE code = ?", "tt", m.name, p->code) != DB_OK)
			return -1;
	}
	for (int g = 0; g < 3 && p->groups[g]; g++)
		if (!led[g]) {
			fprintf(stderr, "dangjian demo: BUG: %s has no 党小组长\n", p->groups[g]);
			return -1;
		}
	return 0;
}

int demo_members(db *d, FILE *out)
{
	rng = 0x2022c0ffee; /* the same town every time */
	used.n = 0;
	int seq = 0, rc = 0;
	struct counts c = {0};
	for (size_t b = 0; b < N(plans) && rc == 0; b++)
		rc = branch_members(d, &plans[b], &seq, &c);
	free(used.v);
	used.v = NULL;
	used.n = used.cap = 0;
	if (rc)
		return -1;
	fprintf(out,
		"Roster: %d members in %zu branches: %d probationary, %d retired, %d 流动, %d in-service registered with "
		"communities, %d 回族; %d 书记, %d 委员, %d 党小组长, %d 网格员, %d 党员中心户, %d 讲师.\n",
		c.total, N(plans), c.probationary, c.retired, c.mobile, c.in_service, c.hui, c.secretaries, c.committee, c.leaders, c.grid, c.centres,
		c.lecturers);
	return 0;
}

int demo_member_accounts(db *d, FILE *out)
{
	struct actor cli;
	actor_cli(&cli);
	struct pick {
		int64_t id, org_id;
		char name[96], phone[24];
		bool grid;
	} p[3];
	int n = 0;
	db_stmt *s = db_query(
		d,
		"SELECT m.id, m.org_id, m.name, m.phone, (SELECT COUNT(*) FROM member_duties x WHERE x.member_id = m.id AND x.duty = '网格员') "
		"FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.code = 'CJZ-XJC' AND m.user_id IS NULL AND m.status = 'active' "
		"AND m.phone <> '' ORDER BY m.id LIMIT 3",
		"");
	while (n < 3 && db_next(s)) {
		p[n].id = db_int(s, 0);
		p[n].org_id = db_int(s, 1);
		snprintf(p[n].name, sizeof p[n].name, "%s", db_str(s, 2));
		snprintf(p[n].phone, sizeof p[n].phone, "%s", db_str(s, 3));
		p[n].grid = db_int(s, 4) > 0;
		n++;
	}
	if (db_done(s) != DB_OK)
		return -1;
	fprintf(out, "Members of 西街村 with accounts log in by mobile number (password %s):", DEMO_PASSWORD);
	for (int i = 0; i < n; i++) {
		struct field_errors e = {0};
		int64_t uid;
		if (users_create_demo(d, &cli, p[i].phone, p[i].name, p[i].grid ? "grid" : "member", p[i].org_id, DEMO_PASSWORD, &uid, &e) != DJ_OK ||
		    member_link_account(d, p[i].id, uid, &e) != DJ_OK) {
			fprintf(stderr, "dangjian demo: account of %s: %s\n", p[i].name, e.n ? e.e[0].msg : db_errmsg(d));
			return -1;
		}
		fprintf(out, " %s %s", p[i].phone, p[i].name);
	}
	fprintf(out, ".\nOthers get theirs from their branch secretary (花名册 → 党员 → 开通账号) and activate it at /activate.\n");
	return 0;
}
