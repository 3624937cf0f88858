/* order_stats_memo — the answers of order_stats_compute remembered per
 * process (issue 9: the statistics at 100× Fossil's GROUP BY report). See
 * order_stats_memo.c for what keys an answer and how stale it can be. */
#ifndef DJ_ORDER_STATS_MEMO_H
#define DJ_ORDER_STATS_MEMO_H
#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "orders.h"

/* The database's generation in one statement: the newest audit id,
 * summary_generation's moves and instance. False when it cannot be read
 * (no summary_generation row, a failed read): then nothing is remembered. */
bool order_generation(db *d, int64_t gen[3]);

/* The key of one answer: what it was asked for, and the generation of the
 * figures it was counted at (read by order_stats_memo_key). */
struct order_stats_key {
	char prefix[128], kind[24];
	int64_t t0, t1, now, audit, moves, instance;
	bool median;
};

/* Fills k for (prefix, kind, period, now, median) with the database's
 * generation, read in one statement. False when the answer is not to be
 * remembered (no summary_generation row, a long prefix or kind, a failed read). */
bool order_stats_memo_key(db *d, const char *prefix, const char *kind, int64_t t0, int64_t t1, int64_t now, bool median, struct order_stats_key *k);
/* The answer remembered under k, into st; false when there is none. */
bool order_stats_memo_get(const struct order_stats_key *k, struct order_stats *st);
void order_stats_memo_put(const struct order_stats_key *k, const struct order_stats *st);
/* Forgets every answer (tests). */
void order_stats_memo_clear(void);

#endif
