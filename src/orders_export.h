/* orders_export — the statistics of the closed loop as .xlsx (issue 10 §11):
 * for an org subtree and a period, a row per branch with every figure beside
 * the subtree's total, and a row per kind of order (需求, 微心愿, 代办 by type,
 * 社情民意), from the same order_stats_compute as the page and the API. */
#ifndef DJ_ORDERS_EXPORT_H
#define DJ_ORDERS_EXPORT_H
#include <stdint.h>

#include "actor.h"
#include "db.h"
#include "result.h"

/* Writes the workbook to path (0600) for the org at org_path inside the
 * actor's subtree, for orders placed in [t0, t1); audited as
 * order.stats_export. DJ_NOT_FOUND outside the subtree, DJ_FORBIDDEN for a
 * role that reads no statistics, DJ_DB_ERROR when the file cannot be written. */
enum dj_result orders_stats_export(db *d, const struct actor *a, int64_t org_id, int64_t t0, int64_t t1, int64_t now, const char *path,
				   struct field_errors *e);

#endif
