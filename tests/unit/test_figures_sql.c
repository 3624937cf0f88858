/* Unit tests of the figures counted by one SQL statement (figures.h
 * FIGURE_SQL: volunteer, meetings, lessons, theme day, role models, dues,
 * transfers): every one runs on the real schema, its list is its count, its
 * drill-down names it, and amounts in fen come out in whole 元 rounded once
 * on the sum, not per row. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "figures.h"
#include "module.h"
#include "orgs.h"
#include "unit_db.h"

static db *d;
static char path[96];
static int64_t town, cjc, hz;
static void setup(void)
{
	d = unit_db_open("figsql", path);
	int64_t county = orgs_create(d, 0, "XW", "某县委", "county", "");
	town = orgs_create(d, county, "CJZ", "陈集镇党委", "committee", "");
	cjc = orgs_create(d, town, "CJZ-CJC", "陈集村党支部", "branch", "农村");
	hz = orgs_create(d, county, "HZ", "韩庄镇党委", "committee", "");
	cr_assert(cjc > 0 && hz > 0);
}
static void teardown(void) { unit_db_close(d, path); }
TestSuite(figsql, .init = setup, .fini = teardown);

static const char *path_of(int64_t id)
{
	static char p[256];
	db_stmt *s = db_query(d, "SELECT path FROM orgs WHERE id = ?", "I", id);
	cr_assert(db_next(s));
	snprintf(p, sizeof p, "%s", db_str(s, 0));
	db_done(s);
	return p;
}

static void count_rows(void *ctx, const struct figure_record *r)
{
	int64_t *sum = ctx;
	*sum += r->v;
}

Test(figsql, every_sql_figure_runs_and_names_its_list)
{
	struct figure_scope s;
	struct field_errors e = {0};
	cr_assert(figure_scope_set(&s, path_of(town), "CJZ", "2026-01-01", "2026-12-31", 1780000000, &e));
	size_t n, sql = 0;
	const struct figure **all = figures_all(&n);
	for (size_t i = 0; i < n; i++) {
		const struct figure *f = all[i];
		if (!f->sql)
			continue;
		sql++;
		cr_assert(strchr("TDOSE", f->bind) && f->bind, "%s: a known binding", f->key);
		/* every row names the record it opens: a kind with an entity link
		 * (module.h), or '' for records with no page of their own */
		const char *k = strstr(f->sql, " AS kind");
		cr_assert(k && strstr(f->sql, " AS ref "), "%s: its rows name their record (kind, ref)", f->key);
		const char *q = k - 1;
		cr_assert(*q == '\'', "%s: the kind is a literal", f->key);
		const char *q0 = q - 1;
		while (q0 > f->sql && *q0 != '\'')
			q0--;
		char kind[40];
		snprintf(kind, sizeof kind, "%.*s", (int)(q - q0 - 1), q0 + 1);
		cr_assert(!*kind ? !strcmp(f->key, "themeday.practices") : *entity_href_prefix(kind) != 0, "%s: '%s' has an entity link", f->key, kind);
		cr_assert_eq(f->snapshot, f->bind == 'S', "%s: a snapshot binds the path alone", f->key);
		cr_assert_eq(f->count(d, &s), 0, "%s runs on an empty town", f->key);
		int64_t total = -1, rows = -1, sum = 0;
		cr_assert_eq(figure_sql_each(d, f, &s, 10, count_rows, &sum, &total, &rows), DJ_OK, "%s lists", f->key);
		cr_assert_eq(total, 0);
		char href[512], want[128];
		f->href(&s, href, sizeof href);
		snprintf(want, sizeof want, "&figure=%s", f->key);
		cr_assert(!strncmp(href, "/dashboard/records?org=CJZ", 26) && strstr(href, want), "%s: %s", f->key, href);
		cr_assert_eq(strstr(href, "from=") != NULL, !f->snapshot, "%s: %s", f->key, href);
	}
	free(all);
	cr_assert(sql >= 35, "the figures of volunteer, meetings, lessons, theme day, role models, dues, transfers and the bulletin's (%zu)", sql);
}

static int64_t member(int64_t org, const char *name, const char *idn)
{
	int64_t id = db_int1(d, 0,
			     "INSERT INTO members (org_id, name, gender, birth_date, id_number, id_tail, join_date, category, status, created_at, "
			     "updated_at) VALUES (?, ?, '男', '1980-01-01', ?, '0000', '2000-07-01', 'full', 'active', 0, 0) RETURNING id",
			     "Itt", org, name, idn);
	cr_assert(id > 0);
	return id;
}
static void month(int64_t m, int64_t org, const char *ym, int64_t due, int64_t paid, const char *status)
{
	cr_assert_eq(db_run(d,
			    "INSERT INTO dues_months (member_id, org_id, month, category, base_fen, rate_id, due_fen, paid_fen, status, created_at) "
			    "VALUES (?, ?, ?, 'farmer', 0, 1, ?, ?, ?, 0)",
			    "IItIIt", m, org, ym, due, paid, status),
		     DB_OK);
}

Test(figsql, dues_in_yuan_rounded_once_and_members_in_arrears)
{
	int64_t a = member(cjc, "张建国", "110101198001010011"), b = member(cjc, "李秀英", "110101198001010038"),
		c = member(hz, "外镇党员", "110101198001010054");
	/* twelve months of 0.40 元 each: 4.80 元, which rounded per row would be 0 */
	char ym[8];
	for (int i = 1; i <= 12; i++) {
		snprintf(ym, sizeof ym, "2026-%02d", i);
		month(a, cjc, ym, 40, i <= 10 ? 40 : 0, i <= 10 ? "paid" : "owing");
	}
	month(b, cjc, "2026-03", 1250, 0, "owing");
	month(b, cjc, "2025-12", 9900, 0, "owing"); /* before the period */
	month(c, hz, "2026-03", 5000, 0, "owing");  /* another town */
	struct figure_scope s;
	struct field_errors e = {0};
	cr_assert(figure_scope_set(&s, path_of(town), "CJZ", "2026-01-01", "2026-12-31", 1780000000, &e));
	/* due 12 × 40 + 1250 = 1730 fen → 17 元; paid 10 × 40 = 400 → 4; owing 80 + 1250 = 1330 → 13 */
	cr_assert_eq(figure_find("dues.due")->count(d, &s), 17);
	cr_assert_eq(figure_find("dues.paid")->count(d, &s), 4);
	cr_assert_eq(figure_find("dues.owing")->count(d, &s), 13);
	cr_assert_eq(figure_find("dues.arrears")->count(d, &s), 2, "two members of the town owe in the period");
	/* the list: its rows add up to the fen, and their count is shown beside */
	int64_t total = 0, rows = 0, sum = 0;
	cr_assert_eq(figure_sql_each(d, figure_find("dues.due"), &s, 500, count_rows, &sum, &total, &rows), DJ_OK);
	cr_assert_eq(sum, 1730);
	cr_assert_eq(total, 17);
	cr_assert_eq(rows, 13);
	/* 0.50 元 rounds up: one more month of 20 fen makes 1750 → 18 */
	month(b, cjc, "2026-04", 20, 0, "owing");
	cr_assert_eq(figure_find("dues.due")->count(d, &s), 18);
	/* the branch alone; the other town is never counted */
	cr_assert(figure_scope_set(&s, path_of(hz), "HZ", "2026-01-01", "2026-12-31", 1780000000, &e));
	cr_assert_eq(figure_find("dues.due")->count(d, &s), 50);
	cr_assert_eq(figure_find("dues.arrears")->count(d, &s), 1);
}
