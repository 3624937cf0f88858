/* order_summary — the figures of /stats/orders kept per org, day and kind
 * (issue 9 §2): what became of the orders PLACED that day that the org holds
 * now. Maintained in the transaction of every order_create and
 * order_transition; recounted from the orders by `dangjian check`. */
#ifndef DJ_ORDER_SUMMARY_H
#define DJ_ORDER_SUMMARY_H
#include <stdint.h>
#include <stdio.h>

#include "db.h"

/* Adds (sign +1) or takes away (sign -1) the order's contribution as its row
 * and history stand now: order_transition takes it away before its UPDATE and
 * adds it back after the history row, so the figures move with the state and
 * a dispatch moves them to the new org. Returns db_run's status. */
int order_summary_apply(db *d, int64_t order_id, int sign) DB_MUST_CHECK;

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
