/* db — the engine-neutral half: statement cache, parameter binding, migrations. */
#include "db.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_impl.h"
#include "embedded.h"
#include "util.h"

void db_set_err(db *d, const char *msg) { snprintf(d->err, sizeof d->err, "%s", msg ? msg : "unknown error"); }

/* ---- the time budget (issue 9 §5) ---- */

static atomic_bool g_stop_all;

void db_stop_all(void) { atomic_store(&g_stop_all, true); }

bool db_budget_over(db *d)
{
	bool over = atomic_load_explicit(&g_stop_all, memory_order_relaxed) || (d->gone && atomic_load_explicit(d->gone, memory_order_relaxed)) ||
		    (d->deadline_ns && now_ns() > d->deadline_ns);
	if (over)
		d->interrupted = true;
	return over;
}

static atomic_uint_fast64_t g_gave_way_ns;
/* while writes wait, when the next turn of any giving-way read may begin: so
 * the reads together, however many run, take one turn of DB_GIVE_WAY_RUN_US
 * in every DB_GIVE_WAY_RUN_US + DB_GIVE_WAY_MAX_US */
static atomic_uint_fast64_t g_next_turn_ns;

void db_set_give_way(db *d, bool (*waiting)(void))
{
	d->give_way = waiting;
	d->turn_end_ns = now_ns() + DB_GIVE_WAY_AFTER_US * 1000ull;
}

uint64_t db_gave_way_ns(void) { return atomic_load_explicit(&g_gave_way_ns, memory_order_relaxed); }

void db_give_way(db *d)
{
	if (!d->give_way)
		return;
	uint64_t t0 = now_ns(), t = t0;
	if (t0 < d->turn_end_ns)
		return; /* its first DB_GIVE_WAY_AFTER_US, or its turn */
	while (d->give_way() && !db_budget_over(d)) {
		if (t - t0 >= DB_GIVE_WAY_MAX_US * 1000ull) { /* it has waited: the next turn, if no other read took it */
			uint_fast64_t next = atomic_load(&g_next_turn_ns);
			if (t >= next && atomic_compare_exchange_strong(&g_next_turn_ns, &next, t + (DB_GIVE_WAY_RUN_US + DB_GIVE_WAY_MAX_US) * 1000ull))
				break;
		}
		nanosleep(&(struct timespec){0, 1000 * 1000}, NULL);
		t = now_ns();
	}
	if (t > t0)
		atomic_fetch_add_explicit(&g_gave_way_ns, t - t0, memory_order_relaxed);
	d->turn_end_ns = t + DB_GIVE_WAY_RUN_US * 1000ull;
}

void db_set_budget(db *d, uint64_t deadline_ns, const atomic_bool *gone)
{
	d->deadline_ns = deadline_ns;
	d->gone = gone;
	d->interrupted = false;
}

void db_protect_writes(db *d, bool on) { d->protect_writes = on; }
bool db_interrupted(const db *d) { return d->interrupted; }
void db_test_slow(db *d, bool on) { d->test_slow = on; }

void db_cancel(db *d)
{
	if (d && d->ops->cancel)
		d->ops->cancel(d);
}

db *db_open(const char *url, char *err, size_t errlen)
{
	if (!strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13))
		return db_pg_open(url, err, errlen);
	if (!strncmp(url, "sqlite:", 7))
		url += 7;
	return db_sqlite_open(url, err, errlen);
}

void db_close(db *d)
{
	if (!d)
		return;
	for (db_stmt *s = d->newest, *next; s; s = next) {
		next = s->older;
		d->ops->destroy(s);
		free(s->sql);
		free(s);
	}
	d->ops->close(d);
}

enum db_kind db_kind(const db *d) { return d->kind; }

void db_set_trace(db *d, void (*fn)(void *ctx, const char *sql), void *ctx)
{
	d->trace = fn;
	d->trace_ctx = ctx;
}

uint64_t db_statement_count(const db *d) { return d->nstatements; }
uint64_t db_prepare_count(const db *d) { return d->nprepares; }
const char *db_errmsg(const db *d) { return d->err; }
int db_exec(db *d, const char *sql) { return d->ops->exec(d, sql); }

int db_wal_frames(db *d) { return d->wal_frames; }
int db_sync_later(db *d) { return d->ops->sync_later ? d->ops->sync_later(d) : DB_OK; }

int db_sync_wal(db *d) { return d->ops->sync_wal ? d->ops->sync_wal(d) : DB_OK; }

int db_checkpoint(db *d) { return d->ops->checkpoint ? d->ops->checkpoint(d) : DB_OK; }
bool db_in_tx(const db *d) { return d->in_tx; }

static atomic_uint_fast64_t g_tx_serials;
uint64_t db_tx_serial(const db *d) { return d->in_tx ? d->tx_serial : 0; }

/* On SQLite, transaction control goes through the statement cache: it runs
 * on every request, and parsing it each time showed in profiles. PostgreSQL
 * keeps the simple protocol, whose backend checks that a COMMIT committed. */
static int run_untraced(db *d, bool faultable, const char *sql, ...);
static int fault_hit(db *d);

/* faultable: BEGIN and COMMIT may be made to fail by db_fault_inject, never a
 * ROLLBACK (it is what cleans up after a fault). */
static int tx_control(db *d, bool faultable, const char *sql)
{
	int rc;
	d->in_control = true;
	if (d->kind == DB_SQLITE)
		rc = run_untraced(d, faultable, sql);
	else {
		int f = faultable ? fault_hit(d) : DB_OK;
		rc = f != DB_OK ? f : d->ops->exec(d, sql);
	}
	d->in_control = false;
	return rc;
}

int db_begin(db *d, bool write)
{
	int rc;
	if (d->deadline_ns && d->ops->begin_budget) { /* PostgreSQL: the rest of the budget as statement_timeout */
		uint64_t now = now_ns();
		int64_t ms = d->deadline_ns > now ? (int64_t)((d->deadline_ns - now) / 1000000) : 0;
		rc = fault_hit(d);
		if (rc == DB_OK)
			rc = d->ops->begin_budget(d, ms > 0 ? ms : 1);
	} else
		rc = tx_control(d, true, d->kind == DB_SQLITE && write ? "BEGIN IMMEDIATE" : "BEGIN");
	d->in_tx = rc == DB_OK;
	if (d->in_tx)
		d->tx_serial = atomic_fetch_add(&g_tx_serials, 1) + 1;
	return rc;
}

/* One name is enough: savepoints nest, and each release or rollback names the innermost. */
int db_savepoint(db *d) { return tx_control(d, false, "SAVEPOINT dj_req"); }
int db_release(db *d) { return tx_control(d, false, "RELEASE dj_req"); }

void db_rollback_to(db *d)
{
	(void)tx_control(d, false, "ROLLBACK TO dj_req");
	(void)tx_control(d, false, "RELEASE dj_req");
}

bool db_tx_lost(db *d)
{
	if (!d->in_tx || !d->ops->tx_lost || !d->ops->tx_lost(d))
		return false;
	d->in_tx = false;
	return true;
}

int db_commit(db *d)
{
	int rc = tx_control(d, true, "COMMIT");
	if (rc != DB_OK)
		tx_control(d, false, "ROLLBACK");
	d->in_tx = false;
	return rc;
}

void db_rollback(db *d)
{
	if (d->in_tx)
		tx_control(d, false, "ROLLBACK");
	d->in_tx = false;
}

static uint32_t hash_sql(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

int db_count_placeholders(const char *sql)
{
	int n = 0;
	const char *p = sql;
	while (*p) {
		if (*p == '\'' || *p == '"') { /* a doubled quote reads as leaving and re-entering */
			char quote = *p++;
			while (*p && *p != quote)
				p++;
			if (*p)
				p++;
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			p += 2;
			while (*p && !(p[0] == '*' && p[1] == '/'))
				p++;
			p += *p ? 2 : 0;
		} else
			n += *p++ == '?';
	}
	return n;
}

/* Every prepare goes through here: the placeholders are counted once per
 * prepare (not per call), so a types string that does not fit its SQL fails
 * the same way on both engines, with a message that says what is wrong. */
static db_stmt *prepare(db *d, const char *sql, int nparams)
{
	int nph = db_count_placeholders(sql);
	if (nph != nparams) {
		snprintf(d->err, sizeof d->err, "%d placeholders but %d parameter types", nph, nparams);
		return NULL;
	}
	db_stmt *s = d->ops->prepare(d, sql);
	if (s)
		d->nprepares++;
	return s;
}

static void lru_unlink(db *d, db_stmt *s)
{
	if (s->newer)
		s->newer->older = s->older;
	else
		d->newest = s->older;
	if (s->older)
		s->older->newer = s->newer;
	else
		d->oldest = s->newer;
	s->newer = s->older = NULL;
}

static void lru_push_newest(db *d, db_stmt *s)
{
	s->older = d->newest;
	s->newer = NULL;
	if (d->newest)
		d->newest->newer = s;
	else
		d->oldest = s;
	d->newest = s;
}

/* Drops the least recently used idle statement; false when every cached
 * statement is in use (only possible with DB_CACHE_SLOTS nested queries). */
static bool evict_one(db *d)
{
	db_stmt *victim = d->oldest;
	while (victim && victim->busy)
		victim = victim->newer;
	if (!victim)
		return false;
	db_stmt **pp = &d->bucket[victim->hash & (DB_CACHE_BUCKETS - 1)];
	while (*pp != victim)
		pp = &(*pp)->chain;
	*pp = victim->chain;
	lru_unlink(d, victim);
	d->ncached--;
	victim->cached = false; /* so the PostgreSQL backend DEALLOCATEs it */
	d->ops->destroy(victim);
	free(victim->sql);
	free(victim);
	return true;
}

/* A statement from the cache when it is there and idle; a fresh, uncached one
 * when the cached one is in use (a statement can be nested inside a loop over
 * itself); otherwise a new one that enters the cache, evicting the least
 * recently used idle statement when all slots are taken. */
static db_stmt *stmt_get(db *d, const char *sql, int nparams)
{
	uint32_t h = hash_sql(sql);
	db_stmt **head = &d->bucket[h & (DB_CACHE_BUCKETS - 1)];
	for (db_stmt *s = *head; s; s = s->chain) {
		if (s->hash != h || strcmp(s->sql, sql))
			continue;
		if (s->busy)
			return prepare(d, sql, nparams);
		if (d->newest != s) {
			lru_unlink(d, s);
			lru_push_newest(d, s);
		}
		return s;
	}
	db_stmt *s = prepare(d, sql, nparams);
	if (!s)
		return NULL;
	if (d->ncached >= DB_CACHE_SLOTS && !evict_one(d))
		return s; /* uncached: destroyed by db_done */
	s->cached = true;
	s->hash = h;
	s->chain = *head;
	*head = s;
	lru_push_newest(d, s);
	d->ncached++;
	return s;
}

/* An SQL error other than a constraint is a bug or an outage: say so loudly,
 * once, with the statement (the e2e tests fail on this line). */
static void report(db *d, const char *sql, int rc)
{
	if (rc == DB_ERR) { /* the engine's message may quote a value: escaped */
		char msg[512], text[256];
		fprintf(stderr, "dangjian: sql error: %s [%s]\n", log_safe(d->err, msg, sizeof msg), log_safe(sql, text, sizeof text));
	}
}

static db_stmt error_stmt_template;

void db_fault_inject(db *d, uint64_t nth, enum db_fault kind)
{
	d->fault_kind = kind;
	d->fault_at = nth && kind != DB_FAULT_NONE ? d->nfaultpoints + nth : 0;
}

uint64_t db_fault_points(const db *d) { return d->nfaultpoints; }

/* Counts a point where a statement could fail; the armed one fails, once. */
static int fault_hit(db *d)
{
	d->nfaultpoints++;
	if (!d->fault_at || d->nfaultpoints != d->fault_at)
		return DB_OK;
	d->fault_at = 0;
	switch (d->fault_kind) {
	case DB_FAULT_BUSY: db_set_err(d, "database is locked (injected)"); return DB_BUSY;
	case DB_FAULT_IO: db_set_err(d, "disk I/O error (injected)"); return DB_ERR;
	case DB_FAULT_NOMEM: db_set_err(d, "out of memory (injected)"); return DB_ERR;
	default: return DB_OK;
	}
}

/* Q_TRACED: counted and handed to the trace hook (all but transaction
 * control); Q_FAULT: may be made to fail by db_fault_inject. A statement that
 * cannot start gives NULL, with its status in d->stub_status. */
enum { Q_TRACED = 1, Q_FAULT = 2 };

static db_stmt *vquery(db *d, int how, const char *sql, const char *types, va_list ap)
{
	d->stub_status = DB_ERR;
	if (how & Q_TRACED) {
		d->nstatements++;
		if (d->trace)
			d->trace(d->trace_ctx, sql);
		if (db_budget_over(d)) { /* refused before it starts: nothing to report */
			db_set_err(d, "interrupted: the request's time budget is spent, its client has gone or the server is stopping");
			d->stub_status = DB_INTERRUPTED;
			return NULL;
		}
		if (d->test_slow && d->ops->slow_sql) {
			d->test_slow = false;
			int rc = run_untraced(d, false, d->ops->slow_sql);
			d->test_slow = true;
			if (rc != DB_OK) {
				d->stub_status = rc;
				return NULL;
			}
		}
	}
	if (how & Q_FAULT) {
		int f = fault_hit(d);
		if (f != DB_OK) {
			d->stub_status = f;
			report(d, sql, f);
			return NULL;
		}
	}
	db_param p[DB_MAX_PARAMS];
	int n = 0;
	for (const char *t = types ? types : ""; *t; t++) {
		if (n == DB_MAX_PARAMS) {
			db_set_err(d, "too many parameters");
			report(d, sql, DB_ERR);
			return NULL;
		}
		switch (*t) {
		case 'i': p[n].type = 'I', p[n].i = va_arg(ap, int); break;
		case 'I': p[n].type = 'I', p[n].i = va_arg(ap, int64_t); break;
		case 't': p[n].t = va_arg(ap, const char *), p[n].type = p[n].t ? 't' : 'n'; break;
		case 'n': p[n].type = 'n'; break;
		default:
			db_set_err(d, "bad parameter type letter");
			report(d, sql, DB_ERR);
			return NULL;
		}
		n++;
	}
	db_stmt *s = stmt_get(d, sql, n);
	if (!s) {
		report(d, sql, DB_ERR);
		return NULL;
	}
	s->busy = true;
	s->status = DB_OK;
	s->status = d->ops->start(s, n, p);
	return s;
}

db_stmt *db_query(db *d, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	db_stmt *s = vquery(d, Q_TRACED | Q_FAULT, sql, types, ap);
	va_end(ap);
	if (!s) {
		/* A statement that failed to prepare: hand back a per-connection
		 * error stub so call sites need no NULL checks. */
		db_stmt *e = calloc(1, sizeof *e);
		*e = error_stmt_template;
		e->d = d;
		e->status = d->stub_status;
		e->busy = true;
		return e;
	}
	return s;
}

bool db_next(db_stmt *s)
{
	if (s->status != DB_OK || !s->impl)
		return false;
	return s->d->ops->next(s);
}

int64_t db_int(db_stmt *s, int col) { return s->impl ? s->d->ops->col_int(s, col) : 0; }
const char *db_text(db_stmt *s, int col) { return s->impl ? s->d->ops->col_text(s, col) : NULL; }
bool db_isnull(db_stmt *s, int col) { return db_text(s, col) == NULL; }

const char *db_str(db_stmt *s, int col)
{
	const char *t = db_text(s, col);
	return t ? t : "";
}

int db_done(db_stmt *s)
{
	int rc = s->status;
	if (rc == DB_INTERRUPTED)
		s->d->interrupted = true;
	if (!s->impl) { /* error stub, reported when it failed */
		free(s);
		return rc;
	}
	int rc2 = s->d->ops->finish(s);
	if (rc == DB_OK)
		rc = rc2;
	if (rc == DB_INTERRUPTED)
		s->d->interrupted = true;
	report(s->d, s->sql, rc);
	s->busy = false;
	if (!s->cached) {
		s->d->ops->destroy(s);
		free(s->sql);
		free(s);
	}
	return rc;
}

static int vrun(db *d, int how, const char *sql, const char *types, va_list ap)
{
	db_stmt *s = vquery(d, how, sql, types, ap);
	if (!s)
		return d->stub_status;
	while (db_next(s))
		;
	return db_done(s);
}

int db_run(db *d, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	int rc = vrun(d, Q_TRACED | Q_FAULT, sql, types, ap);
	va_end(ap);
	return rc;
}

static int run_untraced(db *d, bool faultable, const char *sql, ...)
{
	va_list ap;
	va_start(ap, sql);
	int rc = vrun(d, faultable ? Q_FAULT : 0, sql, "", ap);
	va_end(ap);
	return rc;
}

int64_t db_changes(db *d) { return d->ops->changes(d); }

int64_t db_int1(db *d, int64_t dflt, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	db_stmt *s = vquery(d, Q_TRACED | Q_FAULT, sql, types, ap);
	va_end(ap);
	if (!s)
		return dflt;
	int64_t v = dflt;
	if (db_next(s) && !db_isnull(s, 0))
		v = db_int(s, 0);
	db_done(s);
	return v;
}

int db_integrity(db *d, char *msg, size_t msglen) { return d->ops->integrity(d, msg, msglen); }

int db_backup(db *d, const char *path, char *err, size_t errlen) { return d->ops->backup(d, path, err, errlen); }

/* Replaces @ID@ by the engine's integer primary key type, and keeps the
 * lines of a block for one engine only on that engine: a line "-- @postgresql"
 * or "-- @sqlite" starts such a block, "-- @both" ends it (a trigger, whose
 * syntax the two engines do not share). */
static char *migration_sql(db *d, const char *sql)
{
	const char *id = d->kind == DB_SQLITE ? "INTEGER PRIMARY KEY" : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
	size_t cap = strlen(sql) * 2 + 64;
	char *out = malloc(cap), *o = out;
	int only = 0; /* 0: both engines; else the one engine the lines are for */
	for (const char *p = sql; *p;) {
		if ((p == sql || p[-1] == '\n') && !strncmp(p, "-- @", 4)) {
			if (!strncmp(p, "-- @postgresql", 14))
				only = DB_PG;
			else if (!strncmp(p, "-- @sqlite", 10))
				only = DB_SQLITE;
			else if (!strncmp(p, "-- @both", 8))
				only = 0;
		}
		if (only && only != (int)d->kind) {
			while (*p && *p != '\n')
				p++;
			if (*p)
				p++;
			continue;
		}
		if (!strncmp(p, "@ID@", 4)) {
			size_t l = strlen(id);
			memcpy(o, id, l);
			o += l;
			p += 4;
		} else
			*o++ = *p++;
	}
	*o = 0;
	return out;
}

int db_migrations_check(const struct embedded_migration *m, size_t n, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (m[i].version == m[j].version) {
				snprintf(err, errlen, "migrations %03d_%s and %03d_%s share the number %03d", m[i].version, m[i].name, m[j].version,
					 m[j].name, m[i].version);
				return -1;
			}
	return 0;
}

int db_migrate(db *d, char *err, size_t errlen)
{
	/* Only the first of two with one number would ever be applied on a
	 * database that recorded it: refuse before touching anything. */
	if (db_migrations_check(embedded_migrations, embedded_migrations_count, err, errlen) < 0)
		return -1;
	if (db_begin(d, true) != DB_OK) {
		snprintf(err, errlen, "begin: %s", d->err);
		return -1;
	}
	/* Several nodes may start at once against one PostgreSQL: one migrates, the others wait. */
	if (d->kind == DB_PG && db_run(d, "SELECT pg_advisory_xact_lock(4242)", "") != DB_OK) {
		snprintf(err, errlen, "lock: %s", d->err);
		db_rollback(d);
		return -1;
	}
	if (db_exec(d, "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)") !=
	    DB_OK) {
		snprintf(err, errlen, "schema_migrations: %s", d->err);
		db_rollback(d);
		return -1;
	}
	int applied = 0;
	for (size_t i = 0; i < embedded_migrations_count; i++) {
		const struct embedded_migration *m = &embedded_migrations[i];
		if (db_int1(d, 0, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", "i", m->version) > 0)
			continue;
		char *sql = migration_sql(d, m->sql);
		int rc = db_exec(d, sql);
		free(sql);
		if (rc != DB_OK) {
			snprintf(err, errlen, "migration %03d_%s: %s", m->version, m->name, d->err);
			db_rollback(d);
			return -1;
		}
		if (db_run(d, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", "itI", m->version, m->name,
			   (int64_t)time(NULL)) != DB_OK) {
			snprintf(err, errlen, "record migration: %s", d->err);
			db_rollback(d);
			return -1;
		}
		applied++;
	}
	if (db_commit(d) != DB_OK) {
		snprintf(err, errlen, "commit: %s", d->err);
		return -1;
	}
	return applied;
}
