/* figures — the registry of the modules' figures, the dashboard's periods
 * (SPEC M11, issue 17). */
#include "figures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "module.h"
#include "orders.h" /* day_start */
#include "util.h"

const struct figure **figures_all(size_t *n)
{
	size_t total = 0;
	for (size_t i = 0; i < modules_count; i++)
		total += modules[i]->figures_n;
	const struct figure **v = malloc((total ? total : 1) * sizeof *v);
	*n = 0;
	for (size_t i = 0; v && i < modules_count; i++)
		for (size_t k = 0; k < modules[i]->figures_n; k++)
			v[(*n)++] = &modules[i]->figures[k];
	return v;
}

const struct figure *figure_find(const char *key)
{
	if (!key)
		return NULL;
	for (size_t i = 0; i < modules_count; i++)
		for (size_t k = 0; k < modules[i]->figures_n; k++)
			if (!strcmp(modules[i]->figures[k].key, key))
				return &modules[i]->figures[k];
	return NULL;
}

size_t figure_groups(const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < modules_count; i++)
		for (size_t k = 0; k < modules[i]->figures_n; k++) {
			const char *g = modules[i]->figures[k].group;
			bool seen = false;
			for (size_t j = 0; j < n && !seen; j++)
				seen = !strcmp(out[j], g);
			if (!seen && n < max)
				out[n++] = g;
		}
	return n;
}

bool figure_scope_set(struct figure_scope *s, const char *org_path, const char *org_code, const char *from, const char *to, int64_t now,
		      struct field_errors *e)
{
	s->memo = NULL;
	memset(s, 0, sizeof *s - sizeof s->memo_store);
	s->memo_store.used = s->memo_store.next = 0;
	s->memo_store.gen = -1;
	s->memo = &s->memo_store;
	s->org_path = org_path;
	s->org_code = org_code;
	s->now = now;
	int n0 = e->n;
	if (!from || !day_start(from, &s->t0))
		ferr_add(e, "from", "起始日期应为 YYYY-MM-DD 格式的日期");
	if (!to || !day_start(to, &s->t1))
		ferr_add(e, "to", "结束日期应为 YYYY-MM-DD 格式的日期");
	if (e->n != n0)
		return false;
	s->t1 += 86400; /* the whole last day */
	if (s->t1 <= s->t0)
		ferr_add(e, "to", "结束日期不能早于起始日期");
	else if ((s->t1 - s->t0) / 86400 > FIGURE_MAX_DAYS)
		ferr_add(e, "to", "统计期间不能超过 5 年");
	if (e->n != n0)
		return false;
	snprintf(s->from, sizeof s->from, "%s", from);
	snprintf(s->to, sizeof s->to, "%s", to);
	return true;
}

bool figure_memo_get(const struct figure_scope *s, const char *tag, void *out, size_t n)
{
	const struct figure_memo *m = s->memo;
	for (int i = 0; m && i < m->used; i++)
		if (m->slot[i].n == n && m->slot[i].t0 == s->t0 && m->slot[i].t1 == s->t1 && !strcmp(m->slot[i].tag, tag) &&
		    !strcmp(m->slot[i].path, s->org_path)) {
			memcpy(out, m->slot[i].data, n);
			return true;
		}
	return false;
}

void figure_memo_put(const struct figure_scope *s, const char *tag, const void *data, size_t n)
{
	struct figure_memo *m = s->memo;
	if (!m || n > FIGURE_MEMO_BYTES || strlen(tag) >= sizeof m->slot[0].tag || strlen(s->org_path) >= sizeof m->slot[0].path)
		return;
	int i = m->next;
	m->next = (m->next + 1) % FIGURE_MEMO_SLOTS;
	if (m->used < FIGURE_MEMO_SLOTS)
		m->used++;
	snprintf(m->slot[i].tag, sizeof m->slot[i].tag, "%s", tag);
	snprintf(m->slot[i].path, sizeof m->slot[i].path, "%s", s->org_path);
	m->slot[i].t0 = s->t0, m->slot[i].t1 = s->t1, m->slot[i].n = n;
	memcpy(m->slot[i].data, data, n);
}

const char *const figure_presets[] = {
	"month", "本月", "last_month", "上月", "quarter", "本季度", "year", "本年", "custom", "自定义", NULL,
};

bool figure_preset_dates(const char *preset, int64_t now, char from[11], char to[11])
{
	if (!preset)
		return false;
	time_t t = (time_t)(now + 8 * 3600); /* Beijing's calendar */
	struct tm tm;
	gmtime_r(&t, &tm);
	unsigned y = (unsigned)(tm.tm_year + 1900) % 10000u, m = (unsigned)(tm.tm_mon + 1) % 100u, d = (unsigned)tm.tm_mday % 100u;
	snprintf(to, 11, "%04u-%02u-%02u", y, m, d);
	if (!strcmp(preset, "month"))
		snprintf(from, 11, "%04u-%02u-01", y, m);
	else if (!strcmp(preset, "quarter"))
		snprintf(from, 11, "%04u-%02u-01", y, (m - 1) / 3 * 3 + 1);
	else if (!strcmp(preset, "year"))
		snprintf(from, 11, "%04u-01-01", y);
	else if (!strcmp(preset, "last_month")) {
		unsigned py = m == 1 ? y - 1 : y, pm = m == 1 ? 12 : m - 1;
		static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
		unsigned last = days[pm - 1] + (pm == 2 && ((py % 4 == 0 && py % 100) || py % 400 == 0));
		snprintf(from, 11, "%04u-%02u-01", py % 10000u, pm % 100u);
		snprintf(to, 11, "%04u-%02u-%02u", py % 10000u, pm % 100u, last % 100u);
	} else
		return false;
	return true;
}

void figure_href_period(const struct figure_scope *s, const char *path, const char *extra, char *out, size_t n)
{
	snprintf(out, n, "%s?org=%s&from=%s&to=%s%s", path, s->org_code ? s->org_code : "", s->from, s->to, extra ? extra : "");
}

void figure_href_org(const struct figure_scope *s, const char *path, const char *extra, char *out, size_t n)
{
	snprintf(out, n, "%s?org=%s%s", path, s->org_code ? s->org_code : "", extra ? extra : "");
}

/* ---- the answer cache (figure_count) ---- */
#include <pthread.h>

#define CACHE_SLOTS 4096
#define CACHE_WAYS 8
struct cache_slot {
	char key[360];
	int64_t gen, at, value;
	bool busy; /* being counted by one request: the others of the same key wait for it */
};
static struct cache_slot *g_cache;
static pthread_mutex_t g_cache_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cache_done = PTHREAD_COND_INITIALIZER;

void figure_cache_clear(void)
{
	pthread_mutex_lock(&g_cache_lock);
	if (g_cache)
		memset(g_cache, 0, CACHE_SLOTS * sizeof *g_cache);
	pthread_mutex_unlock(&g_cache_lock);
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

int64_t figure_count(db *d, const struct figure *f, const struct figure_scope *s)
{
	/* the generation once per request: one read of the audit's primary key */
	int64_t gen = s->memo ? s->memo->gen : -1;
	if (gen < 0) {
		gen = db_int1(d, -1, "SELECT COALESCE(MAX(id), 0) FROM audit", "");
		if (gen < 0)
			return f->count(d, s);
		if (s->memo)
			s->memo->gen = gen;
	}
	char key[360], today[20];
	fmt_time(s->now, today);
	today[10] = 0;
	if ((size_t)snprintf(key, sizeof key, "%s|%s|%lld|%lld|%s", f->key, s->org_path, (long long)s->t0, (long long)s->t1, today) >= sizeof key)
		return f->count(d, s);
	/* a key lives in one of CACHE_WAYS slots from its hash: two keys of one
	 * hash slot do not evict each other at every request */
	size_t h = (size_t)(fnv1a(key) % CACHE_SLOTS);
	pthread_mutex_lock(&g_cache_lock);
	if (!g_cache)
		g_cache = calloc(CACHE_SLOTS, sizeof *g_cache);
	struct cache_slot *mine = NULL;
	for (int round = 0; g_cache && !mine; round++) {
		struct cache_slot *same = NULL, *best = NULL;
		for (size_t j = 0; j < CACHE_WAYS; j++) {
			struct cache_slot *c = &g_cache[(h + j) % CACHE_SLOTS];
			if (!strcmp(c->key, key)) {
				same = c;
				break;
			}
			if (!c->busy && (!best || (*best->key && (!*c->key || c->at < best->at))))
				best = c;
		}
		if (same && !same->busy && same->gen == gen && s->now >= same->at && s->now - same->at < FIGURE_CACHE_TTL) {
			int64_t v = same->value;
			pthread_mutex_unlock(&g_cache_lock);
			return v;
		}
		if (same && same->busy && round >= 50)
			break; /* waited 5 s: count it without the cache */
		if (same && same->busy) {
			/* another request counts this key now (the first wave after a
			 * start or a write): wait for its answer rather than count it
			 * again beside it */
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += 100 * 1000000L;
			if (until.tv_nsec >= 1000000000L)
				until.tv_sec++, until.tv_nsec -= 1000000000L;
			pthread_cond_timedwait(&g_cache_done, &g_cache_lock, &until);
			continue;
		}
		mine = same && !same->busy ? same : best;
		if (!mine)
			break; /* every way busy with other keys: count without the cache */
		memcpy(mine->key, key, sizeof key);
		mine->busy = true, mine->gen = -1;
	}
	pthread_mutex_unlock(&g_cache_lock);
	int64_t v = f->count(d, s);
	if (!mine)
		return v;
	pthread_mutex_lock(&g_cache_lock);
	mine->busy = false;
	if (v == FIGURE_FAILED)
		mine->key[0] = 0; /* nothing kept: the next request counts again */
	else
		mine->gen = gen, mine->at = s->now, mine->value = v;
	pthread_cond_broadcast(&g_cache_done);
	pthread_mutex_unlock(&g_cache_lock);
	return v;
}

/* ---- figures counted by one SQL statement (FIGURE_SQL) ---- */

static db_stmt *figure_sql_query(db *d, const struct figure *f, const struct figure_scope *s, const char *sql, int64_t limit)
{
	char today[20];
	fmt_time(s->now, today);
	today[10] = 0;
	switch (f->bind) {
	case 'S': return limit ? db_query(d, sql, "tI", s->org_path, limit) : db_query(d, sql, "t", s->org_path);
	case 'D': return limit ? db_query(d, sql, "tttI", s->org_path, s->from, s->to, limit) : db_query(d, sql, "ttt", s->org_path, s->from, s->to);
	case 'E':
		return limit ? db_query(d, sql, "ttttI", s->org_path, s->from, s->to, today, limit)
			     : db_query(d, sql, "tttt", s->org_path, s->from, s->to, today);
	case 'O':
		return limit ? db_query(d, sql, "tIItI", s->org_path, s->t0, s->t1, today, limit)
			     : db_query(d, sql, "tIIt", s->org_path, s->t0, s->t1, today);
	default: return limit ? db_query(d, sql, "tIII", s->org_path, s->t0, s->t1, limit) : db_query(d, sql, "tII", s->org_path, s->t0, s->t1);
	}
}

static bool figure_sql_totals(db *d, const struct figure *f, const struct figure_scope *s, int64_t *total, int64_t *rows)
{
	if (!f || !f->sql)
		return false;
	char sql[4096];
	snprintf(sql, sizeof sql, "SELECT CAST(COALESCE(SUM(x.v), 0) AS BIGINT), COUNT(*) FROM (%s) x", f->sql);
	db_stmt *st = figure_sql_query(d, f, s, sql, 0);
	bool ok = db_next(st);
	if (ok) {
		*total = db_int(st, 0);
		/* amounts are kept in fen and shown in whole 元 */
		if (!strcmp(f->unit, "元"))
			*total = (*total + 50) / 100;
		*rows = db_int(st, 1);
	}
	return db_done(st) == DB_OK && ok;
}

int64_t figure_sql_count(db *d, const struct figure *f, const struct figure_scope *s)
{
	int64_t total = 0, rows = 0;
	return figure_sql_totals(d, f, s, &total, &rows) ? total : FIGURE_FAILED;
}

bool figure_sql_sums(const struct figure *f) { return f->sql && !strstr(f->sql, " 1 AS v,"); }

enum dj_result figure_sql_each(db *d, const struct figure *f, const struct figure_scope *s, int64_t limit,
			       void (*fn)(void *ctx, const struct figure_record *r), void *ctx, int64_t *total, int64_t *rows)
{
	if (!figure_sql_totals(d, f, s, total, rows))
		return DJ_DB_ERROR;
	char sql[4200];
	snprintf(sql, sizeof sql, "SELECT x.at, x.org, x.title, x.detail, x.v, x.kind, x.ref FROM (%s) x ORDER BY x.at DESC LIMIT ?", f->sql);
	db_stmt *st = figure_sql_query(d, f, s, sql, limit);
	while (db_next(st)) {
		struct figure_record r = {db_str(st, 0), db_str(st, 1), db_str(st, 2), db_str(st, 3), db_int(st, 4), db_str(st, 5), db_int(st, 6)};
		fn(ctx, &r);
	}
	return db_done(st) == DB_OK ? DJ_OK : DJ_DB_ERROR;
}
