/* figures — the registry of countable figures (SPEC M11, issue 17): every
 * mechanism lists, in its module record, the figures it can count for an org
 * subtree and a period, each with the console list of exactly the records it
 * counts. The dashboard, its API and .xlsx, the big screen, campaign tasks
 * (M10) and the bulletin all read the same rows, so their numbers agree by
 * construction; tests/e2e/dashboard.test.js walks every registered figure
 * and compares it with its drill-down list. Knows nothing of HTTP. */
#ifndef DJ_FIGURES_H
#define DJ_FIGURES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "valid.h"

/* What a figure is counted over: an org subtree and a period of whole days
 * (Asia/Shanghai), both included. t0/t1 are the Unix times of the start of
 * `from` and of the day after `to`; now: the time "overdue" is judged at. */
#define FIGURE_MEMO_SLOTS 4
#define FIGURE_MEMO_BYTES 1024
struct figure_memo {
	struct {
		char tag[32], path[256];
		int64_t t0, t1;
		size_t n;
		unsigned char data[FIGURE_MEMO_BYTES];
	} slot[FIGURE_MEMO_SLOTS];
	int used, next;
	int64_t gen; /* figure_count's generation, read once per request (-1: not yet) */
};
struct figure_scope {
	const char *org_path; /* "/1/4/": the subtree */
	const char *org_code; /* its code, for the drill-down links */
	char from[11], to[11];
	int64_t t0, t1;
	int64_t now;
	/* what several figures of one module share for one subtree and period
	 * (the order statistics behind six figures), computed once per request:
	 * figure_memo_get/put. memo points at memo_store (set by
	 * figure_scope_set; NULL: nothing kept); a copy of the scope shares it. */
	struct figure_memo *memo;
	struct figure_memo memo_store;
};
/* A module's value for (tag, the scope's subtree and period), copied to out
 * (n bytes): false when not kept yet. */
bool figure_memo_get(const struct figure_scope *s, const char *tag, void *out, size_t n);
void figure_memo_put(const struct figure_scope *s, const char *tag, const void *data, size_t n);

/* What a count returns when the database failed: a sum may be negative
 * (points taken off), so -1 is a number like any other. */
#define FIGURE_FAILED INT64_MIN

/* One figure. count: the number (FIGURE_FAILED when the database failed); href: the
 * console list of exactly the records counted (whose shown count — "共 N"
 * on the list, or "合计 N" for a figure of unit 分 — equals the number).
 * snapshot: the figure is a count of what exists now (members, branches),
 * not of what happened in the period. */
struct figure {
	const char *key;   /* "orders.collected" */
	const char *group; /* the dashboard's group: "诉求办理" */
	const char *label; /* "需求清单" */
	const char *unit;  /* "项" */
	int64_t (*count)(db *d, const struct figure_scope *s);
	void (*href)(const struct figure_scope *s, char *out, size_t n);
	bool snapshot;
	/* Figures counted by one SQL statement (FIGURE_SQL below): the rows
	 * "SELECT at, org, title, detail, v, kind, ref FROM …" (at: a Unix time
	 * or a YYYY-MM-DD text; v: what a row adds, written "1 AS v," for a
	 * count; kind, ref: the entity (module.h entity links) and id of the
	 * record the row opens) whose SUM(v) is the figure; /dashboard/records?figure=KEY lists them. bind: what the
	 * ?s take — 'T' path, t0, t1; 'D' path, from, to (YYYY-MM-DD);
	 * 'O' path, t0, t1, today (YYYY-MM-DD at now);
	 * 'E' path, from, to, today; 'S' path. NULL: none. Unit 元: v is in fen, the figure
	 * the sum rounded to the 元. */
	const char *sql;
	char bind;
};

/* Every registered figure, in the order of modules[] and of each module's
 * rows: a malloc'd array of pointers (free it), *n its length. */
const struct figure **figures_all(size_t *n);
/* The figure with this key, or NULL. */
const struct figure *figure_find(const char *key);
/* The groups in order of first appearance (pointers into the rows); returns how many (≤ max). */
size_t figure_groups(const char **out, size_t max);

/* Fills a scope for the subtree and the period from..to (YYYY-MM-DD, both
 * included). false with e naming "from"/"to" when a date is not a date, from
 * is after to, or the period is longer than FIGURE_MAX_DAYS. */
#define FIGURE_MAX_DAYS (5 * 366)
bool figure_scope_set(struct figure_scope *s, const char *org_path, const char *org_code, const char *from, const char *to, int64_t now,
		      struct field_errors *e);

/* The period presets of the dashboard: key, label pairs, NULL-terminated
 * (month 本月, last_month 上月, quarter 本季度, year 本年, custom 自定义). */
extern const char *const figure_presets[];
/* The dates of a preset at time now (Beijing calendar): this month from its
 * first day to today, last month whole, this quarter and this year from their
 * first day to today. false for custom or an unknown key. */
bool figure_preset_dates(const char *preset, int64_t now, char from[11], char to[11]);

/* Helpers for the rows' href functions: "<path>?org=C&from=F&to=T<extra>". */
void figure_href_period(const struct figure_scope *s, const char *path, const char *extra, char *out, size_t n);
/* "<path>?org=C<extra>" (snapshot figures). */
void figure_href_org(const struct figure_scope *s, const char *path, const char *extra, char *out, size_t n);

/* The figure through the answer cache: what f->count gives, kept per
 * (figure, subtree, period, day of now) in this process for at most
 * FIGURE_CACHE_TTL seconds and only while the database's generation — the
 * newest audit entry's id; every change writes one in its own transaction
 * (audit.h) — is the one it was counted at. So a node answers what another
 * node's write changed on its next request; what no audit entry marks (a
 * concurrent transaction that took an older id and committed later, an
 * overdue deadline passing) shows within the TTL. Every caller outside the
 * figure rows counts through this. */
#define FIGURE_CACHE_TTL 30
int64_t figure_count(db *d, const struct figure *f, const struct figure_scope *s);
/* Empties the cache (tests). */
void figure_cache_clear(void);

/* The count of a FIGURE_SQL figure: SUM(v) of its rows (FIGURE_FAILED on error). */
int64_t figure_sql_count(db *d, const struct figure *f, const struct figure_scope *s);
/* Whether its rows add amounts (v other than 1: hours, fen, audience). */
bool figure_sql_sums(const struct figure *f);
/* Its rows, newest first, at most limit; *total the figure, *rows the count of rows. */
struct figure_record {
	const char *at, *org, *title, *detail;
	int64_t v;
	const char *kind; /* the entity the row links to ("meeting") … */
	int64_t ref;      /* … and its id: entity_href_prefix(kind) + ref */
};
enum dj_result figure_sql_each(db *d, const struct figure *f, const struct figure_scope *s, int64_t limit,
			       void (*fn)(void *ctx, const struct figure_record *r), void *ctx, int64_t *total, int64_t *rows);

/* A figure counted by SQL: defines NAME (the count) and NAME_href (the
 * drill-down /dashboard/records?figure=KEY), for the row
 * {KEY, group, label, unit, NAME, NAME_href, snapshot, SQL, BIND}. */
#define FIGURE_SQL(NAME, KEY)                                                                                         \
	static int64_t NAME(db *d, const struct figure_scope *s) { return figure_sql_count(d, figure_find(KEY), s); } \
	static void NAME##_href(const struct figure_scope *s, char *out, size_t n)                                    \
	{                                                                                                             \
		const struct figure *f_ = figure_find(KEY);                                                           \
		if (f_ && f_->bind == 'S')                                                                            \
			figure_href_org(s, "/dashboard/records", "&figure=" KEY, out, n);                             \
		else                                                                                                  \
			figure_href_period(s, "/dashboard/records", "&figure=" KEY, out, n);                          \
	}

#endif
