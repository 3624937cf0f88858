/* import — rosters (花名册) from .xlsx/.csv into the member roster (SPEC M1, §5).
 *
 * Every row goes through the same member_set() and member_validate() as the
 * form and the API, plus what only a file can get wrong: duplicate ID
 * numbers within the file, unknown or doubled columns, dates as Excel writes
 * them (serial numbers, 1990/3/7, 1990年3月7日), orgs named instead of coded,
 * and orgs outside the importer's subtree. A file imports whole or not at all. */
#include "import.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "audit.h"
#include "sheet.h"
#include "util.h"
#include "valid.h"

#define MAXF 20              /* room for member_fields */
#define HEADER_SEARCH_ROWS 5 /* rows searched for the header */
#define FIELD_SIZE(f) (sizeof(((struct member *)0)->f) - 1)

/* Headers Excel rosters use for each field; the first is the field's label. */
static const struct {
	const char *field, *headers[6];
} header_map[] = {
	{"name", {"姓名"}},
	{"gender", {"性别"}},
	{"ethnicity", {"民族"}},
	{"birth_date", {"出生日期", "出生年月日"}},
	{"education", {"学历", "文化程度"}},
	{"id_number", {"身份证号", "身份证号码", "公民身份号码"}},
	{"phone", {"手机号", "手机号码", "联系电话", "手机"}},
	{"address", {"住址", "家庭住址"}},
	{"join_date", {"入党日期", "入党时间"}},
	{"full_date", {"转正日期", "转正时间"}},
	{"category", {"党员类别", "人员类别"}},
	{"status", {"党籍状态", "状态"}},
	{"org_code", {"组织编码", "所在党组织", "所在党支部"}},
	{"in_service", {"在职党员"}},
	{"service_org", {"报到社区"}},
	{"duties", {"职务"}},
};
#define NMAP (sizeof header_map / sizeof header_map[0])

static const char *const required_fields[] = {"name", "id_number", "join_date", NULL};
static const char *const date_fields[] = {"birth_date", "join_date", "full_date", NULL};

/* The longest text member_set keeps for a field (it would cut a longer one
 * short, and a cut value must not pass for a good one). Dates are checked
 * apart; category, status and in_service are looked up whole. */
static size_t field_max(const char *f)
{
	static const struct {
		const char *f;
		size_t n;
	} t[] = {
		{"name", FIELD_SIZE(name)},           {"gender", FIELD_SIZE(gender)},       {"ethnicity", FIELD_SIZE(ethnicity)},
		{"education", FIELD_SIZE(education)}, {"id_number", FIELD_SIZE(id_number)}, {"phone", FIELD_SIZE(phone)},
		{"address", FIELD_SIZE(address)},     {"org_code", FIELD_SIZE(org_code)},   {"service_org", FIELD_SIZE(service_org)},
		{"duties", FIELD_SIZE(duties)},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!strcmp(t[i].f, f))
			return t[i].n;
	return SHEET_MAX_CELL;
}

const char *import_field_label(const char *field)
{
	for (size_t i = 0; i < NMAP; i++)
		if (!strcmp(header_map[i].field, field))
			return header_map[i].headers[0];
	return field;
}

static bool in_list(const char *const *l, const char *s)
{
	for (; *l; l++)
		if (!strcmp(*l, s))
			return true;
	return false;
}

static int nfields(void)
{
	int n = 0;
	while (member_fields[n] && n < MAXF)
		n++;
	return n;
}

static int field_index(const char *f)
{
	for (int i = 0; member_fields[i] && i < MAXF; i++)
		if (!strcmp(member_fields[i], f))
			return i;
	return -1;
}

void import_init(struct import *im, int64_t default_org, const char *scope_path, const char *filename)
{
	memset(im, 0, sizeof *im);
	im->default_org = default_org;
	snprintf(im->scope, sizeof im->scope, "%s", scope_path && *scope_path ? scope_path : "/");
	const char *base = filename ? strrchr(filename, '/') : NULL;
	const char *b2 = filename ? strrchr(filename, '\\') : NULL; /* old browsers send C:\…\name.xlsx */
	if (b2 && (!base || b2 > base))
		base = b2;
	snprintf(im->filename, sizeof im->filename, "%s", base ? base + 1 : filename ? filename : "");
	if (!utf8_valid(im->filename) || !*im->filename)
		snprintf(im->filename, sizeof im->filename, "%s", "上传的文件");
	for (int f = 0; f < nfields(); f++)
		snprintf(im->labels[f], sizeof im->labels[f], "%s", import_field_label(member_fields[f]));
}

void import_free(struct import *im)
{
	free(im->problems);
	free(im->good);
	im->problems = NULL;
	im->good = NULL;
	im->nproblems = im->ngood = 0;
}

bool import_ok(const struct import *im) { return !im->file_error[0] && im->bad_rows == 0 && im->ngood > 0; }

/* The column a field was read from, as the file names it. */
static const char *label(const struct import *im, const char *field)
{
	int f = field_index(field);
	return f >= 0 ? im->labels[f] : import_field_label(field);
}

static void problem(struct import *im, int row, const char *column, const char *reason)
{
	im->problems_total++;
	if (im->nproblems >= IMPORT_MAX_PROBLEMS)
		return;
	if (im->nproblems == im->problems_cap) {
		im->problems_cap = im->problems_cap ? im->problems_cap * 2 : 32;
		im->problems = realloc(im->problems, im->problems_cap * sizeof *im->problems);
		if (!im->problems)
			abort();
	}
	struct import_problem *p = &im->problems[im->nproblems++];
	p->row = row;
	snprintf(p->column, sizeof p->column, "%s", column);
	snprintf(p->reason, sizeof p->reason, "%s", reason);
}

/* ---- values as Excel writes them ---- */

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

/* Reads 1..max digits. */
static const char *read_num(const char *p, int max, int *v)
{
	int n = 0;
	*v = 0;
	while (n < max && *p >= '0' && *p <= '9')
		*v = *v * 10 + (*p++ - '0'), n++;
	return n ? p : NULL;
}

static const char *skip_sep(const char *p, const char *const *seps)
{
	for (; *seps; seps++) {
		size_t n = strlen(*seps);
		if (!strncmp(p, *seps, n))
			return p + n;
	}
	return NULL;
}

/* 1990-03-07 from 1990/3/7, 1990.3.7, 1990年3月7日, 19900307, "1990-03-07 00:00:00",
 * or an Excel serial in a number cell. Anything else is left for the validator to refuse. */
static void norm_date(const char *in, bool number, bool date1904, char *out, size_t n)
{
	snprintf(out, n, "%s", in);
	str_trim(out);
	size_t len = strlen(out);
	if (len == 8 && all_digits(out, 8)) {
		char t[11];
		snprintf(t, sizeof t, "%.4s-%.2s-%.2s", out, out + 4, out + 6);
		if (date_valid(t)) {
			snprintf(out, n, "%s", t);
			return;
		}
	}
	char d[40]; /* room for any three ints: the compiler cannot see they are small */
	if (number && sheet_serial_date(out, date1904, d)) {
		snprintf(out, n, "%s", d);
		return;
	}
	static const char *const s1[] = {"-", "/", ".", "年", NULL}, *const s2[] = {"-", "/", ".", "月", NULL};
	int y, m, dd;
	const char *p = read_num(out, 4, &y);
	if (!p || p - out != 4 || !(p = skip_sep(p, s1)) || !(p = read_num(p, 2, &m)) || !(p = skip_sep(p, s2)) || !(p = read_num(p, 2, &dd)))
		return;
	if (!strncmp(p, "日", strlen("日")))
		p += strlen("日");
	if (*p && *p != ' ' && *p != 'T')
		return;
	snprintf(d, sizeof d, "%04d-%02d-%02d", y, m, dd);
	if (date_valid(d))
		snprintf(out, n, "%s", d);
}

/* Cuts s to at most max bytes without splitting a UTF-8 character. */
static void utf8_cut(char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	s[max] = 0;
}

/* Strips blanks (ASCII and 全角), required-field stars and "（必填）" from a header. */
static void norm_header(const char *in, char *out, size_t n)
{
	snprintf(out, n, "%s", in);
	static const char *const junk[] = {"　", "*", "＊", "（必填）", "(必填)", NULL};
	for (bool changed = true; changed;) {
		changed = false;
		str_trim(out);
		for (const char *const *j = junk; *j; j++) {
			size_t jl = strlen(*j), l = strlen(out);
			if (l >= jl && !strncmp(out, *j, jl)) {
				memmove(out, out + jl, l - jl + 1);
				changed = true;
			} else if (l >= jl && !strcmp(out + l - jl, *j)) {
				out[l - jl] = 0;
				changed = true;
			}
		}
	}
}

static const char *field_of_header(const char *h)
{
	for (size_t i = 0; i < NMAP; i++) {
		if (!strcmp(h, header_map[i].field))
			return header_map[i].field;
		for (int k = 0; k < 6 && header_map[i].headers[k]; k++)
			if (!strcmp(h, header_map[i].headers[k]))
				return header_map[i].field;
	}
	return NULL;
}

/* ---- the checks every row goes through ---- */

struct org_memo {
	char key[64];
	char code[64]; /* org_code: the code the value stands for, "" when none */
	int64_t id;    /* scope: the org id and whether it lies in the scope */
	bool ok;
};

struct seen_id {
	char id[24];
	int line;
};

struct checker {
	db *d;
	struct import *im;
	bool date1904;
	struct org_memo codes[128], scopes[128];
	int ncodes, nscopes;
	struct seen_id *seen; /* open addressing on the ID number */
	size_t seen_cap;
};

/* The code an org column's value stands for: a code, or the name of exactly one live org. */
static void org_code_of(struct checker *c, const char *value, char *code, size_t n)
{
	for (int i = 0; i < c->ncodes; i++)
		if (!strcmp(c->codes[i].key, value)) {
			str_copy(code, n, c->codes[i].code);
			return;
		}
	str_copy(code, n, value); /* short: the caller checked its length */
	if (!db_int1(c->d, 0, "SELECT COUNT(*) FROM orgs WHERE code = ?", "t", value)) {
		db_stmt *s = db_query(c->d, "SELECT code FROM orgs WHERE name = ? AND dissolved_at IS NULL", "t", value);
		int found = 0;
		char first[64] = "";
		while (db_next(s))
			if (!found++)
				snprintf(first, sizeof first, "%s", db_str(s, 0));
		db_done(s);
		if (found == 1)
			str_copy(code, n, first);
	}
	if (c->ncodes < (int)(sizeof c->codes / sizeof c->codes[0]) && strlen(value) < sizeof c->codes[0].key) {
		str_copy(c->codes[c->ncodes].key, sizeof c->codes[0].key, value);
		str_copy(c->codes[c->ncodes].code, sizeof c->codes[0].code, code);
		c->ncodes++;
	}
}

static bool org_in_scope(struct checker *c, int64_t id)
{
	if (!strcmp(c->im->scope, "/"))
		return true;
	for (int i = 0; i < c->nscopes; i++)
		if (c->scopes[i].id == id)
			return c->scopes[i].ok;
	db_stmt *s = db_query(c->d, "SELECT path FROM orgs WHERE id = ?", "I", id);
	bool ok = db_next(s) && !strncmp(db_str(s, 0), c->im->scope, strlen(c->im->scope));
	db_done(s);
	if (c->nscopes < (int)(sizeof c->scopes / sizeof c->scopes[0]))
		c->scopes[c->nscopes++] = (struct org_memo){.id = id, .ok = ok};
	return ok;
}

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* The earlier row with this ID number, or 0 (and the number is remembered). */
static int seen_before(struct checker *c, const char *id, int line)
{
	if (!c->seen) {
		c->seen_cap = 64;
		while (c->seen_cap < (size_t)SHEET_MAX_ROWS * 2)
			c->seen_cap *= 2;
		c->seen = calloc(c->seen_cap, sizeof *c->seen);
		if (!c->seen)
			abort();
	}
	for (size_t i = hash(id) & (c->seen_cap - 1);; i = (i + 1) & (c->seen_cap - 1)) {
		if (!c->seen[i].line) {
			snprintf(c->seen[i].id, sizeof c->seen[i].id, "%s", id);
			c->seen[i].line = line;
			return 0;
		}
		if (!strcmp(c->seen[i].id, id))
			return c->seen[i].line;
	}
}

static void push_good(struct import *im, int line, const struct member *m)
{
	if (im->ngood == im->good_cap) {
		im->good_cap = im->good_cap ? im->good_cap * 2 : 64;
		im->good = realloc(im->good, im->good_cap * sizeof *im->good);
		if (!im->good)
			abort();
	}
	im->good[im->ngood].line = line;
	im->good[im->ngood].m = *m;
	im->ngood++;
}

/* One row: vals[f] is the text for member_fields[f] (NULL: no such column);
 * numeric[f] says an .xlsx stored it as a number. org_id: the row's org when
 * it names none. */
static void check_row(struct checker *c, int line, const char *const *vals, const bool *numeric, int64_t org_id)
{
	struct import *im = c->im;
	struct member m;
	memset(&m, 0, sizeof m);
	bool bad = false, too_long[MAXF] = {false};
	char msg[200];
	int nf = nfields();
	for (int f = 0; f < nf; f++) {
		if (!vals[f])
			continue;
		const char *field = member_fields[f];
		char v[SHEET_MAX_CELL + 1];
		snprintf(v, sizeof v, "%s", vals[f]);
		str_trim(v);
		if (in_list(date_fields, field)) {
			norm_date(vals[f], numeric && numeric[f], c->date1904, v, sizeof v);
			if (strlen(v) > FIELD_SIZE(birth_date)) {
				snprintf(msg, sizeof msg, "日期“%.40s”无法识别，应写作 YYYY-MM-DD，如 1990-03-07", v);
				problem(im, line, im->labels[f], msg);
				too_long[f] = bad = true;
				continue;
			}
		}
		size_t max = field_max(field);
		if (strlen(v) > max) {
			snprintf(msg, sizeof msg, "内容过长：最多 %zu 个字节（约 %zu 个汉字）", max, max / 3);
			problem(im, line, im->labels[f], msg);
			too_long[f] = bad = true;
			continue;
		}
		if (!strcmp(field, "org_code") && *v) {
			char code[64];
			org_code_of(c, v, code, sizeof code);
			str_copy(v, sizeof v, code);
		}
		member_set(&m, field, v);
	}
	if (!*m.org_code)
		m.org_id = org_id;

	struct field_errors fe;
	memset(&fe, 0, sizeof fe);
	member_validate(c->d, &m, 0, &fe);
	for (int i = 0; i < fe.n; i++) {
		int f = field_index(fe.e[i].field);
		if (f >= 0 && too_long[f])
			continue; /* already said */
		/* gender and birth date not given come from the ID number: its own error says it all */
		if ((!strcmp(fe.e[i].field, "gender") || !strcmp(fe.e[i].field, "birth_date")) && f >= 0 && (!vals[f] || !*vals[f]) &&
		    ferr_get(&fe, "id_number"))
			continue;
		const char *reason = fe.e[i].msg;
		if (!strcmp(fe.e[i].field, "id_number") && f >= 0 && vals[f] && strpbrk(vals[f], "Ee") && strchr(vals[f], '+'))
			reason = "身份证号被 Excel 存成了科学计数法数字（如 3.2E+17），后几位已丢失：请把该列设为“文本”格式后重新填写";
		else if (!strcmp(fe.e[i].field, "org_code") && strstr(reason, "不存在")) {
			snprintf(msg, sizeof msg, "组织“%.40s”不存在或不在您的管辖范围内", m.org_code);
			reason = msg;
		}
		problem(im, line, f >= 0 ? im->labels[f] : fe.e[i].field, reason);
		bad = true;
	}
	if (!ferr_get(&fe, "org_code") && m.org_id && !org_in_scope(c, m.org_id)) {
		if (*m.org_code)
			snprintf(msg, sizeof msg, "组织“%.40s”不存在或不在您的管辖范围内", m.org_code);
		else
			snprintf(msg, sizeof msg, "所选组织不在您的管辖范围内");
		problem(im, line, label(im, "org_code"), msg);
		bad = true;
	}
	if (*m.id_number && !idcard_check(m.id_number, NULL, NULL)) {
		int first = seen_before(c, m.id_number, line);
		if (first) {
			snprintf(msg, sizeof msg, "身份证号与第 %d 行重复", first);
			problem(im, line, label(im, "id_number"), msg);
			bad = true;
		}
	}
	im->rows++;
	if (bad)
		im->bad_rows++;
	else
		push_good(im, line, &m);
}

static void checker_free(struct checker *c) { free(c->seen); }

/* The default org must take members when some rows will use it. */
static bool default_org_ok(struct checker *c)
{
	struct import *im = c->im;
	if (!im->default_org) {
		snprintf(im->file_error, sizeof im->file_error, "文件没有“组织编码”列，请指定导入到哪个党支部或党小组");
		return false;
	}
	db_stmt *s = db_query(c->d, "SELECT type, dissolved_at, name FROM orgs WHERE id = ?", "I", im->default_org);
	bool found = db_next(s), ok = false;
	if (!found || !org_in_scope(c, im->default_org))
		snprintf(im->file_error, sizeof im->file_error, "所选组织不存在或不在您的管辖范围内");
	else if (strcmp(db_str(s, 0), "branch") && strcmp(db_str(s, 0), "group"))
		snprintf(im->file_error, sizeof im->file_error, "“%s”不是党支部或党小组：党员应编入党支部或党小组。请另选组织，或在文件中加上“组织编码”列",
			 db_str(s, 2));
	else if (!db_isnull(s, 1))
		snprintf(im->file_error, sizeof im->file_error, "“%s”已撤销，请另选组织", db_str(s, 2));
	else
		ok = true;
	db_done(s);
	return ok;
}

/* The first of the top rows that names two member fields (a title such as
 * “陈集村党支部党员花名册” may stand above it); the first row when none does. */
static size_t header_row(const struct sheet *sh)
{
	for (size_t r = 0; r < sh->nrows && r < HEADER_SEARCH_ROWS; r++) {
		int known = 0;
		for (int col = 0; col < sh->rows[r].ncells; col++) {
			char h[SHEET_MAX_CELL + 1];
			norm_header(sheet_cell(sh, r, col), h, sizeof h);
			known += *h && field_of_header(h);
		}
		if (known >= 2)
			return r;
	}
	return 0;
}

void import_check_file(db *d, struct import *im, const void *data, size_t len)
{
	struct sheet sh;
	memset(&sh, 0, sizeof sh);
	struct checker c = {.d = d, .im = im};
	char err[300];
	int colfield[SHEET_MAX_COLS];
	bool have[MAXF] = {false};
	if (!sheet_read(&sh, data, len, err, sizeof err)) {
		snprintf(im->file_error, sizeof im->file_error, "%s", err);
		goto out;
	}
	im->encoding = sh.encoding;
	c.date1904 = sh.date1904;
	if (sh.nrows == 0) {
		snprintf(im->file_error, sizeof im->file_error, "文件中没有内容");
		goto out;
	}
	/* the header: rosters often carry a title row or two above it */
	size_t head = header_row(&sh);
	for (int col = 0; col < SHEET_MAX_COLS; col++) {
		colfield[col] = -1;
		char h[SHEET_MAX_CELL + 1];
		norm_header(sheet_cell(&sh, head, col), h, sizeof h);
		if (!*h)
			continue;
		const char *field = field_of_header(h);
		int f = field ? field_index(field) : -1;
		if (f < 0) {
			size_t l = strlen(im->ignored);
			utf8_cut(h, 60);
			if (l + strlen(h) + 8 < sizeof im->ignored)
				snprintf(im->ignored + l, sizeof im->ignored - l, "%s%s", l ? "、" : "", h);
			continue;
		}
		if (have[f]) {
			snprintf(im->file_error, sizeof im->file_error, "“%s”和“%.60s”两列都是%s，请只保留一列", im->labels[f], h,
				 import_field_label(field));
			goto out;
		}
		have[f] = true;
		colfield[col] = f;
		snprintf(im->labels[f], sizeof im->labels[f], "%.60s", h); /* a known header: short */
	}
	char missing[200] = "";
	for (const char *const *r = required_fields; *r; r++)
		if (field_index(*r) < 0 || !have[field_index(*r)]) {
			size_t l = strlen(missing);
			snprintf(missing + l, sizeof missing - l, "%s%s", l ? "、" : "", import_field_label(*r));
		}
	if (*missing) {
		snprintf(im->file_error, sizeof im->file_error,
			 "缺少必需的列：%s。表头一行应写明各列，如：姓名、性别、身份证号、入党日期、转正日期、手机号、组织编码", missing);
		goto out;
	}
	if (sh.nrows == head + 1) {
		snprintf(im->file_error, sizeof im->file_error, "文件只有表头，没有党员数据");
		goto out;
	}
	if (sh.nrows - head - 1 > SHEET_MAX_ROWS) {
		snprintf(im->file_error, sizeof im->file_error, "表格超过 %d 行数据的上限，请分成几个文件导入", SHEET_MAX_ROWS);
		goto out;
	}
	if ((field_index("org_code") < 0 || !have[field_index("org_code")]) && !default_org_ok(&c))
		goto out;
	for (size_t r = head + 1; r < sh.nrows; r++) {
		const char *vals[MAXF] = {NULL};
		bool numeric[MAXF] = {false};
		for (int col = 0; col < SHEET_MAX_COLS; col++) {
			int f = colfield[col];
			if (f < 0)
				continue;
			vals[f] = sheet_cell(&sh, r, col);
			numeric[f] = sheet_cell_is_number(&sh, r, col);
		}
		check_row(&c, sh.rows[r].line, vals, numeric, im->default_org);
	}
out:
	checker_free(&c);
	sheet_free(&sh);
}

/* ---- the batch kept between preview and confirm ---- */

#define BATCH_MAGIC "dangjian-import-1"

static void tsv_put(buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\': buf_puts(b, "\\\\"); break;
		case '\t': buf_puts(b, "\\t"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		default: buf_putc(b, *s);
		}
	}
}

static const char *member_value(const struct member *m, const char *f)
{
	if (!strcmp(f, "name"))
		return m->name;
	if (!strcmp(f, "gender"))
		return m->gender;
	if (!strcmp(f, "ethnicity"))
		return m->ethnicity;
	if (!strcmp(f, "birth_date"))
		return m->birth_date;
	if (!strcmp(f, "education"))
		return m->education;
	if (!strcmp(f, "id_number"))
		return m->id_number;
	if (!strcmp(f, "phone"))
		return m->phone;
	if (!strcmp(f, "address"))
		return m->address;
	if (!strcmp(f, "join_date"))
		return m->join_date;
	if (!strcmp(f, "full_date"))
		return m->full_date;
	if (!strcmp(f, "category"))
		return m->category;
	if (!strcmp(f, "status"))
		return m->status;
	if (!strcmp(f, "org_code"))
		return ""; /* the row carries its resolved org id instead */
	if (!strcmp(f, "in_service"))
		return m->in_service ? "1" : "0";
	if (!strcmp(f, "service_org"))
		return m->service_org;
	if (!strcmp(f, "duties"))
		return m->duties;
	return "";
}

/* First line: magic, then each field's label; then one line per row: line, org id, the fields. */
void import_batch_text(const struct import *im, buf *out)
{
	int nf = nfields();
	buf_puts(out, BATCH_MAGIC);
	for (int f = 0; f < nf; f++) {
		buf_putc(out, '\t');
		tsv_put(out, im->labels[f]);
	}
	buf_putc(out, '\n');
	for (size_t i = 0; i < im->ngood; i++) {
		const struct import_row *r = &im->good[i];
		buf_printf(out, "%d\t%lld", r->line, (long long)r->m.org_id);
		for (int f = 0; f < nf; f++) {
			buf_putc(out, '\t');
			tsv_put(out, member_value(&r->m, member_fields[f]));
		}
		buf_putc(out, '\n');
	}
}

/* Splits one TSV line in place into at most max fields, unescaping each. */
static int tsv_split(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;
	for (;;) {
		if (n == max)
			return n;
		f[n++] = p;
		char *w = p;
		for (; *p && *p != '\t'; p++) {
			if (*p == '\\' && p[1]) {
				p++;
				*w++ = *p == 't' ? '\t' : *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p;
			} else
				*w++ = *p;
		}
		bool more = *p == '\t';
		*w = 0;
		if (!more)
			return n;
		p++;
	}
}

void import_check_batch(db *d, struct import *im, const char *text)
{
	struct checker c = {.d = d, .im = im};
	int nf = nfields();
	char *copy = strdup(text ? text : "");
	char *save = NULL, *line = strtok_r(copy, "\n", &save);
	char *f[MAXF + 2];
	if (!line || tsv_split(line, f, MAXF + 2) != nf + 1 || strcmp(f[0], BATCH_MAGIC)) {
		snprintf(im->file_error, sizeof im->file_error, "导入批次的数据无法读取，请重新上传文件");
		goto out;
	}
	for (int i = 0; i < nf; i++)
		snprintf(im->labels[i], sizeof im->labels[i], "%s", f[i + 1]);
	while ((line = strtok_r(NULL, "\n", &save))) {
		if (tsv_split(line, f, MAXF + 2) != nf + 2) {
			snprintf(im->file_error, sizeof im->file_error, "导入批次的数据无法读取，请重新上传文件");
			goto out;
		}
		const char *vals[MAXF];
		for (int i = 0; i < nf; i++)
			vals[i] = f[i + 2];
		check_row(&c, atoi(f[0]), vals, NULL, parse_id(f[1]));
	}
out:
	free(copy);
	checker_free(&c);
}

/* ---- commit and report ---- */

static void import_summary(const struct import *im, char *out, size_t n) { snprintf(out, n, "导入党员 %zu 名（%s）", im->ngood, im->filename); }

enum dj_result import_commit(db *d, const struct actor *a, const struct import *im, int64_t *n, struct field_errors *e)
{
	*n = 0;
	if (!permission_allows(&perm_member_edit, a))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能导入党员");
	if (!import_ok(im))
		return dj_fail(e, DJ_CONFLICT, "有不合格的行，未导入任何数据");
	char note[200], sum[300];
	snprintf(note, sizeof note, "导入：%s", im->filename);
	/* rows are checked and written here without a member.create each: the file is audited once */
	for (size_t i = 0; i < im->ngood; i++)
		if (!member_write(d, a, &im->good[i].m, note))
			return dj_fail(e, DJ_DB_ERROR, "保存失败，未导入任何数据，请稍后再试");
	import_summary(im, sum, sizeof sum);
	if (audit_write(d, a, "member.import", "member", 0, im->default_org, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败，未导入任何数据，请稍后再试");
	*n = (int64_t)im->ngood;
	return DJ_OK;
}

void import_print(const struct import *im, FILE *out)
{
	if (im->file_error[0]) {
		fprintf(out, "%s：无法导入：%s\n", im->filename, im->file_error);
		return;
	}
	if (im->ignored[0])
		fprintf(out, "%s：已忽略不认识的列：%s\n", im->filename, im->ignored);
	if (im->bad_rows) {
		fprintf(out, "%s：共 %d 行数据，%d 行有问题，未导入任何数据。\n", im->filename, im->rows, im->bad_rows);
		fprintf(out, "行号\t列\t原因\n");
		for (size_t i = 0; i < im->nproblems; i++)
			fprintf(out, "%d\t%s\t%s\n", im->problems[i].row, im->problems[i].column, im->problems[i].reason);
		if (im->problems_total > im->nproblems)
			fprintf(out, "……另有 %zu 个问题未列出\n", im->problems_total - im->nproblems);
	} else
		fprintf(out, "%s：共 %d 行数据，全部有效。\n", im->filename, im->rows);
}

/* ---- the command line ---- */

static char *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "无法打开文件 %s", path);
		return NULL;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && st.st_size > (off_t)SHEET_MAX_FILE) {
		fclose(f);
		snprintf(err, errlen, "文件大小超过 %u MiB 的上限", SHEET_MAX_FILE >> 20);
		return NULL;
	}
	buf b = {0};
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		buf_append(&b, chunk, n);
		if (b.len > SHEET_MAX_FILE)
			break;
	}
	bool bad = ferror(f);
	fclose(f);
	if (bad) {
		buf_free(&b);
		snprintf(err, errlen, "读取文件 %s 失败", path);
		return NULL;
	}
	*len = b.len;
	return buf_detach(&b);
}

int import_cli(db *d, const char *path, const char *org_code, bool dry_run, FILE *out)
{
	char err[300];
	size_t len = 0;
	int64_t org = 0;
	if (org_code && !(org = db_int1(d, 0, "SELECT id FROM orgs WHERE code = ?", "t", org_code))) {
		fprintf(stderr, "dangjian: import: no organisation with code %s\n", org_code);
		return 1;
	}
	char *data = read_file(path, &len, err, sizeof err);
	if (!data) {
		fprintf(stderr, "dangjian: import: %s\n", err);
		return 1;
	}
	uint64_t t0 = now_ns();
	struct import im;
	import_init(&im, org, "/", path);
	int rc = 1;
	if (db_begin(d, !dry_run) != DB_OK) {
		fprintf(stderr, "dangjian: import: %s\n", db_errmsg(d));
		goto done;
	}
	import_check_file(d, &im, data, len);
	import_print(&im, out);
	if (!import_ok(&im)) {
		db_rollback(d);
		goto done;
	}
	if (dry_run) {
		db_rollback(d);
		fprintf(out, "试运行：%zu 名党员可以导入，未写入数据库（用时 %.2f 秒）\n", im.ngood, (double)(now_ns() - t0) / 1e9);
		rc = 0;
		goto done;
	}
	/* the command line acts with the whole tree in scope, recorded as 'cli' */
	struct actor a;
	actor_cli(&a);
	struct field_errors e = {0};
	int64_t n = 0;
	if (import_commit(d, &a, &im, &n, &e) != DJ_OK || db_commit(d) != DB_OK) {
		fprintf(stderr, "dangjian: import: 保存失败，未导入任何数据：%s\n", db_errmsg(d));
		db_rollback(d);
		goto done;
	}
	fprintf(out, "已导入 %lld 名党员（用时 %.2f 秒）\n", (long long)n, (double)(now_ns() - t0) / 1e9);
	rc = 0;
done:
	import_free(&im);
	free(data);
	return rc;
}

/* ---- the preview's batches ---- */

enum dj_result import_batch_save(db *d, const struct actor *a, const struct import *im, char token[IMPORT_TOKEN_SIZE])
{
	*token = 0;
	if (!a->user_id || !permission_allows(&perm_member_edit, a))
		return DJ_FORBIDDEN;
	if (!import_ok(im))
		return DJ_CONFLICT;
	buf content = {0};
	import_batch_text(im, &content);
	char t[IMPORT_TOKEN_SIZE];
	random_token(t, sizeof t, 18);
	int64_t now = now_unix();
	int rc = db_run(d, "DELETE FROM import_batches WHERE created_at < ?", "I", now - IMPORT_BATCH_TTL);
	if (rc == DB_OK)
		rc = db_run(d,
			    "INSERT INTO import_batches (token, user_id, org_id, filename, content, rows, bad_rows, created_at) "
			    "VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
			    "tIIttII", t, a->user_id, im->default_org, im->filename, buf_str(&content), (int64_t)im->rows, now);
	buf_free(&content);
	if (rc != DB_OK)
		return DJ_DB_ERROR;
	memcpy(token, t, sizeof t);
	return DJ_OK;
}

enum dj_result import_batch_load(db *d, const struct actor *a, const char *token, struct import_batch *b)
{
	memset(b, 0, sizeof *b);
	int64_t user_id = 0;
	bool done = false;
	db_stmt *s = db_query(d, "SELECT id, user_id, org_id, filename, content, created_at, done_at FROM import_batches WHERE token = ?", "t",
			      token ? token : "");
	if (db_next(s)) {
		b->id = db_int(s, 0);
		user_id = db_int(s, 1);
		b->org_id = db_int(s, 2);
		snprintf(b->filename, sizeof b->filename, "%s", db_str(s, 3));
		b->content = strdup(db_str(s, 4));
		b->created_at = db_int(s, 5);
		done = !db_isnull(s, 6);
	}
	db_done(s);
	if (!b->id || !a->user_id || user_id != a->user_id) {
		import_batch_free(b);
		memset(b, 0, sizeof *b);
		return DJ_NOT_FOUND;
	}
	b->state = done ? IMPORT_BATCH_DONE : b->created_at + IMPORT_BATCH_TTL < now_unix() ? IMPORT_BATCH_EXPIRED : IMPORT_BATCH_OPEN;
	return DJ_OK;
}

void import_batch_free(struct import_batch *b)
{
	free(b->content);
	b->content = NULL;
}

enum dj_result import_batch_take(db *d, const struct actor *a, int64_t id)
{
	if (db_run(d, "UPDATE import_batches SET done_at = ?, content = '' WHERE id = ? AND user_id = ? AND done_at IS NULL", "III", now_unix(), id,
		   a->user_id) != DB_OK)
		return DJ_DB_ERROR;
	return db_changes(d) == 1 ? DJ_OK : DJ_CONFLICT;
}
