/* order_summary — the figures of /stats/orders kept per org, day and kind
 * (issue 9 §2): what became of the orders PLACED that day that the org holds
 * now. Maintained in the transaction of every order_create and
 * order_transition; recounted from the orders by `dangjian check`. */
#ifndef DJ_ORDER_SUMMARY_H
#define DJ_ORDER_SUMMARY_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "db.h"

#define ORDER_SUMMARY_FIGURES 16

/* One order's contribution to its row, from the order's columns, in the
 * column order of the table (collected … rating_sum). accepted: it was ever
 * accepted or claimed. Dispatched is level = 'committee' (only a dispatch
 * sets it). The same definitions as the recount's SQL in order_summary.c,
 * which `dangjian check` compares with. */
void order_summary_figures(const char *state, bool escalated, const char *close_reason, int rating, const char *level, bool accepted,
			   int64_t v[ORDER_SUMMARY_FIGURES]);

/* Adds v to the row (org, day of `placed`, kind), creating it. One statement,
 * no read of the orders. Returns db_run's status. */
int order_summary_add(db *d, int64_t org_id, int64_t placed, const char *kind, const int64_t v[ORDER_SUMMARY_FIGURES]) DB_MUST_CHECK;

/* The SQLite writer's group commit (server.c): on the thread that calls
 * order_summary_defer(true), order_summary_add (so order_summary_created
 * and order_summary_step) collects its increments in memory instead of
 * writing them; order_summary_defer_flush writes them, merged into one
 * upsert (and one rollup upsert) per (org, day, kind), in the batch's
 * transaction before its COMMIT. Between the requests of a batch the writer
 * calls _keep when the request's savepoint was released (its increments go
 * with the batch) and _drop when it was rolled back to (they are gone with
 * its work); _clear forgets everything (the batch rolled back). Nothing in a
 * write request reads order_summary or order_rollup (the statistics, the
 * lists' totals and /metrics are reads, on other connections, which see only
 * committed batches). PostgreSQL has no writer: every order writes its own
 * increments, as on SQLite outside the writer (the CLI, the tasks).
 * order_summary_defer(false) ends it and frees the thread's memory. */
void order_summary_defer(bool on);
void order_summary_defer_keep(void);
void order_summary_defer_drop(void);
void order_summary_defer_clear(void);
int order_summary_defer_flush(db *d) DB_MUST_CHECK;

/* A new order: collected and open, in its org's row of its day. */
int order_summary_created(db *d, int64_t org_id, int64_t placed, const char *kind) DB_MUST_CHECK;

/* A transition of order o (as it was read) by `action` to state `to`, now
 * held by new_org: the old contribution out and the new one in; one upsert
 * of the difference, two when the org changes (dispatch), none when no
 * figure moves (remind, add_info, start, assign). close_reason: the one the
 * action sets, or NULL; rating: the one confirm gives. */
struct order;
int order_summary_step(db *d, const struct order *o, const char *action, const char *to, int64_t new_org, const char *close_reason, int rating,
		       int64_t now) DB_MUST_CHECK;

/* Recounts the whole summary (and the rollups, the histogram) from the orders (the bulk county generator,
 * which writes orders without the domain functions). Returns DB_OK or not. */
int order_summary_rebuild(db *d) DB_MUST_CHECK;

/* Compares the summary with a recount from the orders and prints every
 * (org, day, kind) that differs to out, both versions; the same for the
 * subtree rollups (recounted from the summary added up per ancestor and
 * month) and the histogram of times to close (recounted from the closed
 * orders). Returns how many rows differ, or -1 when the database failed. */
int order_summary_check(db *d, FILE *out);

/* The day (Unix time of its start in Asia/Shanghai) a time falls in: the
 * summary's day column. */
int64_t order_summary_day(int64_t t);
/* The month (Unix time of its first day's start in Asia/Shanghai) a time
 * falls in, and the month after a month's start: order_rollup's 'm' rows. */
int64_t order_summary_month(int64_t t);
int64_t order_summary_next_month(int64_t month);

/* org_id has moved (its parent_id and paths changed) from under old_parent:
 * its subtree's rollup rows are taken out of the old ancestors' and added to
 * the new ones' (org_move, in its transaction). */
int order_rollup_move(db *d, int64_t org_id, int64_t old_parent, int64_t new_parent) DB_MUST_CHECK;

/* Statistics of a subtree read from order_rollup and order_close_hist
 * (issue 9 §2): the figures summed over the period's months and its edge
 * days, the median time to close (hours) found in the histogram and read
 * exactly from the orders of its hour. prefix is an org's path, or "/" (every
 * root). False when prefix names no org (the caller counts otherwise). */
/* A subtree's paths as a range: "/1/4/" covers ["/1/4/", "/1/40") (paths
 * are digits and '/'), the orgs ORDER_SUBTREE_ORGS lists with lo, hi bound
 * (the index on orgs.path; a LIKE with a bound prefix reads every org). */
void order_path_range(const char *prefix, char lo[256], char hi[256]);
#define ORDER_SUBTREE_ORGS "(SELECT id FROM orgs WHERE path >= ? AND path < ?)"

struct order_rollup_figures {
	int64_t v[ORDER_SUMMARY_FIGURES];
	double median_hours; /* with kind NULL only */
	bool whole;          /* the subtree is every org: the orders need no subtree filter */
};
bool order_rollup_read(db *d, const char *prefix, const char *kind, int64_t t0, int64_t t1, struct order_rollup_figures *f);

#endif
