/* answer_memo — see answer_memo.h.
 *
 * An answer is used only in the second it was made in, and only while the
 * database's generation (order_generation: the newest audit id, the
 * summaries' moves, the database's instance) is the one it was made at:
 * every change of an order, an org or a user writes an audit entry in its own
 * transaction, and the generation is read from the shared database at every
 * request, so a change made on any node shows on the next request of every
 * node. What no audit entry marks (the clock passing a time limit, which the
 * answer shows as "overdue"; on PostgreSQL, a transaction that took an older
 * audit id and committed after a newer one was read) shows within the
 * second. */
#include "answer_memo.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 128
#define WAYS 4
struct slot {
	char key[ANSWER_MEMO_KEY];
	int64_t gen[3], now;
	char *body;
	size_t len;
	uint64_t at;
};
static struct slot g_slots[SLOTS];
static uint64_t g_tick;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t way0(const char *key)
{
	uint64_t h = 1469598103934665603ull;
	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 1099511628211ull;
	return (size_t)(h % (SLOTS / WAYS)) * WAYS;
}

bool answer_memo_get(const char *key, const int64_t gen[3], int64_t now, buf *out)
{
	if (strlen(key) >= ANSWER_MEMO_KEY)
		return false;
	size_t b = way0(key);
	bool hit = false;
	pthread_mutex_lock(&g_lock);
	for (size_t i = b; i < b + WAYS && !hit; i++) {
		struct slot *s = &g_slots[i];
		if (s->body && s->now == now && !memcmp(s->gen, gen, sizeof s->gen) && !strcmp(s->key, key)) {
			buf_append(out, s->body, s->len);
			s->at = ++g_tick;
			hit = true;
		}
	}
	pthread_mutex_unlock(&g_lock);
	return hit;
}

void answer_memo_put(const char *key, const int64_t gen[3], int64_t now, const char *body, size_t len)
{
	if (strlen(key) >= ANSWER_MEMO_KEY)
		return;
	char *copy = malloc(len ? len : 1);
	if (!copy)
		return;
	memcpy(copy, body, len);
	size_t b = way0(key);
	pthread_mutex_lock(&g_lock);
	/* the way of the same key (an older answer), else an empty one, else
	 * the least recently used */
	struct slot *w = NULL;
	for (size_t i = b; i < b + WAYS; i++) {
		struct slot *s = &g_slots[i];
		if (s->body && !strcmp(s->key, key)) {
			w = s;
			break;
		}
		if (!w || (w->body && (!s->body || s->at < w->at)))
			w = s;
	}
	free(w->body);
	memcpy(w->key, key, strlen(key) + 1);
	memcpy(w->gen, gen, sizeof w->gen);
	w->now = now, w->body = copy, w->len = len, w->at = ++g_tick;
	pthread_mutex_unlock(&g_lock);
}

void answer_memo_clear(void)
{
	pthread_mutex_lock(&g_lock);
	for (size_t i = 0; i < SLOTS; i++) {
		free(g_slots[i].body);
		g_slots[i].body = NULL;
		g_slots[i].key[0] = 0;
	}
	pthread_mutex_unlock(&g_lock);
}
