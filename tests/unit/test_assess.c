/* Unit tests: branch assessment (issue 16) — the five-star quota (10
 * branches above 90: exactly 3 five stars, the rest four; the quota as
 * configured; ties broken by the basic score, then the org code), the
 * cut-offs, the scoring rules of an item, the bulletin's sentences (no "0项"
 * clause, 环比 only with a previous bulletin), the month helpers, and the
 * default rules in the migration (weights sum to 100, every item known). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess.h"
#include "unit_db.h"

static struct assess_rules defaults(void)
{
	struct assess_rules r = {0};
	r.basic_pct = 70, r.eval_pct = 30, r.quota5 = 30;
	r.cut[0] = 90, r.cut[1] = 80, r.cut[2] = 70, r.cut[3] = 60;
	return r;
}

static void fill(struct assess_period_row *v, size_t n, const int64_t *totals)
{
	memset(v, 0, n * sizeof *v);
	for (size_t i = 0; i < n; i++) {
		snprintf(v[i].org_code, sizeof v[i].org_code, "B%02zu", i);
		v[i].total = totals[i];
		v[i].base = totals[i];
	}
}

static int count_stars(const struct assess_period_row *v, size_t n, int stars)
{
	int c = 0;
	for (size_t i = 0; i < n; i++)
		c += v[i].stars == stars;
	return c;
}

Test(assess, quota_ten_above_ninety)
{
	struct assess_period_row v[10];
	int64_t t[10] = {9100, 9900, 9500, 9050, 9300, 9800, 9000, 9200, 9600, 9400};
	fill(v, 10, t);
	struct assess_rules r = defaults();
	assess_stars_assign(v, 10, &r);
	cr_assert_eq(count_stars(v, 10, 5), 3);
	cr_assert_eq(count_stars(v, 10, 4), 7);
	/* the three best, in order; the capped ones say so */
	cr_assert_eq(v[0].total, 9900);
	cr_assert_eq(v[1].total, 9800);
	cr_assert_eq(v[2].total, 9600);
	for (int i = 0; i < 3; i++)
		cr_assert(!v[i].capped && v[i].stars == 5 && v[i].rank == i + 1);
	for (int i = 3; i < 10; i++)
		cr_assert(v[i].capped && v[i].stars == 4, "rank %d", i + 1);
}

Test(assess, quota_as_configured)
{
	struct assess_period_row v[10];
	int64_t t[10] = {9100, 9900, 9500, 9050, 9300, 9800, 9000, 9200, 9600, 9400};
	struct assess_rules r = defaults();
	r.quota5 = 50;
	fill(v, 10, t);
	assess_stars_assign(v, 10, &r);
	cr_assert_eq(count_stars(v, 10, 5), 5);
	r.quota5 = 0;
	fill(v, 10, t);
	assess_stars_assign(v, 10, &r);
	cr_assert_eq(count_stars(v, 10, 5), 0);
	cr_assert_eq(count_stars(v, 10, 4), 10);
	/* 7 branches, 30%: floor(2.1) = 2 */
	r.quota5 = 30;
	fill(v, 7, t);
	assess_stars_assign(v, 7, &r);
	cr_assert_eq(count_stars(v, 7, 5), 2);
}

Test(assess, ties_at_the_quota)
{
	/* four branches tie at 95.00 for three places: the higher basic score
	 * first, then the lower org code */
	struct assess_period_row v[10];
	int64_t t[10] = {9500, 9500, 9500, 9500, 9100, 9100, 9100, 9100, 9100, 9100};
	fill(v, 10, t);
	v[0].base = 9000, v[1].base = 9400, v[2].base = 9400, v[3].base = 9600;
	struct assess_rules r = defaults();
	assess_stars_assign(v, 10, &r);
	cr_assert_str_eq(v[0].org_code, "B03"); /* basic 96 */
	cr_assert_str_eq(v[1].org_code, "B01"); /* basic 94, code B01 before B02 */
	cr_assert_str_eq(v[2].org_code, "B02");
	cr_assert_str_eq(v[3].org_code, "B00");
	cr_assert_eq(v[2].stars, 5);
	cr_assert_eq(v[3].stars, 4);
	cr_assert(v[3].capped);
}

Test(assess, cutoffs)
{
	struct assess_period_row v[6];
	int64_t t[6] = {9000, 8999, 8000, 7000, 6000, 5999};
	fill(v, 6, t);
	struct assess_rules r = defaults();
	r.quota5 = 100;
	assess_stars_assign(v, 6, &r);
	int want[6] = {5, 4, 4, 3, 2, 1};
	for (int i = 0; i < 6; i++)
		cr_assert_eq(v[i].stars, want[i], "total %lld", (long long)v[i].total);
}

Test(assess, item_rules)
{
	/* linear: weight × measure / full, capped at the weight (hundredths) */
	cr_assert_eq(assess_item_points("linear", 10, 100, 6667), 667);
	cr_assert_eq(assess_item_points("linear", 10, 100, 10000), 1000);
	cr_assert_eq(assess_item_points("linear", 10, 10, 2000), 1000); /* 20 points per member against 10: full */
	cr_assert_eq(assess_item_points("linear", 10, 10, -596), 0);    /* points lost to absences: nothing, never below */
	cr_assert_eq(assess_item_points("linear", 10, 10, 500), 500);
	cr_assert_eq(assess_item_points("linear", 15, 100, 0), 0);
	/* threshold: all or nothing */
	cr_assert_eq(assess_item_points("threshold", 10, 90, 8999), 0);
	cr_assert_eq(assess_item_points("threshold", 10, 90, 9000), 1000);
}

Test(assess, sentences)
{
	struct assess_bulletin b = {0};
	snprintf(b.month, sizeof b.month, "2030-03");
	int64_t f[ASSESS_FIGURES] = {69, 46, 23, 0, 0, 2, 0, 13, 0, 0};
	memcpy(b.fig, f, sizeof f);
	char *s = NULL;
	assess_summary(&b, NULL, NULL, &s);
	cr_assert(strstr(s, "各支部共收集需求清单69项，支部有效解决及时销单46项，向上反馈23项"), "%s", s);
	cr_assert(strstr(s, "开展主题实践活动2次"), "%s", s);
	cr_assert_null(strstr(s, "微党课"), "no sentence for an empty item: %s", s);
	cr_assert_null(strstr(s, "环比"), "%s", s);
	free(s);
	int64_t prev[ASSESS_FIGURES] = {60, 46, 30, 0, 0, 0, 0, 13, 0, 0};
	assess_summary(&b, prev, NULL, &s);
	cr_assert(strstr(s, "收集需求清单69项（环比增加9项）"), "%s", s);
	cr_assert(strstr(s, "及时销单46项（环比持平）"), "%s", s);
	cr_assert(strstr(s, "向上反馈23项（环比减少7项）"), "%s", s);
	free(s);
	int64_t yoy[ASSESS_FIGURES] = {50, 50, 0, 0, 0, 2, 0, 13, 0, 0};
	assess_summary(&b, prev, yoy, &s);
	cr_assert(strstr(s, "收集需求清单69项（环比增加9项，同比增加19项）"), "%s", s);
	cr_assert(strstr(s, "开展主题实践活动2次（环比增加2次，同比持平）"), "%s", s);
	free(s);
	assess_summary(&b, NULL, yoy, &s);
	cr_assert(strstr(s, "向上反馈23项（同比增加23项）"), "%s", s);
	free(s);
	memset(b.fig, 0, sizeof b.fig);
	assess_summary(&b, NULL, NULL, &s);
	cr_assert(strstr(s, "暂无可通报"), "%s", s);
	free(s);
}

Test(assess, months)
{
	int64_t t0, t1;
	cr_assert(assess_month_bounds("2030-12", &t0, &t1));
	cr_assert_eq(t0, (int64_t)1922313600 - 8 * 3600); /* 2030-12-01 00:00 Shanghai */
	cr_assert_eq(t1 - t0, 31 * 86400);
	cr_assert(!assess_month_bounds("2030-13", &t0, &t1));
	cr_assert(!assess_month_bounds("2030-1", &t0, &t1));
	char p[16];
	assess_month_prev("2030-01", p);
	cr_assert_str_eq(p, "2029-12");
	assess_month_of(t1 - 1, p);
	cr_assert_str_eq(p, "2030-12");
}

Test(assess, default_rules)
{
	char path[96];
	db *d = unit_db_open("assess", path);
	struct assess_rules r;
	cr_assert(assess_rules_for(d, "2030-03", &r));
	int64_t sum = 0;
	for (int i = 0; i < r.n; i++) {
		cr_assert_not_null(assess_item_def(r.item[i].item), "%s", r.item[i].item);
		cr_assert_str_eq(r.item[i].item, assess_item_defs[i].key, "in the order of the item table");
		sum += r.item[i].weight;
	}
	cr_assert_eq(r.n, ASSESS_ITEMS);
	cr_assert_eq(sum, 100);
	cr_assert_eq(r.quota5, 30);
	cr_assert_eq(r.cut[0], 90);
	unit_db_close(d, path);
}

/* A branch is assessed from the month (Asia/Shanghai) it entered the system,
 * inclusive: the months before are 未纳入考核. */
Test(assess, month_in_scope)
{
	int64_t t0, t1;
	cr_assert(assess_month_bounds("2025-12", &t0, &t1));
	char start[16];
	assess_start_month(t0, start);
	cr_assert_str_eq(start, "2025-12");
	/* 1 December 00:00 Beijing time is still 30 November in UTC */
	cr_assert(assess_month_in_scope(t0, "2025-12"));
	cr_assert(assess_month_in_scope(t0, "2026-01"));
	cr_assert(assess_month_in_scope(t0, "2027-03"));
	cr_assert_not(assess_month_in_scope(t0, "2025-11"));
	cr_assert_not(assess_month_in_scope(t0, "2025-10"));
	cr_assert_not(assess_month_in_scope(t0, "2024-12"));
	/* entered on the last second of December: December counts, in full */
	cr_assert(assess_month_in_scope(t1 - 1, "2025-12"));
	cr_assert_not(assess_month_in_scope(t1, "2025-12"));
	assess_start_month(t1, start);
	cr_assert_str_eq(start, "2026-01");
}

/* Branches not in the system that year get no stars and no rank and do not
 * count towards the five-star quota. */
Test(assess, stars_skip_not_assessed)
{
	struct assess_rules r = defaults();
	int64_t totals[10] = {9500, 9400, 9300, 9200, 9100, 9050, 0, 0, 0, 0};
	struct assess_period_row v[10];
	fill(v, 10, totals);
	for (int i = 6; i < 10; i++)
		v[i].not_assessed = true;
	assess_stars_assign(v, 10, &r);
	/* 6 rated: floor(6 × 30%) = 1 five-star */
	cr_assert_eq(count_stars(v, 10, 5), 1);
	cr_assert_eq(count_stars(v, 10, 4), 5);
	cr_assert_eq(count_stars(v, 10, 0), 4);
	for (int i = 0; i < 10; i++) {
		if (v[i].not_assessed)
			cr_assert(v[i].rank == 0 && v[i].stars == 0 && i >= 6, "unrated last, no rank");
		else
			cr_assert_eq(v[i].rank, i + 1);
	}
}
