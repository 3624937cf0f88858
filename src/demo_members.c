/* demo_members — about 600 members for the demo town (issue 3): plausible
 * names, ages, joining dates, duties, some probationary, retired or mobile,
 * and in-service members registered with the two communities (双报到).
 * Deterministic (a fixed-seed generator), so every demo town is the same.
 * Every member goes through member_validate: the generator and the
 * validator must agree, or the demo stops. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "demo.h"
#include "members.h"
#include "util.h"
#include "valid.h"

static uint64_t rng = 0x2022c0ffee;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const char *const surnames[] = {
	"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁",
	"谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶",
	"程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "范", "金", "石", "贾", "夏", "付", "方",
	"白", "孟", "秦", "江", "薛", "闫", "段", "侯", "史", "郝", "邵", "武", "孔",
};
/* the demo town is in 东阿县: some surnames are far more common there */
static const char *const local_surnames[] = {"陈", "王", "李", "张", "刘", "赵", "孙", "杨"};
static const char *const male_given[] = {
	"建国", "志强", "国庆", "建华", "卫东", "德明", "振华", "永刚", "立新", "明", "伟", "强", "军", "磊", "洋", "勇", "杰", "涛",
	"超", "鹏", "浩", "宇", "博", "海波", "春生", "长河", "玉林", "文斌", "保国", "红旗", "家兴", "子豪", "俊杰", "国栋", "新民",
};
static const char *const female_given[] = {
	"秀英", "桂兰", "玉兰", "淑珍", "红梅", "丽", "敏", "静", "燕", "芳", "娜", "婷", "雪", "慧", "丹", "玲", "晓燕", "春梅",
	"海燕", "凤英", "美玲", "雅琴", "佳怡", "欣怡", "梦瑶", "思雨", "文静", "亚楠", "丽娟", "金凤",
};
static const char *const phone_prefixes[] = {"133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "157",
					     "158", "159", "177", "180", "181", "186", "187", "188", "189"};

struct branch_plan {
	const char *code, *kind; /* kind: village community school enterprise office social */
	int size;
	const char *place;       /* for addresses */
	const char *groups[3];   /* its 党小组, where most members sit */
};

static const struct branch_plan plans[] = {
	{"CJZ-CJC", "village", 82, "陈集村", {"CJZ-CJC-1", "CJZ-CJC-2", "CJZ-CJC-3"}},
	{"CJZ-XJC", "village", 62, "西街村", {"CJZ-XJC-1", "CJZ-XJC-2", NULL}},
	{"CJZ-HZC", "village", 55, "后赵村", {"CJZ-HZC-1", "CJZ-HZC-2", NULL}},
	{"CJZ-WZC", "village", 48, "王庄村", {"CJZ-WZC-1", "CJZ-WZC-2", NULL}},
	{"CJZ-LQC", "village", 44, "李桥村", {"CJZ-LQC-1", "CJZ-LQC-2", NULL}},
	{"CJZ-DSQ", "community", 58, "东升社区", {"CJZ-DSQ-1", "CJZ-DSQ-2", NULL}},
	{"CJZ-XYSQ", "community", 48, "幸福社区", {"CJZ-XYSQ-1", "CJZ-XYSQ-2", NULL}},
	{"CJZ-ZX", "school", 36, "陈集镇中学", {NULL}},
	{"CJZ-XX", "school", 26, "陈集镇中心小学", {NULL}},
	{"CJZ-EJ", "enterprise", 44, "东阿阿胶陈集分厂", {NULL}},
	{"CJZ-HZS", "social", 24, "陈集镇农业合作社", {NULL}},
	{"CJZ-JG-1", "office", 36, "陈集镇政府", {NULL}},
	{"CJZ-JG-2", "office", 30, "陈集镇政府", {NULL}},
};

/* People the demo logins stand for: they exist in the roster too. */
static const struct {
	const char *username, *name, *branch, *duty;
	bool male;
	int age;
} linked[] = {
	{"chenji", "张建国", "CJZ-CJC", "书记", true, 54},
	{"dangyuan", "李志强", "CJZ-CJC", "", true, 41},
	{"wangge", "赵丽", "CJZ-CJC", "网格员", false, 36},
	{"xijie", "王秀英", "CJZ-XJC", "书记", false, 51},
};

static void pick_name(char *out, size_t n, bool male)
{
	const char *s = rnd(3) ? local_surnames[rnd(8)] : surnames[rnd(sizeof surnames / sizeof *surnames)];
	const char *g = male ? male_given[rnd(sizeof male_given / sizeof *male_given)]
			     : female_given[rnd(sizeof female_given / sizeof *female_given)];
	snprintf(out, n, "%s%s", s, g);
}

static int age_for(const char *kind)
{
	if (!strcmp(kind, "village"))
		return 26 + (int)rnd(40) + (int)rnd(25); /* older members: 26–89, many over 55 */
	if (!strcmp(kind, "community"))
		return 25 + (int)rnd(35) + (int)rnd(25);
	if (!strcmp(kind, "social"))
		return 28 + (int)rnd(35);
	return 24 + (int)rnd(36); /* school, enterprise, office: 24–59 */
}

static const char *education_for(int age, const char *kind)
{
	if (!strcmp(kind, "school") || !strcmp(kind, "office"))
		return rnd(4) ? "大学本科" : (rnd(2) ? "硕士研究生" : "大学专科");
	if (age >= 70)
		return rnd(2) ? "小学及以下" : "初中";
	if (age >= 50)
		return rnd(3) ? "初中" : "高中";
	static const char *const young[] = {"高中", "中专", "大学专科", "大学本科"};
	return young[rnd(4)];
}

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

/* Today minus days, as a date. */
static void days_ago(int days, char out[11])
{
	int64_t t = now_unix() - (int64_t)days * 86400 + 8 * 3600;
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static int seq;

/* Fills a member of a branch: the org, the person, the dates. */
static void make_member(struct member *m, const struct branch_plan *p, const char *name, bool male, int age)
{
	memset(m, 0, sizeof *m);
	char now[11], birth[64];
	today(now);
	int by = atoi(now) - age - 1, bm = 1 + (int)rnd(12), bd = 1 + (int)rnd(28);
	snprintf(birth, sizeof birth, "%04d-%02d-%02d", by % 10000, bm, bd);
	/* 371524 is 东阿县; the sequence runs on so no two members share a number */
	int n = seq++;
	char first17[64];
	snprintf(first17, sizeof first17, "371524%04d%02d%02d%02d%d", by % 10000, bm, bd, (n / 5) % 100,
		 male ? 1 + 2 * (n % 5) : 2 * (n % 5));
	snprintf(m->id_number, sizeof m->id_number, "%.17s%c", first17, idcard_check_char(first17));
	snprintf(m->name, sizeof m->name, "%s", name);
	snprintf(m->gender, sizeof m->gender, "%s", male ? "男" : "女");
	snprintf(m->birth_date, sizeof m->birth_date, "%.10s", birth);
	snprintf(m->education, sizeof m->education, "%s", education_for(age, p->kind));
	snprintf(m->phone, sizeof m->phone, "%s%08u", phone_prefixes[rnd(20)], rnd(100000000));
	if (!strcmp(p->kind, "village") || !strcmp(p->kind, "community"))
		snprintf(m->address, sizeof m->address, "东阿县陈集镇%s%u号", p->place, 1 + rnd(300));
	/* groups hold most village and community members */
	const char *org = p->code;
	int ngroups = 0;
	while (ngroups < 3 && p->groups[ngroups])
		ngroups++;
	if (ngroups && rnd(10) < 8)
		org = p->groups[rnd((unsigned)ngroups)];
	snprintf(m->org_code, sizeof m->org_code, "%s", org);
	/* joined between 18 and 40 years of age, never in the future */
	int join_age = 18 + (int)rnd((unsigned)(age - 18 < 22 ? age - 17 : 22));
	date_add_years(birth, join_age, (int)rnd(300), m->join_date);
	if (strcmp(m->join_date, now) >= 0 || age - join_age < 2)
		days_ago(400 + (int)rnd(300), m->join_date);
	date_add_years(m->join_date, 1, (int)rnd(20), m->full_date);
	snprintf(m->category, sizeof m->category, "full");
	snprintf(m->status, sizeof m->status, "active");
	if (age >= 60 && (strcmp(p->kind, "village") || rnd(4) == 0))
		snprintf(m->status, sizeof m->status, "retired");
	else if (!strcmp(p->kind, "village") && age < 40 && rnd(6) == 0)
		snprintf(m->status, sizeof m->status, "mobile"); /* 外出务工的流动党员 */
}

static int add(db *d, struct member *m, int64_t *id_out)
{
	struct field_errors e = {0};
	member_validate(d, m, 0, &e);
	if (e.n) {
		fprintf(stderr, "dangjian demo: generated member %s is invalid: %s: %s\n", m->name, e.e[0].field, e.e[0].msg);
		return -1;
	}
	int64_t id = member_insert(d, m, 0, "演示数据");
	if (!id)
		return -1;
	if (id_out)
		*id_out = id;
	return 0;
}

int demo_members(db *d, FILE *out)
{
	static const char *const committee_duties[] = {"组织委员", "宣传委员", "纪检委员"};
	int total = 0, probationary = 0, retired = 0, in_service = 0, central = 0, lecturers = 0;
	for (size_t b = 0; b < sizeof plans / sizeof plans[0]; b++) {
		const struct branch_plan *p = &plans[b];
		int center_quota = !strcmp(p->kind, "village") ? 5 : !strcmp(p->kind, "community") ? 3 : 0;
		for (int i = 0; i < p->size; i++) {
			struct member m;
			char name[64];
			bool male = rnd(100) < 72; /* most rural members are men */
			int age = age_for(p->kind);
			const char *user = NULL;
			/* the people behind the demo logins come first in their branches */
			for (size_t k = 0; k < sizeof linked / sizeof linked[0]; k++)
				if (!strcmp(linked[k].branch, p->code) && i == (int)k - (strcmp(p->code, "CJZ-XJC") ? 0 : 3)) {
					snprintf(name, sizeof name, "%s", linked[k].name);
					male = linked[k].male;
					age = linked[k].age;
					user = linked[k].username;
				}
			if (!user)
				pick_name(name, sizeof name, male);
			if (i == 0 && age > 62)
				age = 45 + (int)rnd(15); /* a working-age secretary */
			bool due = !user && (i == 6 || i == 9); /* two a branch whose probation year is over: 转正 is waiting */
			if (due)
				age = 24 + (int)rnd(16);
			make_member(&m, p, name, male, age);
			/* duties: the secretary, the committee, group leaders, grid workers, central households, lecturers */
			char duties[200] = "";
			if (user)
				snprintf(m.status, sizeof m.status, "active");
			if (i == 0) {
				snprintf(duties, sizeof duties, "书记");
				snprintf(m.org_code, sizeof m.org_code, "%s", p->code);
				snprintf(m.status, sizeof m.status, "active");
			} else if (i <= 2 + (int)(b % 2))
				snprintf(duties, sizeof duties, "%s", committee_duties[(i - 1) % 3]);
			if (user && !strcmp(user, "wangge"))
				snprintf(duties, sizeof duties, "网格员");
			else if (i > 3 && i < 4 + center_quota && !strcmp(m.status, "active")) {
				snprintf(duties, sizeof duties, "党员中心户");
				central++;
			} else if (i >= 10 && i < 12 && (!strcmp(p->kind, "village") || !strcmp(p->kind, "community")))
				snprintf(duties, sizeof duties, "网格员");
			if (i == 5 + (int)(b % 3) && strcmp(m.status, "retired")) {
				size_t l = strlen(duties);
				snprintf(duties + l, sizeof duties - l, "%s讲师", l ? "、" : "");
				lecturers++;
			}
			snprintf(m.duties, sizeof m.duties, "%s", duties);
			/* a few joined within the year: probationary */
			/* a few joined within the last year or so: probationary, some of them due for 转正 */
			if (!user && (due || (i > 3 && age < 45 && rnd(100) < 5))) {
				days_ago(due ? 370 + (int)rnd(40) : 30 + (int)rnd(320), m.join_date);
				m.full_date[0] = 0;
				snprintf(m.category, sizeof m.category, "probationary");
				snprintf(m.status, sizeof m.status, "active");
				probationary++;
			}
			/* in-service members of offices, schools and the factory register with a community */
			if ((!strcmp(p->kind, "office") || !strcmp(p->kind, "school") || !strcmp(p->kind, "enterprise")) &&
			    !strcmp(m.status, "active") && rnd(10) < 4) {
				m.in_service = true;
				snprintf(m.service_org, sizeof m.service_org, "%s", rnd(2) ? "CJZ-DSQ" : "CJZ-XYSQ");
				in_service++;
			}
			int64_t id;
			if (add(d, &m, &id))
				return -1;
			retired += !strcmp(m.status, "retired");
			total++;
			if (user)
				db_run(d, "UPDATE members SET user_id = (SELECT id FROM users WHERE username = ?) WHERE id = ?", "tI", user, id);
			if (i == 0)
				db_run(d, "UPDATE orgs SET secretary = ? WHERE code = ?", "tt", m.name, p->code);
			/* each group gets its leader from its first member */
			if (strcmp(m.org_code, p->code) &&
			    db_int1(d, 0, "SELECT COUNT(*) FROM member_duties md JOIN members x ON x.id = md.member_id JOIN orgs o ON o.id = x.org_id "
					  "WHERE o.code = ? AND md.duty = '党小组长'", "t", m.org_code) == 0)
				db_run(d, "INSERT INTO member_duties (member_id, duty, since) VALUES (?, '党小组长', ?)", "It", id, m.join_date);
		}
	}
	fprintf(out, "Roster: %d members (%d probationary, %d retired, %d in-service registered with communities, "
		     "%d 党员中心户, %d 讲师).\n",
		total, probationary, retired, in_service, central, lecturers);
	return 0;
}
