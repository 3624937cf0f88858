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

/* A new order: collected and open, in its org's row of its day. */
int order_summary_created(db *d, int64_t org_id, int64_t placed, const char *kind) DB_MUST_CHECK;

/* A transition of order o (as it was read) by `action` to state `to`, now
 * held by new_org: the old contribution out and the new one in; one upsert
 * of the difference, two when the org changes (dispatch), none when no
 * figure moves (remind, add_info, start, assign). close_reason: the one the
 * action sets, or NULL; rating: the one confirm gives. */
struct order;
int order_summary_step(db *d, const struct order *o, const char *action, const char *to, int64_t new_org, const char *close_reason,
		       int rating) DB_MUST_CHECK;

/* Recounts the whole summary from the orders (the bulk county generator,
 * which writes orders without the domain functions). Returns DB_OK or not. */
int order_summary_rebuild(db *d) DB_MUST_CHECK;

/* Compares the summary with a recount from the orders and prints every
 * (org, day, kind) that differs to out, both versions. Returns how many
 * differ, or -1 when the database failed. */
int order_summary_check(db *d, FILE *out);

/* The day (Unix time of its start in Asia/Shanghai) a time falls in: the
 * summary's day column. */
int64_t order_summary_day(int64_t t);

#endif
