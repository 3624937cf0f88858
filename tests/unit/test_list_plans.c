/* Unit tests: the query plans of the lists (issue 9 §2, issue 10 §3). Every
 * statement the list pages run per request — the order list with each of its
 * filters and sorts, the roster with its searches, the inbox, the audit log
 * and the users page, as each role reads them — is collected with
 * db_set_trace on a generated county and explained: EXPLAIN QUERY PLAN on
 * SQLite; on PostgreSQL (DANGJIAN_PLAN_PG=URL of a database, filled with the
 * same county when empty; scripts/test.sh runs it on make test's cluster)
 * EXPLAIN of the generic plan after ANALYZE, with whole-table reads priced
 * out (seq scans, hash and merge joins: at 6,000 orders they are the
 * cheapest plan and say nothing about a county; PLAN_AS_IS=1 leaves them
 * in), where a Seq Scan, or an index scan with no Index Cond (the whole
 * index walked), counts as a full scan unless it is a page's walk in its
 * own order with no Sort, Hash or Aggregate above it. The statistics'
 * statements (order_stats_compute over the rollups, the histogram, the
 * median's hour) are checked too. A full scan of orders, members,
 * order_events, notifications, audit or the statistics' tables fails the
 * test, naming the statement — except a page read newest (or oldest, or
 * earliest due) first by walking the primary key or an index in exactly the
 * order shown, with no sort, which stops when the page is full, or a walk of
 * a partial index, which holds only the rows it names; every count, and every
 * list that sorts, must use an index. Some statements must use an index of
 * their own (own_index: the wish wall's open wishes). */
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "demo.h"
#include "members.h"
#include "notify.h"
#include "orders.h"
#include "unit_db.h"
#include "users.h"

#define NOW "1767225600"

static const char *const big[] = {"orders",           "members", "order_events", "notifications", "audit", "order_summary", "order_rollup",
				  "order_close_hist", NULL};

struct seen {
	char *sql[512];
	int n;
};

static void trace(void *ctx, const char *sql)
{
	struct seen *s = ctx;
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->sql[i], sql))
			return;
	if (s->n < 512)
		s->sql[s->n++] = strdup(sql);
}

static bool ident(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

/* The names a large table goes by in sql: itself and its aliases ("orders o"). */
static bool names_big(const char *sql, const char *name)
{
	static const char *const kw[] = {"WHERE", "ON", "JOIN", "LEFT", "ORDER", "GROUP", "LIMIT", "UNION", "SET", "VALUES", "AS", "USING", NULL};
	for (int t = 0; big[t]; t++) {
		if (!strcmp(name, big[t]))
			return true;
		size_t l = strlen(big[t]);
		for (const char *p = strstr(sql, big[t]); p; p = strstr(p + 1, big[t])) {
			if ((p > sql && ident(p[-1])) || p[l] != ' ')
				continue;
			const char *al = p + l + 1;
			size_t n = 0;
			while (ident(al[n]))
				n++;
			bool keyword = false;
			for (int k = 0; kw[k]; k++)
				keyword |= strlen(kw[k]) == n && !strncmp(kw[k], al, n);
			if (!keyword && n == strlen(name) && !strncmp(al, name, n))
				return true;
		}
	}
	return false;
}

/* A page of rows read in the order it is shown, that stops at its LIMIT: a
 * walk of the primary key (or an index) in that order, with no sort. */
static bool ordered_page(sqlite3 *h, const char *sql)
{
	if (!strstr(sql, " ORDER BY ") || !strstr(sql, "LIMIT ? OFFSET ?") || !strncmp(sql, "SELECT COUNT", 12))
		return false;
	char *q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_prepare_v2(h, q, -1, &st, NULL), SQLITE_OK);
	sqlite3_free(q);
	bool sorted = false;
	while (sqlite3_step(st) == SQLITE_ROW)
		sorted |= strstr((const char *)sqlite3_column_text(st, 3), "TEMP B-TREE") != NULL;
	sqlite3_finalize(st);
	return !sorted;
}

/* Whether a plan's line walks a partial index ("SCAN o USING INDEX
 * orders_open_wishes"): it holds only the rows its WHERE names (the open
 * wishes), so reading all of it is not reading the table. */
static bool sqlite_partial(sqlite3 *h, const char *detail)
{
	const char *u = strstr(detail, " INDEX ");
	if (!u)
		return false;
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_prepare_v2(h, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", -1, &st, NULL), SQLITE_OK);
	size_t n = 0;
	while (ident(u[7 + n]))
		n++;
	sqlite3_bind_text(st, 1, u + 7, (int)n, SQLITE_TRANSIENT);
	bool partial = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) && strstr((const char *)sqlite3_column_text(st, 0), " WHERE ");
	sqlite3_finalize(st);
	return partial;
}

/* The same on PostgreSQL ("Index Scan Backward using orders_open_wishes on orders o"). */
static bool pg_partial(PGconn *c, const char *line)
{
	const char *u = strstr(line, " using ");
	if (!u)
		return false;
	char name[64];
	size_t n = 0;
	while (n < sizeof name - 1 && ident(u[7 + n]))
		name[n] = u[7 + n], n++;
	name[n] = 0;
	const char *v[] = {name};
	PGresult *r = PQexecParams(c, "SELECT indexdef FROM pg_indexes WHERE indexname = $1", 1, NULL, v, NULL, NULL, 0);
	bool partial = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && strstr(PQgetvalue(r, 0, 0), " WHERE ");
	PQclear(r);
	return partial;
}

/* Fails on a SCAN of a large table in SQLite's plan of sql, except the walk
 * of an ordered page (ordered_page): counts and sorted lists never scan. */
static int sqlite_full_scans(sqlite3 *h, const char *sql)
{
	bool walk_ok = ordered_page(h, sql);
	char *q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_prepare_v2(h, q, -1, &st, NULL), SQLITE_OK, "%s: %s", sqlite3_errmsg(h), sql);
	sqlite3_free(q);
	int bad = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *detail = (const char *)sqlite3_column_text(st, 3);
		if (strncmp(detail, "SCAN ", 5))
			continue;
		char name[64];
		size_t n = 0;
		while (n < sizeof name - 1 && ident(detail[5 + n]))
			name[n] = detail[5 + n], n++;
		name[n] = 0;
		if (names_big(sql, name) && !walk_ok && !sqlite_partial(h, detail)) {
			cr_log_error("full scan (%s) in: %s", detail, sql);
			bad++;
		}
	}
	sqlite3_finalize(st);
	return bad;
}

/* ? → $1 … for PostgreSQL (no ? inside the project's string literals). */
static char *pg_sql(const char *sql, int *np)
{
	char *out = malloc(strlen(sql) * 4 + 16), *o = out;
	int n = 0;
	for (const char *p = sql; *p; p++) {
		if (*p == '?')
			o += sprintf(o, "$%d", ++n);
		else
			*o++ = *p;
	}
	*o = 0;
	*np = n;
	return out;
}

/* Whether a Sort (or a Hash, an Aggregate: nodes that read their input
 * whole) is above line i of a plan, among the nodes it feeds. */
static bool sorted_above(PGresult *r, int i)
{
	size_t indent = strspn(PQgetvalue(r, i, 0), " ->");
	for (int j = i - 1; j >= 0; j--) {
		const char *l = PQgetvalue(r, j, 0);
		size_t k = strspn(l, " ->");
		if (j > 0 && (!strstr(l, "(cost") || k >= indent))
			continue; /* a detail line, or not an ancestor */
		indent = k;
		if (strstr(l, "Sort  (cost") || strstr(l, "Hash  (cost") || strstr(l, "Aggregate  (cost"))
			return true; /* reordered, or read whole */
	}
	return false;
}

static int pg_full_scans(PGconn *c, const char *sql)
{
	int n;
	char *q = pg_sql(sql, &n);
	PGresult *r = PQexec(c, "DEALLOCATE ALL");
	PQclear(r);
	char *prep = malloc(strlen(q) + 64);
	sprintf(prep, "PREPARE plan_me AS %s", q);
	r = PQexec(c, prep);
	cr_assert_eq(PQresultStatus(r), PGRES_COMMAND_OK, "%s: %s", PQerrorMessage(c), q);
	PQclear(r);
	char *ex = malloc(64 + (size_t)n * 6);
	char *e = ex + sprintf(ex, "EXPLAIN EXECUTE plan_me");
	for (int i = 0; i < n; i++)
		e += sprintf(e, "%sNULL", i ? ", " : "(");
	if (n)
		strcat(e, ")");
	r = PQexec(c, ex);
	cr_assert_eq(PQresultStatus(r), PGRES_TUPLES_OK, "%s", PQerrorMessage(c));
	/* a Seq Scan of a large table, or an index scan of one with no Index Cond
	 * (the whole index walked, e.g. the primary key backwards with a Filter);
	 * as on SQLite, an index walk in the page's own order with no Sort is the
	 * page stopping at its LIMIT */
	int bad = 0, rows = PQntuples(r);
	bool page = strstr(sql, " ORDER BY ") && strstr(sql, "LIMIT ? OFFSET ?") && strncmp(sql, "SELECT COUNT", 12);
	for (int i = 0; i < rows; i++) {
		const char *line = PQgetvalue(r, i, 0), *on = strstr(line, " on ");
		bool seq = strstr(line, "Seq Scan on ") != NULL;
		bool idx = (strstr(line, "Index Scan") || strstr(line, "Index Only Scan")) && !strstr(line, "Bitmap");
		if (!on || !(seq || idx))
			continue;
		char name[64];
		size_t k = 0;
		on += 4;
		while (k < sizeof name - 1 && ident(on[k]))
			name[k] = on[k], k++;
		name[k] = 0;
		/* the alias follows the table: "on orders o" */
		const char *al = on + k;
		if (*al == ' ') {
			al++;
			size_t m = 0;
			while (m < sizeof name - 1 && ident(al[m]))
				m++;
			if (m) {
				memcpy(name, al, m);
				name[m] = 0;
			}
		}
		if (!names_big(sql, name))
			continue;
		bool cond = false;
		if (idx) {
			size_t indent = strspn(line, " ->");
			for (int j = i + 1; j < rows; j++) {
				const char *l2 = PQgetvalue(r, j, 0);
				if (strstr(l2, "->") && strspn(l2, " ->") <= indent)
					break;
				cond |= strstr(l2, "Index Cond:") != NULL;
			}
		}
		/* a walk in the page's order: no Sort above it (a Sort of the
		 * other side of a merge join, read through its own index
		 * conditions, leaves the walk stopping at the LIMIT) */
		bool walk_ok = page && !sorted_above(r, i);
		if (seq || (!cond && !walk_ok && !pg_partial(c, line))) {
			cr_log_error("full scan (%s) in: %s", line, sql);
			bad++;
		}
	}
	PQclear(r);
	free(q), free(prep), free(ex);
	return bad;
}

/* Statements that must read through an index of their own: a plan that
 * falls back to a broader index reads no whole table (the rule above) but
 * reads far more rows than it keeps. The wish wall used orders_open_due by
 * state before migration 044 (every open order of the county for its ~63
 * wishes); dropping orders_open_wishes fails this. */
static const struct {
	const char *sql; /* a part of the statement that names it */
	const char *index;
} own_index[] = {
	{"WHERE o.kind = 'wish' AND o.state IN ('submitted', 'accepted') AND g.path LIKE", "orders_open_wishes"},
};

/* Whether SQLite's plan of sql reads through index. */
static bool sqlite_uses(sqlite3 *h, const char *sql, const char *index)
{
	char *q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_prepare_v2(h, q, -1, &st, NULL), SQLITE_OK, "%s: %s", sqlite3_errmsg(h), sql);
	sqlite3_free(q);
	bool uses = false;
	char needle[96];
	snprintf(needle, sizeof needle, "INDEX %s ", index);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *detail = (const char *)sqlite3_column_text(st, 3);
		uses |= strstr(detail, needle) != NULL || (strlen(detail) > 6 && !strcmp(detail + strlen(detail) - strlen(index), index));
		if (!uses)
			cr_log_info("%s", detail);
	}
	sqlite3_finalize(st);
	return uses;
}

/* Whether PostgreSQL's generic plan of sql reads through index. */
static bool pg_uses(PGconn *c, const char *sql, const char *index)
{
	int n;
	char *q = pg_sql(sql, &n);
	PQclear(PQexec(c, "DEALLOCATE ALL"));
	char *prep = malloc(strlen(q) + 64);
	sprintf(prep, "PREPARE plan_me AS %s", q);
	PGresult *r = PQexec(c, prep);
	cr_assert_eq(PQresultStatus(r), PGRES_COMMAND_OK, "%s: %s", PQerrorMessage(c), q);
	PQclear(r);
	char ex[512];
	char *e = ex + sprintf(ex, "EXPLAIN EXECUTE plan_me");
	for (int i = 0; i < n && i < 60; i++)
		e += sprintf(e, "%sNULL", i ? ", " : "(");
	if (n)
		strcat(e, ")");
	r = PQexec(c, ex);
	cr_assert_eq(PQresultStatus(r), PGRES_TUPLES_OK, "%s", PQerrorMessage(c));
	char needle[96];
	snprintf(needle, sizeof needle, " using %s ", index);
	bool uses = false;
	for (int i = 0; i < PQntuples(r); i++)
		uses |= strstr(PQgetvalue(r, i, 0), needle) != NULL;
	if (!uses)
		for (int i = 0; i < PQntuples(r); i++)
			cr_log_info("%s", PQgetvalue(r, i, 0));
	PQclear(r);
	free(q), free(prep);
	return uses;
}

static db *d;

static void as_user(struct actor *a, const char *username)
{
	memset(a, 0, sizeof *a);
	db_stmt *s = db_query(d, "SELECT u.id, u.role, u.org_id, o.path, o.name FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.username = ?", "t",
			      username);
	cr_assert(db_next(s), "no user %s", username);
	a->user_id = db_int(s, 0);
	const char *role = db_str(s, 1);
	a->role = !strcmp(role, "admin")       ? R_ADMIN
		  : !strcmp(role, "committee") ? R_COMMITTEE
		  : !strcmp(role, "branch")    ? R_BRANCH
		  : !strcmp(role, "grid")      ? R_GRID
					       : R_MEMBER;
	a->org_id = db_int(s, 2);
	snprintf(a->org_path, sizeof a->org_path, "%s", db_str(s, 3));
	snprintf(a->org_name, sizeof a->org_name, "%s", db_str(s, 4));
	db_done(s);
	snprintf(a->username, sizeof a->username, "%s", username);
	snprintf(a->ip, sizeof a->ip, "127.0.0.1");
	actor_set_label(a);
}

static void order_row(void *ctx, const struct order *o) { (void)ctx, (void)o; }
static void member_row(void *ctx, const struct member_row *m) { (void)ctx, (void)m; }
static void audit_row(void *ctx, const struct audit_entry *e) { (void)ctx, (void)e; }
static void note_row(void *ctx, const struct notification *n) { (void)ctx, (void)n; }
static void user_row(const struct user *u, void *ctx) { (void)ctx, (void)u; }

static void orders_as(struct seen *seen, const struct actor *a, bool all)
{
	/* one request of the list per filter, sort and page kind, as the page and the API run them */
	struct order_filter fs[] = {
		{.limit = 25},
		{.limit = 25, .before = 1000000},
		{.limit = 25, .offset = 50},
		{.limit = 25, .sort = "old"},
		{.limit = 25, .sort = "due"},
		{.limit = 25, .state = "submitted"},
		{.limit = 25, .kind = "wish"},
		{.limit = 25, .urgency = "urgent"},
		{.limit = 25, .overdue = true},
		{.limit = 25, .escalated = true},
		{.limit = 25, .mine = true},
		{.limit = 25, .from = "2025-01-01", .to = "2025-03-31"},
		{.limit = 25, .q = "5678"},
		{.limit = 25, .q = "13800001234"},
		{.limit = 25, .q = "K7QM-4XWP"},
		{.limit = 25, .org_path = "/1/2/9/"},
		{.limit = 25, .grid = "X01T01B02W1"},
		{.limit = 25, .state = "assigned", .kind = "need", .overdue = true, .org_path = "/1/2/9/"},
	};
	for (size_t i = 0; i < sizeof fs / sizeof fs[0]; i++) {
		/* the whole county, unfiltered (or by a date range only), is read newest first by primary key and stops at the
		 * limit; words of the content have no index (a scan within what the other filters leave) */
		bool narrowed = fs[i].state || fs[i].kind || fs[i].urgency || fs[i].overdue || fs[i].escalated || fs[i].mine || fs[i].org_path ||
				fs[i].grid || (fs[i].q && strlen(fs[i].q) <= 4) || (fs[i].q && fs[i].q[0] == '1');
		if ((all && !narrowed) || (fs[i].q && fs[i].q[0] == 'K'))
			continue;
		int64_t total;
		struct field_errors e = {0};
		db_set_trace(d, trace, seen);
		enum dj_result r = order_list(d, a, &fs[i], 1767225600, &total, order_row, NULL, &e);
		db_set_trace(d, NULL, NULL);
		cr_assert(r == DJ_OK, "filter %zu: %d %s", i, r, e.n ? e.e[0].msg : "");
	}
}

static void lists_as(struct seen *seen, const struct actor *a)
{
	db_set_trace(d, trace, seen);
	const char *qs[] = {NULL, "4033", "王", NULL};
	for (int i = 0; i < 4; i++) {
		struct roster_query q = {.prefix = a->org_path, .q = qs[i], .in_service = -1, .limit = 50, .sort = i == 3 ? "name" : NULL};
		int64_t total;
		member_roster(d, a, &q, member_row, NULL, &total);
	}
	if (a->role != R_ADMIN) { /* the admin's whole log: newest first by primary key, count capped */
		struct audit_filter af = {.limit = 50};
		int64_t at;
		struct field_errors ae = {0};
		enum dj_result ar = audit_list(d, a, &af, audit_row, NULL, &at, &ae);
		cr_assert(ar == DJ_OK || ar == DJ_FORBIDDEN, "audit_list: %s", dj_message(ar, &ae));
	}
	notify_each(d, a->user_id, note_row, NULL);
	notify_count(d, a->user_id);                 /* the inbox's total: the count kept per user */
	order_each_open_wish(d, a, order_row, NULL); /* the wish wall: a member's town, everyone else's whole county */
	/* the inbox searched, filtered and sorted: the user's own rows by (user_id, id) */
	struct notify_filter nf[] = {{.unread = true}, {.q = "逾期"}, {.oldest = true}, {.oldest = true, .cursor = 5, .unread = true}};
	for (size_t i = 0; i < sizeof nf / sizeof nf[0]; i++) {
		notify_page_filtered(d, a->user_id, &nf[i], 30, note_row, NULL);
		notify_count_filtered(d, a->user_id, &nf[i]);
	}
	int64_t nu;
	const char *sorts[] = {NULL, "username", "name", "role"};
	for (size_t i = 0; i < sizeof sorts / sizeof sorts[0]; i++)
		users_page(d, a, NULL, false, sorts[i], 50, 0, user_row, NULL, &nu);
	db_set_trace(d, NULL, NULL);
}

Test(list_plans, no_list_reads_a_whole_large_table, .timeout = 900)
{
	char path[96];
	d = unit_db_open("plans", path);
	setenv("DANGJIAN_NOW", NOW, 1);
	struct demo_opts o;
	cr_assert_eq(demo_scale_opts("county", &o), 0);
	o.towns = 1, o.members = 3000, o.orders = 6000, o.years = 1;
	FILE *out = fopen("/dev/null", "w");
	cr_assert_eq(demo_fill_scale(d, &o, out), 0);
	fclose(out);

	struct seen seen = {0};
	static const char *const who[] = {"admin", "t01zuzhi", "t01b02", "t01b02dy", "t01b02wg1"};
	for (size_t i = 0; i < sizeof who / sizeof who[0]; i++) {
		struct actor a;
		as_user(&a, who[i]);
		orders_as(&seen, &a, i == 0);
		lists_as(&seen, &a);
	}
	/* the statistics (issue 9 §2): the county, a town, a branch, over a
	 * month, a year that is not whole months, and one kind (the export) */
	static const char *const paths[] = {"/1/", "/1/2/", "/1/2/9/"};
	int64_t t0 = 0, t1 = 0, y0 = 0;
	cr_assert(day_start("2025-11-01", &t0) && day_start("2025-12-01", &t1) && day_start("2025-01-17", &y0));
	db_set_trace(d, trace, &seen);
	for (int i = 0; i < 3; i++) {
		struct order_stats st;
		order_stats_compute(d, paths[i], t0, t1, 1767225600, &st);
		order_stats_compute(d, paths[i], y0, t1, 1767225600, &st);
		order_stats_compute_kind(d, paths[i], "wish", y0, t1, 1767225600, &st);
		if (i == 0)
			cr_assert_gt(st.collected, 0, "the county has wishes to count");
	}
	/* /metrics' gauges: the open orders from the roots' rollups, the overdue through orders_late */
	cr_assert_gt(orders_count_open(d, false, 1767225600), 0);
	orders_count_open(d, true, 1767225600);
	db_set_trace(d, NULL, NULL);
	int rollup = 0, hist = 0, hour = 0;
	for (int i = 0; i < seen.n; i++) {
		rollup += strstr(seen.sql[i], "FROM order_rollup") != NULL;
		hist += strstr(seen.sql[i], "FROM order_close_hist") != NULL;
		hour += strstr(seen.sql[i], "(closed_at - created_at) / 3600 = ?") != NULL;
	}
	cr_assert(rollup && hist && hour, "the statistics' statements were seen (%d %d %d)", rollup, hist, hour);
	cr_assert_gt(seen.n, 20, "the lists ran %d distinct statements", seen.n);

	sqlite3 *h;
	cr_assert_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	int bad = 0;
	for (int i = 0; i < seen.n; i++)
		bad += sqlite_full_scans(h, seen.sql[i]);
	for (size_t k = 0; k < sizeof own_index / sizeof own_index[0]; k++) {
		int found = 0;
		for (int i = 0; i < seen.n; i++)
			if (strstr(seen.sql[i], own_index[k].sql)) {
				found++;
				if (!sqlite_uses(h, seen.sql[i], own_index[k].index)) {
					cr_log_error("not through %s: %s", own_index[k].index, seen.sql[i]);
					bad++;
				}
			}
		cr_assert_gt(found, 0, "the statement for %s was run", own_index[k].index);
	}
	sqlite3_close(h);

	const char *pg = getenv("DANGJIAN_PLAN_PG");
	if (pg && *pg) {
		/* the same statements on PostgreSQL, over the same county loaded there */
		char err[256];
		db *p = db_open(pg, err, sizeof err);
		cr_assert_not_null(p, "%s", err);
		cr_assert(db_migrate(p, err, sizeof err) >= 0, "%s", err);
		if (db_int1(p, 0, "SELECT COUNT(*) FROM orders", "") == 0) {
			FILE *o2 = fopen("/dev/null", "w");
			cr_assert_eq(demo_fill_scale(p, &o, o2), 0);
			fclose(o2);
		}
		db_close(p);
		PGconn *c = PQconnectdb(pg);
		cr_assert_eq(PQstatus(c), CONNECTION_OK, "%s", PQerrorMessage(c));
		PQclear(PQexec(c, "ANALYZE"));
		/* The test county is ~150 times smaller than a county: there,
		 * reading all of a 6,000-row table (a seq scan, or one side of
		 * a hash or merge join read whole) is PostgreSQL's cheapest plan
		 * and says nothing about 1,000,000 orders. Priced out, the plan
		 * left shows whether the statement can read only what it needs
		 * through indexes that match; PLAN_AS_IS=1 leaves them in. */
		if (!getenv("PLAN_AS_IS")) {
			PQclear(PQexec(c, "SET enable_seqscan = off"));
			PQclear(PQexec(c, "SET enable_hashjoin = off"));
			PQclear(PQexec(c, "SET enable_mergejoin = off"));
		}
		PQclear(PQexec(c, "SET plan_cache_mode = force_generic_plan"));
		for (int i = 0; i < seen.n; i++) {
			bad += pg_full_scans(c, seen.sql[i]);
			for (size_t k = 0; k < sizeof own_index / sizeof own_index[0]; k++)
				if (strstr(seen.sql[i], own_index[k].sql) && !pg_uses(c, seen.sql[i], own_index[k].index)) {
					cr_log_error("not through %s on PostgreSQL: %s", own_index[k].index, seen.sql[i]);
					bad++;
				}
		}
		PQfinish(c);
	}
	for (int i = 0; i < seen.n; i++)
		free(seen.sql[i]);
	unit_db_close(d, path);
	cr_assert_eq(bad, 0, "%d full scans of a large table (see the log)", bad);
}
