/* ops_web — GET /healthz and GET /metrics (issue 2 §8, SPEC §3). */
#include "ops_web.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "orders.h"
#include "settings.h"
#include "util.h"
#include "module.h"

/* Status codes counted one by one; anything else is counted as "other". */
static const int statuses[] = {200, 201, 204, 303, 304, 400, 401, 403, 404, 405, 409, 413, 422, 429, 431, 500, 503};
#define NSTATUS (sizeof statuses / sizeof statuses[0] + 1)
static const double buckets_ms[] = {1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500};
#define NBUCKETS (sizeof buckets_ms / sizeof buckets_ms[0])

/* One row of counters per route of the merged table and one for requests
 * that matched none, made once for the table's size (every mechanism adds
 * routes: a fixed size ran out at 256 and counted the rest as one route). */
static atomic_ullong (*g_count)[NSTATUS];
static size_t g_slots; /* routes + 1: the last is "unmatched" */
static pthread_once_t g_count_once = PTHREAD_ONCE_INIT;

static void counters_make(void)
{
	const struct merged_routes *t = routes_table(NULL, 0);
	size_t n = (t ? t->n : 0) + 1;
	if ((g_count = calloc(n, sizeof *g_count)))
		g_slots = n;
}
static atomic_ullong g_hist[NBUCKETS + 1];
static atomic_ullong g_sum_us;
static atomic_ullong g_total;

void metrics_record(int route_index, int status, uint64_t micros)
{
	pthread_once(&g_count_once, counters_make);
	size_t si = NSTATUS - 1;
	for (size_t i = 0; i < NSTATUS - 1; i++)
		if (statuses[i] == status)
			si = i;
	if (g_slots) {
		size_t ri = route_index >= 0 && (size_t)route_index < g_slots - 1 ? (size_t)route_index : g_slots - 1;
		atomic_fetch_add_explicit(&g_count[ri][si], 1, memory_order_relaxed);
	}
	size_t b = 0;
	while (b < NBUCKETS && (double)micros / 1000.0 > buckets_ms[b])
		b++;
	atomic_fetch_add_explicit(&g_hist[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&g_sum_us, micros, memory_order_relaxed);
	atomic_fetch_add_explicit(&g_total, 1, memory_order_relaxed);
}

static void ops_healthz(req *r)
{
	int64_t one = db_int1(r->db, 0, "SELECT 1", "");
	r->content_type = "text/plain; charset=utf-8";
	if (one == 1) {
		buf_puts(&r->out, "ok\n");
	} else {
		r->status = 503;
		buf_puts(&r->out, "database unavailable\n");
	}
}

/* /metrics counts logins and runs queries: it answers the machine itself
 * (a scraper on loopback; behind nginx r->ip is the client's address) or
 * whoever sends the configured token as Authorization: Bearer …. */
static bool metrics_allowed(req *r)
{
	/* r->ip is an address in canonical form (server.c): 127/8, ::1, or 127/8 mapped */
	if (!strncmp(r->ip, "127.", 4) || !strcmp(r->ip, "::1") || !strncmp(r->ip, "::ffff:127.", 11))
		return true;
	char token[256];
	const char *h = req_header(r, "Authorization");
	return h && !strncasecmp(h, "Bearer ", 7) && settings_metrics_token(r->db, token, sizeof token) && str_eq_ct(h + 7, token);
}

static void ops_metrics(req *r)
{
	buf *o = &r->out;
	if (!metrics_allowed(r)) {
		r->status = 403;
		r->content_type = "text/plain; charset=utf-8";
		buf_puts(o, "forbidden: /metrics answers loopback, or Authorization: Bearer with the metrics_token setting\n");
		return;
	}
	r->content_type = "text/plain; version=0.0.4; charset=utf-8";
	buf_puts(o, "# HELP dangjian_requests_total HTTP requests answered, by route and status.\n"
		    "# TYPE dangjian_requests_total counter\n");
	const struct merged_routes *t = routes_table(NULL, 0);
	pthread_once(&g_count_once, counters_make);
	for (size_t ri = 0; ri < g_slots; ri++) {
		const char *name = ri < g_slots - 1 && ri < t->n ? (t->v[ri].name ? t->v[ri].name : t->v[ri].pattern) : "unmatched";
		for (size_t si = 0; si < NSTATUS; si++) {
			unsigned long long n = atomic_load_explicit(&g_count[ri][si], memory_order_relaxed);
			if (!n)
				continue;
			buf_puts(o, "dangjian_requests_total{route=");
			json_escape(o, name); /* a quoted, escaped label value */
			if (si < NSTATUS - 1)
				buf_printf(o, ",status=\"%d\"} %llu\n", statuses[si], n);
			else
				buf_printf(o, ",status=\"other\"} %llu\n", n);
		}
	}
	buf_puts(o, "# HELP dangjian_request_duration_seconds Time from the first byte of a request to its completion.\n"
		    "# TYPE dangjian_request_duration_seconds histogram\n");
	unsigned long long cum = 0;
	for (size_t b = 0; b < NBUCKETS; b++) {
		cum += atomic_load_explicit(&g_hist[b], memory_order_relaxed);
		buf_printf(o, "dangjian_request_duration_seconds_bucket{le=\"%g\"} %llu\n", buckets_ms[b] / 1000.0, cum);
	}
	cum += atomic_load_explicit(&g_hist[NBUCKETS], memory_order_relaxed);
	buf_printf(o, "dangjian_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n", cum);
	buf_printf(o, "dangjian_request_duration_seconds_sum %.6f\n", (double)atomic_load(&g_sum_us) / 1e6);
	buf_printf(o, "dangjian_request_duration_seconds_count %llu\n", (unsigned long long)atomic_load(&g_total));
	buf_printf(o,
		   "# HELP dangjian_requests_in_flight Requests being served now.\n"
		   "# TYPE dangjian_requests_in_flight gauge\ndangjian_requests_in_flight %d\n",
		   server_inflight());
	buf_printf(o,
		   "# HELP dangjian_long_reads_gave_way_seconds_total Time long reads slept so that queued writes went first (SQLite).\n"
		   "# TYPE dangjian_long_reads_gave_way_seconds_total counter\ndangjian_long_reads_gave_way_seconds_total %.6f\n",
		   (double)db_gave_way_ns() / 1e9);
	/* SPEC §3: the open and the overdue orders, from the shared database (the same on every node) */
	int64_t now = now_unix();
	buf_printf(o,
		   "# HELP dangjian_orders_open Resident orders not yet closed, rejected or withdrawn.\n"
		   "# TYPE dangjian_orders_open gauge\ndangjian_orders_open %lld\n",
		   (long long)orders_count_open(r->db, false, now));
	buf_printf(o,
		   "# HELP dangjian_orders_overdue Open orders past their time limit.\n"
		   "# TYPE dangjian_orders_overdue gauge\ndangjian_orders_overdue %lld\n",
		   (long long)orders_count_open(r->db, true, now));
}

/* ---- the module record (module.h) ---- */

static const route ops_routes[] = {
	{"GET", "/healthz", ops_healthz, R_PUBLIC, 0, 0, "healthz"},
	{"GET", "/metrics", ops_metrics, R_PUBLIC, 0, 0, "metrics"},
};
const struct module ops_module = {
	.name = "ops",
	.routes = ops_routes,
	.routes_n = COUNT_OF(ops_routes),
};
