/* assess — branch assessment (SPEC M8, issue 16, seed 004): 月检查、月通报、
 * 季考核、评星定级. The monthly check of a branch is computed from the records
 * of the other mechanisms every time it is asked for, never typed: each item
 * of the rules has a source (one function per key in assess.c's item table),
 * a weight and a scoring rule, in versions the committee configures. The
 * monthly bulletin is generated from the same figures and frozen when
 * published; the quarterly score, the yearly star rating (with its five-star
 * quota) and the excellent branches are here too. Pages and API: assess_web.c.
 *
 * Scores are integers in hundredths (9050 = 90.50 points). */
#ifndef DJ_ASSESS_H
#define DJ_ASSESS_H
#include <stdbool.h>
#include <stdint.h>

#include "actor.h"
#include "db.h"
#include "permission.h"
#include "result.h"
#include "valid.h"

/* Permission rows: configure the rules, publish bulletins and ratings, add
 * evaluation items and designate excellent branches. */
extern const struct permission perm_assess_manage;

#define ASSESS_ITEMS 9

/* An item of the check: its key (the source), label, unit of its measure. */
struct assess_item_def {
	const char *key, *label;
	bool linked; /* false: its mechanism is not on main yet: always 暂无数据 */
};
extern const struct assess_item_def assess_item_defs[ASSESS_ITEMS];
const struct assess_item_def *assess_item_def(const char *key);

/* A version of the rules (assess_versions + its assess_items). */
struct assess_rules {
	int64_t id;
	char valid_from[16], note[256];
	int n;
	struct {
		char item[24], rule[12];
		int64_t weight, full;
	} item[ASSESS_ITEMS];
	int64_t q_w[3];
	int64_t basic_pct, eval_pct, cut[4], quota5; /* cut: 5, 4, 3, 2 stars */
};
/* The version in force in month YYYY-MM (false: none, or the db failed). */
bool assess_rules_for(db *d, const char *month, struct assess_rules *r);
/* Every version, newest first. */
void assess_rules_each(db *d, void (*fn)(void *ctx, const struct assess_rules *r), void *ctx);
/* Validates r (weights sum to 100, known items and rules, full > 0, month
 * weights, basic + eval = 100, cut-offs descending within 0..100, quota
 * 0..100) and stores it as a new version from r->valid_from
 * (assess.rules). Fields: valid_from, items, weight, q_w, basic_pct,
 * cutoffs, quota5. */
enum dj_result assess_rules_save(db *d, const struct actor *a, const struct assess_rules *r, int64_t now, int64_t *id_out, struct field_errors *e);

/* One item's outcome for a branch and month. */
struct assess_score {
	char item[24];
	bool has_data;
	int64_t num, den;    /* the measure's fraction (records counted) */
	int64_t measure;     /* in hundredths of the unit (percent or points) */
	int64_t weight, got; /* got: hundredths of a point */
	bool not_assessed;   /* drill-down: the month is before the branch entered the system */
};
struct assess_check {
	int64_t org_id;
	char org_code[64], org_name[168], org_path[256], org_kind[24];
	int n;
	struct assess_score s[ASSESS_ITEMS];
	int64_t weight_with_data; /* the weights of the items with data */
	bool has_score;
	int64_t score; /* hundredths of 100: Σ got × 100 / weight_with_data */
	int rank;      /* 1-based, by score (ties share no rank: see assess.c); 0: not ranked */
	/* 未纳入考核: the month is before the branch's first month
	 * (assess_month_in_scope): no items (n = 0), no score, not ranked,
	 * listed after the ranked ones. */
	bool not_assessed;
	char start[16]; /* the branch's first month, YYYY-MM */
};
/* A branch is assessed from the month it entered the system: the month (Asia/
 * Shanghai) of orgs.created_at, inclusive. Months before it are 未纳入考核
 * (not 0 points: there were no records to be had). Pure. */
void assess_start_month(int64_t entered_at, char out[16]);
bool assess_month_in_scope(int64_t entered_at, const char *month);
/* Scores one item: linear / threshold against full, on the measure. */
int64_t assess_item_points(const char *rule, int64_t weight, int64_t full, int64_t measure);
/* The monthly check of every 党支部 under prefix (inside the actor's
 * subtree; NULL: the actor's) for month YYYY-MM, ranked. *out is malloc'd. */
enum dj_result assess_month(db *d, const struct actor *a, const char *prefix, const char *month, int64_t now, struct assess_check **out, size_t *n,
			    struct assess_rules *rules, struct field_errors *e);

/* A record behind an item's score (drill-down). */
struct assess_record {
	const char *kind; /* order, plan, member … */
	int64_t id;
	const char *title, *href, *detail;
	bool counts; /* counted in the numerator (on time, done …) */
};
/* The records behind one item of a branch's month. */
enum dj_result assess_drill(db *d, const struct actor *a, int64_t org_id, const char *month, const char *item, int64_t now,
			    void (*fn)(void *ctx, const struct assess_record *r), void *ctx, struct assess_score *score, struct field_errors *e);

/* ---- the bulletin ---- */
/* The counts the bulletin's sentences carry, for a committee's subtree and month. */
#define ASSESS_FIGURES 16
extern const char *const assess_figure_keys[ASSESS_FIGURES];
struct assess_bulletin {
	int64_t id, org_id, version, rules_version_id, published_at;
	char org_name[168], month[16], publisher[200];
	char *summary, *remarks; /* malloc'd */
	int64_t fig[ASSESS_FIGURES];
	size_t n;
	struct assess_brow {
		int64_t org_id, rank;
		bool has_score;
		int64_t score;
		char org_name[168], items[400];
	} * rows; /* malloc'd */
};
void assess_bulletin_free(struct assess_bulletin *b);
/* The draft of a committee's month: the figures, the ranked table, the
 * summary from them (with 环比 and 同比 where the previous month's or the
 * same month last year's bulletin was published). org_id: a committee inside the actor's subtree (0: the actor's org). */
enum dj_result assess_bulletin_draft(db *d, const struct actor *a, int64_t org_id, const char *month, int64_t now, struct assess_bulletin *b,
				     struct field_errors *e);
/* Publishes the month (bulletin.publish): only an ended month; a new
 * version each time, the figures frozen with it. */
enum dj_result assess_bulletin_publish(db *d, const struct actor *a, int64_t org_id, const char *month, const char *remarks, int64_t now, int64_t *id_out,
				       struct field_errors *e);
/* A published bulletin the actor may read (its committee is the actor's, above or inside its subtree). */
enum dj_result assess_bulletin_load(db *d, const struct actor *a, int64_t id, struct assess_bulletin *b);
/* A published bulletin cannot be changed: always DJ_CONFLICT (or NOT_FOUND). */
enum dj_result assess_bulletin_edit(db *d, const struct actor *a, int64_t id, struct field_errors *e);
/* The published bulletins the actor may read, newest first. */
void assess_bulletins_each(db *d, const struct actor *a, void (*fn)(void *ctx, const struct assess_bulletin *b), void *ctx);
/* The bulletin as a PDF (libharu, WenQuanYi Zen Hei) and its table as .xlsx at path. */
enum dj_result assess_bulletin_pdf(const struct assess_bulletin *b, const char *path, struct field_errors *e);
enum dj_result assess_bulletin_xlsx(const struct assess_bulletin *b, const char *path, struct field_errors *e);
/* The rendered summary sentence(s) of a draft/bulletin, written into b->summary. */
/* prev: the previous month's published figures (环比), yoy: the same month's
 * a year before (同比); NULL when there is none. */
void assess_summary(const struct assess_bulletin *b, const int64_t *prev, const int64_t *yoy, char **out);

/* ---- evaluation items, quarters, stars, excellent branches ---- */
/* kind: bonus | deduction (a quarter YYYY-Qn or a year YYYY) | evaluation (a
 * year, 0..100): by the committee only (a branch changing its own score:
 * DJ_FORBIDDEN). */
enum dj_result assess_evaluation_add(db *d, const struct actor *a, int64_t org_id, const char *period, const char *kind, int64_t points, const char *note,
				     int64_t now, struct field_errors *e);
struct assess_period_row {
	int64_t org_id;
	char org_code[64], org_name[168];
	int64_t month[3]; /* monthly scores (-1: no score, -2: 未纳入考核) */
	int64_t base;     /* hundredths */
	int64_t bonus, deduction, evaluation;
	int64_t total;
	int rank, stars; /* 0 when not_assessed */
	bool capped;
	bool not_assessed; /* no month of the period counts (the branch entered the system later): not ranked, no stars */
};
/* The quarter YYYY-Qn: Σ month score × weight / Σ weight (months without a
 * score leave out their weight) + bonuses − deductions (points), within 0..100; ranked. */
enum dj_result assess_quarter(db *d, const struct actor *a, const char *prefix, const char *quarter, int64_t now, struct assess_period_row **out,
			      size_t *n, struct field_errors *e);
/* The year: basic = the mean of the year's quarterly scores; total = (basic
 * − deductions) × basic% + evaluation × eval%; stars by cut-offs, the quota
 * applied (assess_stars_assign). */
enum dj_result assess_year(db *d, const struct actor *a, const char *prefix, int year, int64_t now, struct assess_period_row **out, size_t *n,
			   struct assess_rules *rules, struct field_errors *e);
/* Ranks rows by total (ties: the higher basic score, then the lower org
 * code) and gives stars by the cut-offs, at most floor(n × quota5 / 100) five
 * stars; those above cut5 past the quota get four (capped). Pure. */
void assess_stars_assign(struct assess_period_row *rows, size_t n, const struct assess_rules *r);
/* Publishes the year's rating (stars.publish): a new version of every row. */
enum dj_result assess_stars_publish(db *d, const struct actor *a, int year, int64_t now, int64_t *version_out, struct field_errors *e);
struct assess_star_row {
	int64_t org_id, year, version, total, stars, rank;
	char org_name[168];
	int change; /* against the year before: +1 up, -1 down, 0 same or none */
	bool has_prev;
};
/* A branch's history of published ratings (the latest version of each year), oldest first. */
enum dj_result assess_star_history(db *d, const struct actor *a, int64_t org_id, void (*fn)(void *ctx, const struct assess_star_row *r), void *ctx);
/* A branch's place in the published bulletins (the latest version of each
 * month), newest first: month, rank, of how many, score. */
struct assess_rank_row {
	char month[16];
	int64_t bulletin_id, rank, of, score;
	bool has_score;
};
enum dj_result assess_rank_history(db *d, const struct actor *a, int64_t org_id, void (*fn)(void *ctx, const struct assess_rank_row *r), void *ctx);
/* 优秀党支部 (excellent.designate). */
enum dj_result assess_excellent_add(db *d, const struct actor *a, int64_t org_id, const char *period, const char *note, int64_t now,
				    struct field_errors *e);
struct assess_excellent_row {
	int64_t org_id;
	char org_name[168], period[12], note[256];
};
void assess_excellent_each(db *d, const struct actor *a, const char *period_prefix, void (*fn)(void *ctx, const struct assess_excellent_row *r), void *ctx,
			   int64_t *count);

/* what the dashboard counts of this mechanism (assess_figures.c, SPEC M11):
 * the excellent branches designated in the period */
#include "figures.h"
#define ASSESS_DASH_FIGURES_N 1
extern const struct figure assess_figures[ASSESS_DASH_FIGURES_N];

/* Month helpers: whether YYYY-MM is valid; its [t0, t1) in Asia/Shanghai;
 * the month before; the current month of now. */
bool assess_month_bounds(const char *month, int64_t *t0, int64_t *t1);
void assess_month_prev(const char *month, char out[16]);
void assess_month_of(int64_t now, char out[16]);

#endif
