/* orders_export — the filtered order list, and the statistics of the closed loop, as .xlsx (issue 10 §11).
 * The statistics:
 * for an org subtree and a period, a row per branch with every figure beside
 * the subtree's total, and a row per kind of order (需求, 微心愿, 代办 by type,
 * 社情民意), from the same order_stats_compute as the page and the API. */
#ifndef DJ_ORDERS_EXPORT_H
#define DJ_ORDERS_EXPORT_H
#include <stdint.h>

#include "actor.h"
#include "db.h"
#include "orders.h"
#include "result.h"

/* Writes the workbook to path (0600) for the org at org_path inside the
 * actor's subtree, for orders placed in [t0, t1); audited as
 * order.stats_export. DJ_NOT_FOUND outside the subtree, DJ_FORBIDDEN for a
 * role that reads no statistics, DJ_DB_ERROR when the file cannot be written. */
enum dj_result orders_stats_export(db *d, const struct actor *a, int64_t org_id, int64_t t0, int64_t t1, int64_t now, const char *path,
				   struct field_errors *e);

/* The filtered order list to .xlsx (issue 10 §11): every row order_list
 * gives the actor for this filter (its visibility, filters, search and sort;
 * f->limit, offset and before are ignored), read in bounded batches and
 * written as they come (libxlsxwriter's constant memory mode), at most
 * ORDER_EXPORT_CAP rows: more is DJ_INVALID with a message asking for a
 * narrower filter, nothing written. Phones are masked; with full, a row shows
 * the whole phone and the address where the actor may reveal them (§4:
 * order_contact_allowed), and the export is audited a second time as
 * order.list_export_full with how many. Audited as order.list_export with
 * the filter and the row count; *rows gets the count. */
#define ORDER_EXPORT_CAP ORDER_COUNT_CAP
#define ORDER_EXPORT_BATCH 50 /* the demo town (96 orders) reads in two batches or more */
enum dj_result orders_list_export(db *d, const struct actor *a, const struct order_filter *f, bool full, int64_t now, const char *path, int *rows,
				  struct field_errors *e);

#endif
