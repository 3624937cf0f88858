/* order_stats_memo — see order_stats_memo.h.
 *
 * An answer of order_stats_compute (the statistics API and page, the
 * dashboard's order figures) is remembered per (database instance, subtree,
 * kind, period, second of the clock) and used only while the database's
 * generation is the one it was counted at: the newest audit id (every change
 * of an order, an org or a user writes an audit entry in its own
 * transaction, audit.h) and summary_generation.moves (raised by an org move
 * and by a rebuild of the summaries, which the county generator runs without
 * audit entries). Both are read from the shared database in one statement per
 * request, so a change made on another node shows on the next request of
 * every node. The overdue figure depends on the clock as well: the second is
 * part of the key, so an order passing its time limit shows within a second
 * (the figure of a second is still counted exactly, at its first request).
 * What no generation marks: on PostgreSQL, a transaction that took an older
 * audit id and commits after a newer one was read; it too shows within the
 * second. */
#include "order_stats_memo.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define MEMO_SLOTS 256
#define MEMO_WAYS 4
struct memo_slot {
	struct order_stats_key k;
	struct order_stats st;
	bool used;
	uint64_t at; /* a tick of use: the least recent way is replaced */
};
static struct memo_slot g_slots[MEMO_SLOTS];
static uint64_t g_tick;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

bool order_generation(db *d, int64_t gen[3])
{
	db_stmt *s = db_query(d, "SELECT (SELECT COALESCE(MAX(id), 0) FROM audit), moves, instance FROM summary_generation WHERE id = 1", "");
	bool row = db_next(s);
	if (row)
		gen[0] = db_int(s, 0), gen[1] = db_int(s, 1), gen[2] = db_int(s, 2);
	return db_done(s) == DB_OK && row;
}

bool order_stats_memo_key(db *d, const char *prefix, const char *kind, int64_t t0, int64_t t1, int64_t now, bool median, struct order_stats_key *k)
{
	memset(k, 0, sizeof *k);
	if (strlen(prefix) >= sizeof k->prefix || (kind && strlen(kind) >= sizeof k->kind))
		return false;
	snprintf(k->prefix, sizeof k->prefix, "%s", prefix);
	snprintf(k->kind, sizeof k->kind, "%s", kind ? kind : "");
	k->t0 = t0, k->t1 = t1, k->now = now, k->median = median;
	int64_t g[3];
	if (!order_generation(d, g))
		return false;
	k->audit = g[0], k->moves = g[1], k->instance = g[2];
	return true;
}

static bool same(const struct order_stats_key *a, const struct order_stats_key *b)
{
	return a->t0 == b->t0 && a->t1 == b->t1 && a->now == b->now && a->audit == b->audit && a->moves == b->moves && a->instance == b->instance &&
	       a->median == b->median && !strcmp(a->prefix, b->prefix) && !strcmp(a->kind, b->kind);
}

static size_t slot_of(const struct order_stats_key *k)
{
	uint64_t h = 1469598103934665603ull;
	for (const char *p = k->prefix; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	for (const char *p = k->kind; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	h = (h ^ (uint64_t)k->t0) * 1099511628211ull;
	h = (h ^ (uint64_t)k->t1) * 1099511628211ull;
	h = (h ^ (uint64_t)k->median) * 1099511628211ull;
	return (size_t)(h % (MEMO_SLOTS / MEMO_WAYS)) * MEMO_WAYS;
}

bool order_stats_memo_get(const struct order_stats_key *k, struct order_stats *st)
{
	size_t b = slot_of(k);
	bool hit = false;
	pthread_mutex_lock(&g_lock);
	for (size_t i = b; i < b + MEMO_WAYS && !hit; i++)
		if (g_slots[i].used && same(&g_slots[i].k, k)) {
			*st = g_slots[i].st;
			g_slots[i].at = ++g_tick;
			hit = true;
		}
	pthread_mutex_unlock(&g_lock);
	return hit;
}

void order_stats_memo_put(const struct order_stats_key *k, const struct order_stats *st)
{
	size_t b = slot_of(k);
	pthread_mutex_lock(&g_lock);
	/* the way of the same question (an older generation or second), else
	 * an empty one, else the least recently used */
	struct memo_slot *w = NULL;
	for (size_t i = b; i < b + MEMO_WAYS; i++) {
		struct memo_slot *c = &g_slots[i];
		const struct order_stats_key *o = &c->k;
		if (c->used && o->t0 == k->t0 && o->t1 == k->t1 && o->median == k->median && o->instance == k->instance && !strcmp(o->prefix, k->prefix) &&
		    !strcmp(o->kind, k->kind)) {
			w = c;
			break;
		}
		if (!w || (w->used && (!c->used || c->at < w->at)))
			w = c;
	}
	w->k = *k, w->st = *st, w->used = true, w->at = ++g_tick;
	pthread_mutex_unlock(&g_lock);
}

void order_stats_memo_clear(void)
{
	pthread_mutex_lock(&g_lock);
	memset(g_slots, 0, sizeof g_slots);
	pthread_mutex_unlock(&g_lock);
}
