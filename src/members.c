/* members — the member roster (SPEC M1): one struct, one validator used by
 * forms, the API and the importer, and dated history of every change. */
#include "members.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "audit.h"
#include "buf.h"
#include "util.h"

const struct permission perm_member_view = {"member.view", "查看花名册（脱敏）", R_ADMIN | R_COMMITTEE | R_BRANCH | R_MEMBER | R_GRID};
const struct permission perm_member_edit = {"member.edit", "新增、修改党员，转正、状态变更、导入", R_ADMIN | R_COMMITTEE | R_BRANCH};
const struct permission perm_member_reveal = {"member.reveal", "查看完整身份证号、手机号（留痕）", R_ADMIN | R_COMMITTEE | R_BRANCH};

const char *const member_fields[] = {
	"name",      "gender",   "ethnicity", "birth_date", "education",  "id_number",   "phone",  "address", "join_date",
	"full_date", "category", "status",    "org_code",   "in_service", "service_org", "duties", NULL,
};

const char *const member_duty_list[] = {
	"书记", "副书记", "组织委员", "宣传委员", "纪检委员", "委员", "党小组长", "网格员", "党员中心户", "讲师", "志愿者", NULL,
};

const char *const member_education_list[] = {
	"博士研究生", "硕士研究生", "大学本科", "大学专科", "中专", "高中", "初中", "小学及以下", NULL,
};

const char *const member_status_keys[] = {"active", "retired", "mobile", "stopped", "transferred", NULL};

static const char *const ethnicities[] = {
	"汉族",   "蒙古族",   "回族",   "藏族",     "维吾尔族",   "苗族",   "彝族",       "壮族",     "布依族",   "朝鲜族", "满族",   "侗族",
	"瑶族",   "白族",     "土家族", "哈尼族",   "哈萨克族",   "傣族",   "黎族",       "傈僳族",   "佤族",     "畲族",   "高山族", "拉祜族",
	"水族",   "东乡族",   "纳西族", "景颇族",   "柯尔克孜族", "土族",   "达斡尔族",   "仫佬族",   "羌族",     "布朗族", "撒拉族", "毛南族",
	"仡佬族", "锡伯族",   "阿昌族", "普米族",   "塔吉克族",   "怒族",   "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族",
	"京族",   "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族",     "门巴族", "珞巴族",     "基诺族",   NULL,
};

static const char *const category_map[] = {"full", "正式", "probationary", "预备", NULL};
/* 转出 comes only from a transfer's receipt (member_transfer_out) */
#define TRANSFER_OUT_ONLY "转出由组织关系转接办理：开具转出镇外的介绍信，回执寄回后登记"
static const char *const status_map[] = {"active", "正常", "retired", "离退休", "mobile", "流动", "stopped", "停止党籍", "transferred", "转出", NULL};

static const char *label_of(const char *const *map, const char *key)
{
	for (const char *const *p = map; *p; p += 2)
		if (!strcmp(p[0], key))
			return p[1];
	return key;
}

/* A key from either its key or its label; NULL when neither. */
static const char *key_of(const char *const *map, const char *v)
{
	for (const char *const *p = map; *p; p += 2)
		if (!strcmp(p[0], v) || !strcmp(p[1], v))
			return p[0];
	return NULL;
}

const char *member_category_label(const char *key) { return label_of(category_map, key); }
const char *member_status_label(const char *key) { return label_of(status_map, key); }

static bool in_list(const char *const *list, const char *v)
{
	for (; *list; list++)
		if (!strcmp(*list, v))
			return true;
	return false;
}

/* Copies v into a field; a value too long for it is remembered, not cut. */
static void set_str(struct member *m, char *dst, size_t n, const char *v, const char *field)
{
	size_t l = strlen(v);
	if (l >= n) {
		if (!*m->too_long)
			snprintf(m->too_long, sizeof m->too_long, "%s", field);
		l = 0;
	}
	memcpy(dst, v, l);
	dst[l] = 0;
}
#define SET(f) set_str(m, m->f, sizeof m->f, v, #f)

bool member_set(struct member *m, const char *field, const char *value)
{
	char v[1024];
	snprintf(v, sizeof v, "%s", value ? value : "");
	str_trim(v);
	if (!strcmp(field, "name"))
		SET(name);
	else if (!strcmp(field, "gender"))
		SET(gender);
	else if (!strcmp(field, "ethnicity"))
		SET(ethnicity);
	else if (!strcmp(field, "birth_date"))
		SET(birth_date);
	else if (!strcmp(field, "education"))
		SET(education);
	else if (!strcmp(field, "id_number")) {
		for (char *p = v; *p; p++)
			if (*p == 'x')
				*p = 'X';
		SET(id_number);
	} else if (!strcmp(field, "phone"))
		SET(phone);
	else if (!strcmp(field, "address"))
		SET(address);
	else if (!strcmp(field, "join_date"))
		SET(join_date);
	else if (!strcmp(field, "full_date"))
		SET(full_date);
	else if (!strcmp(field, "category")) {
		const char *k = key_of(category_map, v);
		snprintf(m->category, sizeof m->category, "%s", k ? k : (*v ? "?" : ""));
	} else if (!strcmp(field, "status")) {
		const char *k = key_of(status_map, v);
		snprintf(m->status, sizeof m->status, "%s", k ? k : (*v ? "?" : ""));
	} else if (!strcmp(field, "org_code"))
		SET(org_code);
	else if (!strcmp(field, "service_org"))
		SET(service_org);
	else if (!strcmp(field, "in_service"))
		m->in_service = !strcmp(v, "是") || !strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "在职党员");
	else if (!strcmp(field, "duties"))
		SET(duties);
	else
		return false;
	return true;
}

/* Splits 、,，;； separated duties; calls fn for each trimmed item. */
static int each_duty(const char *list, void (*fn)(void *, const char *), void *ctx)
{
	char copy[256];
	snprintf(copy, sizeof copy, "%s", list);
	int n = 0;
	char *p = copy;
	while (*p) {
		size_t len = strcspn(p, ",;");
		char *end = p + len;
		/* also split on the multi-byte separators 、 ， ； */
		const char *seps[] = {"、", "，", "；"};
		for (int i = 0; i < 3; i++) {
			char *s = strstr(p, seps[i]);
			if (s && s < end)
				end = s, len = (size_t)(s - p);
		}
		char item[96];
		snprintf(item, sizeof item, "%.*s", (int)len, p);
		str_trim(item);
		if (*item) {
			fn(ctx, item);
			n++;
		}
		if (!*end)
			break;
		p = end + ((unsigned char)*end >= 0x80 ? 3 : 1);
	}
	return n;
}

struct duty_check {
	struct field_errors *errs;
	char seen[256];
	char norm[256];
};

static void check_duty(void *ctx, const char *d)
{
	struct duty_check *c = ctx;
	if (!in_list(member_duty_list, d)) {
		ferr_add(c->errs, "duties",
			 "职务“%.60s”不在职务表中（可用：书记、副书记、组织委员、宣传委员、纪检委员、委员、党小组长、网格员、党员中心户、讲师、志愿者）",
			 d);
		return;
	}
	char key[100];
	snprintf(key, sizeof key, "|%s|", d);
	if (strstr(c->seen, key))
		return;
	size_t l = strlen(c->seen);
	snprintf(c->seen + l, sizeof c->seen - l, "%s", key);
	l = strlen(c->norm);
	snprintf(c->norm + l, sizeof c->norm - l, "%s%s", l ? "、" : "", d);
}

/* Is date b at least one year after date a (预备期一年)? Both YYYY-MM-DD. */
static bool year_after(const char *a, const char *b)
{
	char due[16];
	snprintf(due, sizeof due, "%04d%.6s", (atoi(a) + 1) % 10000, a + 4);
	return strcmp(b, due) >= 0;
}

static int years_between(const char *a, const char *b)
{
	int ya = atoi(a), yb = atoi(b);
	int n = yb - ya;
	if (strcmp(b + 5, a + 5) < 0)
		n--;
	return n;
}

void member_validate(db *d, struct member *m, int64_t self_id, struct field_errors *errs)
{
	char birth[11] = "";
	const char *gender = NULL, *why;
	if (*m->too_long)
		ferr_add(errs, m->too_long, "内容过长");

	if (!*m->name)
		ferr_add(errs, "name", "请填写姓名");
	else if (!utf8_valid(m->name) || utf8_len(m->name) > 30)
		ferr_add(errs, "name", "姓名不能超过 30 个字");

	if ((why = idcard_check(m->id_number, birth, &gender)))
		ferr_add(errs, "id_number", "%s", why);
	else if (db_int1(d, 0, "SELECT COUNT(*) FROM members WHERE id_number = ? AND id <> ?", "tI", m->id_number, self_id))
		ferr_add(errs, "id_number", "身份证号已登记在另一名党员名下");

	if (!*m->gender && gender)
		snprintf(m->gender, sizeof m->gender, "%s", gender);
	if (strcmp(m->gender, "男") && strcmp(m->gender, "女"))
		ferr_add(errs, "gender", "性别应为“男”或“女”");
	else if (gender && strcmp(m->gender, gender))
		ferr_add(errs, "gender", "性别与身份证号不符（身份证号显示为%s）", gender);

	if (!*m->birth_date && *birth)
		memcpy(m->birth_date, birth, sizeof birth);
	if (!date_valid(m->birth_date))
		ferr_add(errs, "birth_date", "出生日期应为有效日期，格式 YYYY-MM-DD");
	else if (*birth && strcmp(m->birth_date, birth))
		ferr_add(errs, "birth_date", "出生日期与身份证号不符（身份证号显示为 %s）", birth);

	if (!*m->ethnicity)
		snprintf(m->ethnicity, sizeof m->ethnicity, "汉族");
	else if (!in_list(ethnicities, m->ethnicity))
		ferr_add(errs, "ethnicity", "民族“%.40s”不是 56 个民族之一（如“汉族”“回族”）", m->ethnicity);

	if (*m->education && !in_list(member_education_list, m->education))
		ferr_add(errs, "education", "学历应为：博士研究生、硕士研究生、大学本科、大学专科、中专、高中、初中、小学及以下");

	if (*m->phone && !phone_valid(m->phone))
		ferr_add(errs, "phone", "手机号应为 11 位大陆手机号码，如 13812345678");

	if (!utf8_valid(m->address) || utf8_len(m->address) > 100)
		ferr_add(errs, "address", "住址不能超过 100 个字");

	char now[11];
	today(now);
	if (!date_valid(m->join_date))
		ferr_add(errs, "join_date", "入党日期应为有效日期，格式 YYYY-MM-DD");
	else if (strcmp(m->join_date, now) > 0)
		ferr_add(errs, "join_date", "入党日期不能晚于今天");
	else if (date_valid(m->birth_date) && years_between(m->birth_date, m->join_date) < 18)
		ferr_add(errs, "join_date", "入党日期应在年满 18 周岁之后（出生日期 %s）", m->birth_date);

	if (!*m->category)
		snprintf(m->category, sizeof m->category, "%s", *m->full_date ? "full" : "probationary");
	if (strcmp(m->category, "full") && strcmp(m->category, "probationary"))
		ferr_add(errs, "category", "党员类别应为“正式”或“预备”");
	else if (!strcmp(m->category, "full")) {
		if (!date_valid(m->full_date))
			ferr_add(errs, "full_date", "正式党员须填写转正日期，格式 YYYY-MM-DD");
		else if (date_valid(m->join_date) && !year_after(m->join_date, m->full_date))
			ferr_add(errs, "full_date", "转正日期应在入党满一年之后（预备期一年，入党日期 %s）", m->join_date);
		else if (strcmp(m->full_date, now) > 0)
			ferr_add(errs, "full_date", "转正日期不能晚于今天");
	} else if (*m->full_date)
		ferr_add(errs, "full_date", "预备党员没有转正日期；已转正请将类别填为“正式”");

	if (!*m->status)
		snprintf(m->status, sizeof m->status, "active");
	if (!in_list(member_status_keys, m->status))
		ferr_add(errs, "status", "党籍状态应为：正常、离退休、流动、停止党籍");

	if (*m->org_code) {
		int64_t id = db_int1(d, 0, "SELECT id FROM orgs WHERE code = ?", "t", m->org_code);
		if (!id)
			ferr_add(errs, "org_code", "组织编码“%.40s”不存在", m->org_code);
		m->org_id = id;
	}
	if (m->org_id) {
		db_stmt *s = db_query(d, "SELECT type, dissolved_at FROM orgs WHERE id = ?", "I", m->org_id);
		if (!db_next(s))
			ferr_add(errs, "org_code", "所属组织不存在");
		else if (strcmp(db_str(s, 0), "branch") && strcmp(db_str(s, 0), "group"))
			ferr_add(errs, "org_code", "党员应编入党支部或党小组");
		else if (!db_isnull(s, 1))
			ferr_add(errs, "org_code", "所属组织已撤销");
		db_done(s);
	} else if (!*m->org_code)
		ferr_add(errs, "org_code", "请选择所在党组织");

	m->service_org_id = 0;
	if (*m->service_org) {
		db_stmt *s = db_query(d, "SELECT id, kind FROM orgs WHERE (code = ? OR name = ?) AND dissolved_at IS NULL", "tt", m->service_org,
				      m->service_org);
		if (!db_next(s))
			ferr_add(errs, "service_org", "报到社区“%.40s”不存在", m->service_org);
		else if (strcmp(db_str(s, 1), "社区"))
			ferr_add(errs, "service_org", "报到组织“%.40s”不是社区党组织", m->service_org);
		else
			m->service_org_id = db_int(s, 0);
		db_done(s);
	}
	if (m->service_org_id && !m->in_service)
		ferr_add(errs, "in_service", "只有在职党员需要到社区报到；请勾选“在职党员”或清空报到社区");

	struct duty_check dc = {.errs = errs};
	each_duty(m->duties, check_duty, &dc);
	snprintf(m->duties, sizeof m->duties, "%s", dc.norm);
}

struct duty_write {
	db *d;
	int64_t id;
	const char *since;
	int rc;
};

static void write_duty(void *ctx, const char *duty)
{
	struct duty_write *w = ctx;
	if (db_run(w->d, "INSERT INTO member_duties (member_id, duty, since) VALUES (?, ?, ?)", "Itt", w->id, duty, w->since) != DB_OK)
		w->rc = DB_ERR;
}

static int history(db *d, int64_t id, const char *date, const char *kind, const char *from, const char *to, const char *note, int64_t by)
{
	return db_run(d,
		      "INSERT INTO member_history (member_id, date, at, kind, from_value, to_value, note, user_id) "
		      "VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0))",
		      "ItIttttI", id, date, now_unix(), kind, from, to, note ? note : "", by);
}

static const char *tail4(const char *s) { return strlen(s) >= 4 ? s + strlen(s) - 4 : s; }

int64_t member_write(db *d, const struct actor *a, const struct member *m, const char *note)
{
	int64_t now = now_unix();
	int64_t id = db_int1(d, 0,
			     "INSERT INTO members (org_id, name, gender, ethnicity, birth_date, education, id_number, id_tail, phone, "
			     "phone_tail, address, join_date, full_date, category, status, in_service, service_org_id, created_at, updated_at) "
			     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?, NULLIF(?, 0), ?, ?) RETURNING id",
			     "IttttttttttttttiIII", m->org_id, m->name, m->gender, m->ethnicity, m->birth_date, m->education, m->id_number,
			     tail4(m->id_number), m->phone, tail4(m->phone), m->address, m->join_date, m->full_date, m->category, m->status,
			     m->in_service ? 1 : 0, m->service_org_id, now, now);
	if (!id)
		return 0;
	char date[11];
	today(date);
	struct duty_write w = {d, id, date, DB_OK};
	each_duty(m->duties, write_duty, &w);
	if (w.rc != DB_OK || history(d, id, date, "create", "", m->name, note, a->user_id) != DB_OK)
		return 0;
	return id;
}

bool member_load(db *d, int64_t id, struct member *m)
{
	memset(m, 0, sizeof *m);
	db_stmt *s = db_query(d,
			      "SELECT m.id, m.org_id, COALESCE(m.service_org_id, 0), o.code, COALESCE(so.code, ''), m.name, m.gender, "
			      "m.ethnicity, m.birth_date, m.education, m.id_number, m.phone, m.address, m.join_date, COALESCE(m.full_date, ''), "
			      "m.category, m.status, m.in_service FROM members m JOIN orgs o ON o.id = m.org_id "
			      "LEFT JOIN orgs so ON so.id = m.service_org_id WHERE m.id = ?",
			      "I", id);
	bool found = db_next(s);
	if (found) {
		m->id = db_int(s, 0);
		m->org_id = db_int(s, 1);
		m->service_org_id = db_int(s, 2);
#define COPY(f, i) snprintf(m->f, sizeof m->f, "%s", db_str(s, i))
		COPY(org_code, 3);
		COPY(service_org, 4);
		COPY(name, 5);
		COPY(gender, 6);
		COPY(ethnicity, 7);
		COPY(birth_date, 8);
		COPY(education, 9);
		COPY(id_number, 10);
		COPY(phone, 11);
		COPY(address, 12);
		COPY(join_date, 13);
		COPY(full_date, 14);
		COPY(category, 15);
		COPY(status, 16);
#undef COPY
		m->in_service = db_int(s, 17) != 0;
	}
	db_done(s);
	if (!found)
		return false;
	s = db_query(d, "SELECT duty FROM member_duties WHERE member_id = ? ORDER BY duty", "I", id);
	while (db_next(s)) {
		size_t l = strlen(m->duties);
		snprintf(m->duties + l, sizeof m->duties - l, "%s%s", l ? "、" : "", db_str(s, 0));
	}
	return db_done(s) == DB_OK; /* not half a member (found by the fault-injection sweep) */
}

static int update_rows(db *d, const struct member *b, const struct member *a, int64_t by)
{
	char date[11];
	today(date);
	int rc = db_run(d,
			"UPDATE members SET org_id = ?, name = ?, gender = ?, ethnicity = ?, birth_date = ?, education = ?, id_number = ?, "
			"id_tail = ?, phone = ?, phone_tail = ?, address = ?, join_date = ?, full_date = NULLIF(?, ''), category = ?, "
			"status = ?, in_service = ?, service_org_id = NULLIF(?, 0), updated_at = ? WHERE id = ?",
			"IttttttttttttttiIII", a->org_id, a->name, a->gender, a->ethnicity, a->birth_date, a->education, a->id_number, tail4(a->id_number),
			a->phone, tail4(a->phone), a->address, a->join_date, a->full_date, a->category, a->status, a->in_service ? 1 : 0,
			a->service_org_id, now_unix(), b->id);
	if (rc != DB_OK)
		return rc;
	/* one history line per changed field that matters to the record's story */
	struct {
		const char *kind, *from, *to;
	} ch[] = {
		{"org", b->org_code, a->org_code},
		{"full", member_category_label(b->category), member_category_label(a->category)},
		{"status", member_status_label(b->status), member_status_label(a->status)},
		{"duty", b->duties, a->duties},
		{"service", b->service_org, a->service_org},
	};
	for (size_t i = 0; i < sizeof ch / sizeof ch[0] && rc == DB_OK; i++)
		if (strcmp(ch[i].from, ch[i].to))
			rc = history(d, b->id, date, ch[i].kind, ch[i].from, ch[i].to, "", by);
	if (rc == DB_OK && strcmp(b->duties, a->duties)) {
		rc = db_run(d, "DELETE FROM member_duties WHERE member_id = ?", "I", b->id);
		struct duty_write w = {d, b->id, date, rc};
		each_duty(a->duties, write_duty, &w);
		rc = w.rc;
	}
	const char *other[][3] = {
		{"name", b->name, a->name},
		{"phone", b->phone, a->phone},
		{"address", b->address, a->address},
		{"education", b->education, a->education},
		{"id_number", b->id_number, a->id_number},
	};
	char changed[200] = "";
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
		if (strcmp(other[i][1], other[i][2])) {
			size_t l = strlen(changed);
			snprintf(changed + l, sizeof changed - l, "%s%s", l ? "," : "", other[i][0]);
		}
	if (rc == DB_OK && *changed)
		rc = history(d, b->id, date, "edit", "", changed, "", by);
	return rc;
}

/* ---- the domain functions: role, subtree, write, history, audit ---- */

bool member_org_covered(db *d, const struct actor *a, int64_t org_id)
{
	if (!org_id)
		return false;
	db_stmt *s = db_query(d, "SELECT path FROM orgs WHERE id = ?", "I", org_id);
	bool in = db_next(s) && actor_covers(a, db_str(s, 0));
	db_done(s);
	return in;
}

bool member_visible(db *d, const struct actor *a, const struct member *m)
{
	return permission_allows(&perm_member_view, a) &&
	       (member_org_covered(d, a, m->org_id) || (m->service_org_id && member_org_covered(d, a, m->service_org_id)));
}

enum dj_result member_insert(db *d, const struct actor *a, struct member *m, const char *note, int64_t *id_out, struct field_errors *e)
{
	*id_out = 0;
	if (!permission_allows(&perm_member_edit, a))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能新增党员");
	member_validate(d, m, 0, e);
	if (!strcmp(m->status, "transferred"))
		ferr_add(e, "status", "%s", TRANSFER_OUT_ONLY);
	/* the subtree is checked once the org code is resolved */
	if (!e->n && !member_org_covered(d, a, m->org_id))
		ferr_add(e, "org_code", "组织不在您的管辖范围内");
	if (e->n)
		return DJ_INVALID;
	int64_t id = member_write(d, a, m, note);
	if (!id || audit_write(d, a, "member.create", "member", id, m->org_id, m->name) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	*id_out = id;
	return DJ_OK;
}

enum dj_result member_update(db *d, const struct actor *a, const struct member *before, struct member *after, struct field_errors *e)
{
	if (!member_visible(d, a, before))
		return dj_fail(e, DJ_NOT_FOUND, "党员不存在或不在您的管辖范围内");
	if (!permission_allows(&perm_member_edit, a) || !member_org_covered(d, a, before->org_id))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能修改党员信息");
	member_validate(d, after, before->id, e);
	if (!strcmp(after->status, "transferred") && strcmp(before->status, "transferred"))
		ferr_add(e, "status", "%s", TRANSFER_OUT_ONLY);
	if (!e->n && !member_org_covered(d, a, after->org_id))
		ferr_add(e, "org_code", "组织不在您的管辖范围内");
	if (e->n)
		return DJ_INVALID;
	/* a form names the org by id: the history speaks of codes */
	db_stmt *s = db_query(d, "SELECT code FROM orgs WHERE id = ?", "I", after->org_id);
	if (db_next(s))
		snprintf(after->org_code, sizeof after->org_code, "%s", db_str(s, 0));
	db_done(s);
	if (update_rows(d, before, after, a->user_id) != DB_OK ||
	    audit_write(d, a, "member.update", "member", after->id, after->org_id, after->name) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	/* a member who leaves the branch (or 停止党籍) loses the account's access */
	if (after->org_id != before->org_id || strcmp(after->status, before->status))
		return account_follow_member(d, a, after->id, e);
	return DJ_OK;
}

/* by_transfer: the receipt of a letter to an outside org (transfers.c), the
 * only way to 转出 */
static enum dj_result change(db *d, const struct actor *a, int64_t id, const char *kind, const char *to, const char *date, const char *note,
			     bool by_transfer, struct field_errors *e)
{
	struct member m;
	if (!member_load(d, id, &m) || !member_visible(d, a, &m))
		return dj_fail(e, DJ_NOT_FOUND, "党员不存在");
	if (!permission_allows(&perm_member_edit, a) || !member_org_covered(d, a, m.org_id))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能办理党员变更");
	kind = kind ? kind : "";
	date = date ? date : "";
	char now[11];
	today(now);
	if (!date_valid(date))
		return dj_fail(e, DJ_INVALID, "请填写有效的日期，格式 YYYY-MM-DD");
	if (strcmp(date, now) > 0)
		return dj_fail(e, DJ_INVALID, "日期不能晚于今天");
	char sum[200];
	if (!strcmp(kind, "full")) {
		if (strcmp(m.category, "probationary"))
			return dj_fail(e, DJ_CONFLICT, "该党员已是正式党员，无需转正");
		if (!year_after(m.join_date, date))
			return dj_fail(e, DJ_INVALID, "预备期一年：转正日期应在入党满一年之后");
		snprintf(sum, sizeof sum, "%s：转正 %s", m.name, date);
		if (db_run(d, "UPDATE members SET category = 'full', full_date = ?, updated_at = ? WHERE id = ?", "tII", date, now_unix(), id) != DB_OK ||
		    history(d, id, date, "full", "预备", "正式", note, a->user_id) != DB_OK ||
		    audit_write(d, a, "member.full", "member", id, m.org_id, sum) != DB_OK)
			return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
		return DJ_OK;
	}
	if (!strcmp(kind, "status")) {
		if (!to || !in_list(member_status_keys, to))
			return dj_fail(e, DJ_INVALID, "党籍状态应为：正常、离退休、流动、停止党籍");
		if (!strcmp(to, "transferred") && !by_transfer)
			return dj_fail(e, DJ_INVALID, "%s", TRANSFER_OUT_ONLY);
		if (!strcmp(m.status, to))
			return dj_fail(e, DJ_CONFLICT, "党籍状态没有变化");
		if (!strcmp(m.status, "stopped") && strcmp(to, "active"))
			return dj_fail(e, DJ_CONFLICT, "已停止党籍的党员只能恢复为正常");
		if (!strcmp(m.status, "transferred") && strcmp(to, "active"))
			return dj_fail(e, DJ_CONFLICT, "已转出的党员只能恢复为正常（组织关系转回时）");
		snprintf(sum, sizeof sum, "%s：党籍状态变更为 %s", m.name, member_status_label(to));
		if (db_run(d, "UPDATE members SET status = ?, updated_at = ? WHERE id = ?", "tII", to, now_unix(), id) != DB_OK ||
		    history(d, id, date, "status", member_status_label(m.status), member_status_label(to), note, a->user_id) != DB_OK ||
		    audit_write(d, a, "member.status", "member", id, m.org_id, sum) != DB_OK)
			return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
		return account_follow_member(d, a, id, e);
	}
	return dj_fail(e, DJ_INVALID, "未知的变更类型");
}

enum dj_result member_change(db *d, const struct actor *a, int64_t id, const char *kind, const char *to, const char *date, const char *note,
			     struct field_errors *e)
{
	return change(d, a, id, kind, to, date, note, false, e);
}

enum dj_result member_transfer_out(db *d, const struct actor *a, int64_t id, const char *date, const char *note, struct field_errors *e)
{
	return change(d, a, id, "status", "transferred", date, note, true, e);
}

enum dj_result member_reveal(db *d, const struct actor *a, int64_t id, const char *why, struct member *out, struct field_errors *e)
{
	if (!id || !member_load(d, id, out) || !member_visible(d, a, out)) {
		memset(out, 0, sizeof *out);
		return dj_fail(e, DJ_NOT_FOUND, "党员不存在或不在您的管辖范围内");
	}
	/* a community sees the members registered with it, not their numbers */
	if (!permission_allows(&perm_member_reveal, a) || !member_org_covered(d, a, out->org_id))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能查看完整的身份证号和手机号");
	if (audit_write(d, a, "member.reveal", "member", out->id, out->org_id, why ? why : out->name) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "数据库暂时无法完成操作，请稍后再试");
	return DJ_OK;
}

/* ---- reading the roster ---- */

/* The one roster query, shared by the list, its count and the API, put
 * together from fixed pieces (user text never enters the SQL; the values are
 * bound). Each piece of a kind takes the same parameters, so one call binds
 * them whichever is chosen; and each is a condition an index answers: the
 * subtree a range of orgs.path, the last 4 digits of the ID or the phone the
 * indexed id_tail / phone_tail columns (never LIKE '%…'). */
#define ROSTER_JOIN "FROM members m JOIN orgs o ON o.id = m.org_id LEFT JOIN orgs so ON so.id = m.service_org_id WHERE "
#define ROSTER_ALL "CAST(? AS TEXT) IS NOT NULL AND CAST(? AS TEXT) IS NOT NULL "
/* the member's own org (o) in the range: SQLite reads the subtree org by org
 * in path order, each org's members by members_org, and sorts only within an
 * org for the default order (path, name) — a page of a town's 15,000 members
 * stops at its LIMIT instead of sorting them all (issue 9 §2) */
#define ROSTER_OWN "o.path >= ? AND o.path < ? "
#define ROSTER_REG "m.service_org_id IN (SELECT id FROM orgs WHERE path >= ? AND path < ?) "
#define ROSTER_Q_OFF "AND CAST(? AS TEXT) IS NULL AND CAST(? AS TEXT) IS NULL "
#define ROSTER_Q_TAIL "AND (m.id_tail = ? OR m.phone_tail = ?) "
#define ROSTER_Q_NAME "AND m.name LIKE '%' || ? || '%' AND CAST(? AS TEXT) IS NOT NULL "
#define ROSTER_REST                                                                                      \
	"AND (CAST(? AS TEXT) IS NULL OR m.status = ?) AND (CAST(? AS TEXT) IS NULL OR m.category = ?) " \
	"AND (CAST(? AS BIGINT) < 0 OR m.in_service = ?) "                                               \
	"AND (CAST(? AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM member_duties d WHERE d.member_id = m.id AND d.duty = ?)) "
#define ROSTER_ARGS "ttttttttIItt"
#define ROSTER_VALS(x, lo, hi)                                                                                                                  \
	(lo), (hi), (x)->q, (x)->q, (x)->status, (x)->status, (x)->category, (x)->category, (int64_t)(x)->in_service, (int64_t)(x)->in_service, \
		(x)->duty, (x)->duty
#define ROSTER_COLS                                                                                                                  \
	"SELECT m.id, m.name, m.gender, m.birth_date, m.ethnicity, m.education, m.id_number, m.phone, o.code, o.name, "              \
	"m.category, m.status, m.in_service, COALESCE(so.code, ''), COALESCE(so.name, ''), m.join_date, COALESCE(m.full_date, ''), " \
	"(SELECT COUNT(*) FROM member_duties d WHERE d.member_id = m.id) "

int64_t member_count_under(db *d, const char *prefix, int64_t failed)
{
	if (!strcmp(prefix, "/"))
		return db_int1(d, failed, "SELECT CAST(COALESCE(SUM(members), 0) AS BIGINT) FROM org_member_counts", "");
	char lo[256], hi[256];
	snprintf(lo, sizeof lo, "%s", prefix);
	snprintf(hi, sizeof hi, "%s", prefix);
	if (*hi)
		hi[strlen(hi) - 1]++; /* paths are digits and '/': "/1/4/" covers ["/1/4/", "/1/40") */
	return db_int1(d, failed,
		       "SELECT CAST(COALESCE(SUM(c.members), 0) AS BIGINT) FROM orgs o JOIN org_member_counts c ON c.org_id = o.id "
		       "WHERE o.path >= ? AND o.path < ?",
		       "tt", lo, hi);
}

int member_counts_check(db *d, FILE *out)
{
	db_stmt *s = db_query(d,
			      "SELECT x.org_id, CAST(SUM(x.stored) AS BIGINT), CAST(SUM(x.n) AS BIGINT) FROM (SELECT org_id, members AS stored, 0 AS n "
			      "FROM org_member_counts UNION ALL SELECT org_id, 0, COUNT(*) FROM members GROUP BY org_id) x "
			      "GROUP BY x.org_id HAVING SUM(x.stored) <> SUM(x.n) ORDER BY x.org_id",
			      "");
	int diffs = 0;
	while (db_next(s)) {
		fprintf(out, "org_member_counts org %lld: stored %lld, recounted %lld\n", (long long)db_int(s, 0), (long long)db_int(s, 1),
			(long long)db_int(s, 2));
		diffs++;
	}
	if (db_done(s) != DB_OK) {
		fprintf(out, "org_member_counts: %s\n", db_errmsg(d));
		return -1;
	}
	return diffs;
}

/* The last 4 characters of an ID number (digits, X) or a phone. */
static bool search_tail4(const char *q)
{
	if (strlen(q) != 4)
		return false;
	for (int i = 0; i < 4; i++)
		if (!(q[i] >= '0' && q[i] <= '9') && q[i] != 'X' && q[i] != 'x')
			return false;
	return true;
}

static void roster_where(buf *b, const struct roster_query *q)
{
	buf_puts(b, ROSTER_JOIN);
	buf_puts(b, q->registered ? ROSTER_REG : !strcmp(q->prefix, "/") ? ROSTER_ALL : ROSTER_OWN);
	buf_puts(b, !q->q ? ROSTER_Q_OFF : search_tail4(q->q) ? ROSTER_Q_TAIL : ROSTER_Q_NAME);
	buf_puts(b, ROSTER_REST);
}

/* ORDER BY comes from a fixed list: user text never enters SQL. */
static const char *roster_order(const struct roster_query *q)
{
	const char *s = q->sort ? q->sort : "";
	if (!strcmp(s, "join_date"))
		return "ORDER BY m.join_date, m.id";
	if (!strcmp(s, "birth_date"))
		return "ORDER BY m.birth_date, m.id";
	if (!strcmp(s, "name"))
		return "ORDER BY m.name, m.id";
	return "ORDER BY o.path, m.name, m.id";
}

/* One row of ROSTER_COLS to the caller's fn. */
static void roster_emit(db_stmt *s, void (*fn)(void *ctx, const struct member_row *m), void *ctx)
{
	struct member_row m = {
		.id = db_int(s, 0),
		.name = db_str(s, 1),
		.gender = db_str(s, 2),
		.birth_date = db_str(s, 3),
		.ethnicity = db_str(s, 4),
		.education = db_str(s, 5),
		.id_number = db_str(s, 6),
		.phone = db_str(s, 7),
		.org_code = db_str(s, 8),
		.org_name = db_str(s, 9),
		.category = db_str(s, 10),
		.status = db_str(s, 11),
		.in_service = db_int(s, 12) != 0,
		.service_org_code = db_str(s, 13),
		.service_org_name = db_str(s, 14),
		.join_date = db_str(s, 15),
		.full_date = db_str(s, 16),
		.duties = db_int(s, 17),
	};
	fn(ctx, &m);
}

enum dj_result member_roster(db *d, const struct actor *a, const struct roster_query *q, void (*fn)(void *ctx, const struct member_row *m), void *ctx,
			     int64_t *total)
{
	*total = 0;
	if (!permission_allows(&perm_member_view, a) || !q->prefix || !actor_covers(a, q->prefix))
		return DJ_NOT_FOUND;
	char lo[256], hi[256];
	snprintf(lo, sizeof lo, "%s", q->prefix);
	snprintf(hi, sizeof hi, "%s", q->prefix);
	if (*hi)
		hi[strlen(hi) - 1]++; /* paths are digits and '/': "/1/4/" covers ["/1/4/", "/1/40") */
	/* an ID tail is stored upper case */
	struct roster_query uq = *q;
	char qq[64];
	if (q->q && search_tail4(q->q)) {
		snprintf(qq, sizeof qq, "%s", q->q);
		for (char *p = qq; *p; p++)
			*p = *p == 'x' ? 'X' : *p;
		uq.q = qq;
	}
	buf where = {0}, sql = {0};
	roster_where(&where, &uq);
	if (uq.q && search_tail4(uq.q)) {
		/* an ID or phone tail: its few matches (~2 in 10,000 members) are
		 * all read and sorted by the list whatever its LIMIT, so the list
		 * reads them once and counts them as it goes — a COUNT(*) of the
		 * same WHERE read every matching row a second time (issue 9 §2) */
		buf_puts(&sql, ROSTER_COLS);
		buf_puts(&sql, buf_str(&where));
		buf_puts(&sql, roster_order(q));
		db_stmt *s = db_query(d, buf_str(&sql), ROSTER_ARGS, ROSTER_VALS(&uq, lo, hi));
		buf_free(&where);
		buf_free(&sql);
		int64_t n = 0;
		while (db_next(s)) {
			if (n >= q->offset && n - q->offset < q->limit)
				roster_emit(s, fn, ctx);
			n++;
		}
		*total = n;
		return db_done(s) == DB_OK ? DJ_OK : DJ_DB_ERROR;
	}
	if (!uq.registered && !uq.q && !uq.status && !uq.category && !uq.duty && uq.in_service < 0)
		/* nothing but the subtree: the sum of its orgs' counts that the
		 * database keeps (migration 043) — a town's ~120 rows instead of
		 * its ~15,000 entries of members_org (0.6 ms, half the page's CPU
		 * on the county; issue 9 §2) */
		*total = member_count_under(d, q->prefix, 0);
	else {
		buf_puts(&sql, "SELECT COUNT(*) ");
		buf_puts(&sql, buf_str(&where));
		*total = db_int1(d, 0, buf_str(&sql), ROSTER_ARGS, ROSTER_VALS(&uq, lo, hi));
		buf_reset(&sql);
	}
	buf_puts(&sql, ROSTER_COLS);
	buf_puts(&sql, buf_str(&where));
	buf_puts(&sql, roster_order(q));
	buf_puts(&sql, " LIMIT ? OFFSET ?");
	db_stmt *s = db_query(d, buf_str(&sql), ROSTER_ARGS "II", ROSTER_VALS(&uq, lo, hi), q->limit, q->offset);
	buf_free(&where);
	buf_free(&sql);
	while (db_next(s))
		roster_emit(s, fn, ctx);
	return db_done(s) == DB_OK ? DJ_OK : DJ_DB_ERROR;
}

void member_history_each(db *d, int64_t id, void (*fn)(void *ctx, const struct member_event *ev), void *ctx)
{
	db_stmt *s = db_query(d,
			      "SELECT h.date, h.kind, h.from_value, h.to_value, h.note, COALESCE(u.name, '') FROM member_history h "
			      "LEFT JOIN users u ON u.id = h.user_id WHERE h.member_id = ? AND h.kind <> 'reveal' ORDER BY h.date DESC, h.id DESC",
			      "I", id);
	while (db_next(s)) {
		struct member_event ev = {db_str(s, 0), db_str(s, 1), db_str(s, 2), db_str(s, 3), db_str(s, 4), db_str(s, 5)};
		fn(ctx, &ev);
	}
	db_done(s);
}

void member_duties_each(db *d, int64_t id, void (*fn)(void *ctx, const char *duty), void *ctx)
{
	db_stmt *s = db_query(d, "SELECT duty FROM member_duties WHERE member_id = ? ORDER BY duty", "I", id);
	while (db_next(s))
		fn(ctx, db_str(s, 0));
	db_done(s);
}

/* ---- the account of a roster member ---- */

int64_t member_of_account(db *d, int64_t user_id) { return db_int1(d, 0, "SELECT MIN(id) FROM members WHERE user_id = ?", "I", user_id); }

int64_t member_account_of(db *d, int64_t member_id)
{
	int64_t id = 0;
	db_stmt *s = db_query(d, "SELECT COALESCE(user_id, 0) FROM members WHERE id = ?", "I", member_id);
	if (db_next(s))
		id = db_int(s, 0);
	return db_done(s) == DB_OK ? id : -1;
}

enum dj_result member_link_account(db *d, int64_t member_id, int64_t user_id, struct field_errors *e)
{
	if (db_run(d, "UPDATE members SET user_id = ?, updated_at = ? WHERE id = ?", "III", user_id, now_unix(), member_id) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，请稍后再试");
	return DJ_OK;
}

int member_accounts_by_phone(db *d, const char *phone, int64_t skip_member, int64_t *ids, int max)
{
	int n = 0;
	db_stmt *s = db_query(d,
			      "SELECT u.id FROM members m JOIN users u ON u.id = m.user_id WHERE m.phone = ? AND m.id <> ? AND u.active = 1 "
			      "ORDER BY u.id",
			      "tI", phone ? phone : "", skip_member);
	while (n < max && db_next(s))
		ids[n++] = db_int(s, 0);
	return db_done(s) == DB_OK ? n : -1;
}

int64_t *member_ids_without_account(db *d, const char *path, size_t *n)
{
	size_t cap = 64;
	int64_t *ids = malloc(cap * sizeof *ids);
	*n = 0;
	db_stmt *s = db_query(
		d,
		"SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id "
		"WHERE o.path LIKE ? || '%' AND m.user_id IS NULL AND m.status NOT IN ('stopped', 'transferred') ORDER BY o.path, m.name, m.id",
		"t", path ? path : "");
	while (ids && db_next(s)) {
		if (*n == cap) {
			int64_t *more = realloc(ids, (cap *= 2) * sizeof *ids);
			if (!more)
				break;
			ids = more;
		}
		ids[(*n)++] = db_int(s, 0);
	}
	if (db_done(s) != DB_OK) {
		free(ids);
		return NULL;
	}
	return ids;
}
