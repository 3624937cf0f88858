/* demo — a realistic town to try the system with (SPEC §3 `dangjian demo`). */
#ifndef DJ_DEMO_H
#define DJ_DEMO_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "db.h"

#define DEMO_PASSWORD "Demo2026"
/* Fills an empty database; prints the logins to out. Returns 0 on success. */
int demo_fill(db *d, FILE *out);
/* The roster of the demo town, inside demo_fill's transaction. */
int demo_members(db *d, FILE *out);
/* Grids, households and three months of orders, inside the same transaction. */
int demo_orders(db *d, FILE *out);
/* Accounts of a few roster members of 西街村 (issue 10 §1), activated with
 * the demo password: they log in by mobile number. After the orders, so
 * that those stay as they were. */
int demo_member_accounts(db *d, FILE *out);

/* The window of the demo town's records (every demo_*.c but the county's):
 * the current month and the eleven before — twelve in December, so that the
 * window always holds last year's December and last year, the one the branch
 * assessment rates with stars, ends with a month of every module's records
 * (outside December it holds that December and more). Months are Beijing's. */
int demo_window_months(int64_t now); /* 12; 13 in December */
/* The window's month i (0: the first, demo_window_months - 1: the current), YYYY-MM. */
void demo_window_month(int64_t now, int i, char out[8]);
/* The first day of the window, 00:00 Beijing time, and the whole days from it to now. */
int64_t demo_window_start(int64_t now);
int demo_window_days(int64_t now);
/* The town's model branch: 陈集村, last year's 优秀党支部 and 先进基层党组织,
 * whose records (every 主题党日 part done, most members serving each month,
 * a lesson a month) earn it 5 星 — through assess.c's reading of them. */
#define DEMO_MODEL_BRANCH "CJZ-CJC"

/* The county and province scales (demo_county.c). */
struct demo_opts {
	int counties;      /* 1: a county; 10: a province */
	int towns;         /* per county (20) */
	int years;         /* of orders (3) */
	int64_t members;   /* in all; -1: 15,000 a town */
	int64_t orders;    /* in all; -1: 50,000 a town */
	int64_t seed;      /* the same seed (and clock) gives the same database */
	int record_months; /* of the other mechanisms' records, back from now (12) */
	bool via_rules;    /* every record through the domain functions (slow; to compare) */
};
/* Fills o with the sizes of "county" or "province"; -1 for another name. */
int demo_scale_opts(const char *scale, struct demo_opts *o);
/* Fills an empty database with a generated county or province; 0 on success. */
int demo_fill_scale(db *d, struct demo_opts *o, FILE *out);

#endif
