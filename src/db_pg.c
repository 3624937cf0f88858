/* db_pg — the PostgreSQL backend (SPEC §4: several nodes share one PostgreSQL).
 *
 * Statements are written with `?` and rewritten to $1…$n here; each cached
 * statement is a named server-side prepared statement. Parameters travel as
 * text and the server infers their types from the statement. A result is
 * fetched whole by start(), so next() only walks rows in memory and a
 * statement may be nested inside a loop over itself. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_impl.h"

struct pg_conn {
	PGconn *conn;
	unsigned next_name;  /* source of unique statement names */
	unsigned generation; /* bumped when the connection is re-established */
	int64_t changes;     /* rows changed by the last INSERT/UPDATE/DELETE/MERGE */
	unsigned *stale;     /* names of statements to DEALLOCATE when the transaction allows it */
	size_t nstale, capstale;
};

struct pg_stmt {
	char *sql; /* with $1…$n */
	int nparams;
	unsigned name; /* prepared as "s<name>" */
	unsigned generation;
	bool prepared;
	PGresult *res;
	int row, nrows;
};

static struct pg_conn *C(db *d) { return d->impl; }
static struct pg_stmt *S(db_stmt *s) { return s->impl; }

/* SQLSTATE classes: 23 integrity violation; 40001 serialization failure,
 * 40P01 deadlock, 55P03 lock not available are worth retrying. */
static int status_of(const PGresult *r)
{
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY)
		return DB_OK;
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (state && !strncmp(state, "23", 2))
		return DB_CONSTRAINT;
	if (state && (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03")))
		return DB_BUSY;
	if (state && !strcmp(state, "57014")) /* query_canceled: statement_timeout or a cancel request */
		return DB_INTERRUPTED;
	return DB_ERR;
}

/* Sets d->err from a failed result (or the connection when there is none). */
static void set_err(db *d, const PGresult *r)
{
	const char *m = r ? PQresultErrorMessage(r) : "";
	if (!m || !*m)
		m = PQerrorMessage(C(d)->conn);
	db_set_err(d, m && *m ? m : "unknown PostgreSQL error");
	size_t l = strlen(d->err); /* libpq messages end in a newline */
	while (l && (d->err[l - 1] == '\n' || d->err[l - 1] == ' '))
		d->err[--l] = 0;
}

/* SQLite counts only rows changed by INSERT/UPDATE/DELETE; so do we. */
static void note_changes(db *d, const PGresult *r)
{
	const char *tag = PQcmdStatus((PGresult *)r);
	if (tag && (!strncmp(tag, "INSERT ", 7) || !strncmp(tag, "UPDATE ", 7) || !strncmp(tag, "DELETE ", 7) || !strncmp(tag, "MERGE ", 6)))
		C(d)->changes = strtoll(PQcmdTuples((PGresult *)r), NULL, 10);
}

static void notice_ignore(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Settings every session needs, on open and after a reconnect. */
static int session_setup(PGconn *conn)
{
	PQsetNoticeProcessor(conn, notice_ignore, NULL);
	PGresult *r = PQexec(conn, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	return ok;
}

/* A server restart or a dropped connection would otherwise leave a node
 * useless until it is restarted. Outside a transaction it is safe to start
 * over on a fresh connection: statements re-prepare themselves. Inside one,
 * the work so far is lost, so the error is left to reach the caller. */
static void reconnect_if_lost(db *d)
{
	struct pg_conn *c = C(d);
	if (PQstatus(c->conn) != CONNECTION_BAD || d->in_tx)
		return;
	PQreset(c->conn);
	if (PQstatus(c->conn) == CONNECTION_OK && session_setup(c->conn)) {
		c->generation++;
		c->nstale = 0; /* they died with the old session */
	}
}

/* Uncached statements are deallocated when they are destroyed, so a long-lived
 * connection does not pile up prepared statements. That waits until no
 * transaction is open: the server refuses DEALLOCATE in a failed transaction,
 * and an error there would abort the caller's transaction. */
static void flush_stale(db *d)
{
	struct pg_conn *c = C(d);
	if (!c->nstale || PQtransactionStatus(c->conn) != PQTRANS_IDLE)
		return;
	for (size_t i = 0; i < c->nstale; i++) {
		char q[32];
		snprintf(q, sizeof q, "DEALLOCATE s%u", c->stale[i]);
		PQclear(PQexec(c->conn, q));
	}
	c->nstale = 0;
}

static void pg_close(db *d)
{
	PQfinish(C(d)->conn);
	free(C(d)->stale);
	free(d->impl);
	free(d);
}

static int pg_exec(db *d, const char *sql)
{
	reconnect_if_lost(d);
	PGresult *r = PQexec(C(d)->conn, sql);
	int rc = status_of(r);
	if (rc != DB_OK)
		set_err(d, r);
	else {
		note_changes(d, r);
		/* COMMIT of a transaction that met an error succeeds and reports
		 * ROLLBACK: nothing was written, which the caller must learn. */
		if (!strcmp(sql, "COMMIT") && !strcmp(PQcmdStatus(r), "ROLLBACK")) {
			db_set_err(d, "transaction rolled back: an earlier statement in it failed");
			rc = DB_ERR;
		}
	}
	PQclear(r);
	flush_stale(d);
	return rc;
}

/* `?` → `$n`, except inside '…' strings ('' escapes itself), "…" identifiers
 * and comments. Returns the parameter count, or -1 when there are too many. */
static int rewrite_placeholders(const char *sql, char **out)
{
	size_t q = 0;
	for (const char *p = sql; *p; p++)
		q += *p == '?';
	char *o = malloc(strlen(sql) + q * 4 + 1), *w = o;
	int n = 0;
	const char *p = sql;
	while (*p) {
		if (*p == '\'' || *p == '"') { /* a doubled quote inside reads as leaving and re-entering */
			char quote = *p;
			*w++ = *p++;
			while (*p && *p != quote)
				*w++ = *p++;
			if (*p)
				*w++ = *p++;
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				*w++ = *p++;
		} else if (p[0] == '/' && p[1] == '*') {
			*w++ = *p++;
			*w++ = *p++;
			while (*p && !(p[0] == '*' && p[1] == '/'))
				*w++ = *p++;
			for (int k = 0; k < 2 && *p; k++)
				*w++ = *p++;
		} else if (*p == '?') {
			if (++n > 9999) {
				free(o);
				return -1;
			}
			w += sprintf(w, "$%d", n);
			p++;
		} else
			*w++ = *p++;
	}
	*w = 0;
	*out = o;
	return n;
}

static int prepare_on_server(db *d, struct pg_stmt *ps)
{
	struct pg_conn *c = C(d);
	char name[16];
	ps->name = ++c->next_name;
	snprintf(name, sizeof name, "s%u", ps->name);
	PGresult *r = PQprepare(c->conn, name, ps->sql, 0, NULL);
	int rc = status_of(r);
	if (rc != DB_OK)
		set_err(d, r);
	PQclear(r);
	ps->prepared = rc == DB_OK;
	ps->generation = c->generation;
	return rc;
}

static db_stmt *pg_prepare(db *d, const char *sql)
{
	reconnect_if_lost(d);
	flush_stale(d);
	struct pg_stmt *ps = calloc(1, sizeof *ps);
	ps->nparams = rewrite_placeholders(sql, &ps->sql);
	if (ps->nparams < 0) {
		db_set_err(d, "too many placeholders");
		free(ps);
		return NULL;
	}
	ps->row = -1;
	if (prepare_on_server(d, ps) != DB_OK) {
		free(ps->sql);
		free(ps);
		return NULL;
	}
	db_stmt *s = calloc(1, sizeof *s);
	s->d = d;
	s->sql = strdup(sql);
	s->impl = ps;
	return s;
}

static int pg_start(db_stmt *s, int n, const db_param *p)
{
	struct pg_stmt *ps = S(s);
	db *d = s->d;
	PQclear(ps->res);
	ps->res = NULL;
	ps->row = -1;
	ps->nrows = 0;
	if (n != ps->nparams) {
		db_set_err(d, "wrong number of parameters");
		return DB_ERR;
	}
	reconnect_if_lost(d);
	if (ps->generation != C(d)->generation || !ps->prepared) {
		int rc = prepare_on_server(d, ps);
		if (rc != DB_OK)
			return rc;
	}
	char nums[DB_MAX_PARAMS][24];
	const char *vals[DB_MAX_PARAMS];
	for (int i = 0; i < n; i++) {
		if (p[i].type == 'I') {
			snprintf(nums[i], sizeof nums[i], "%lld", (long long)p[i].i);
			vals[i] = nums[i];
		} else if (p[i].type == 't')
			vals[i] = p[i].t;
		else
			vals[i] = NULL;
	}
	char name[16];
	snprintf(name, sizeof name, "s%u", ps->name);
	PGresult *r = PQexecPrepared(C(d)->conn, name, n, n ? vals : NULL, NULL, NULL, 0);
	int rc = status_of(r);
	/* after a timeout the transaction refuses every statement (25P02): that is
	 * the same interruption, not a new error */
	const char *state = rc == DB_ERR ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (d->interrupted && state && !strcmp(state, "25P02"))
		rc = DB_INTERRUPTED;
	if (rc != DB_OK) {
		set_err(d, r);
		PQclear(r);
		return rc;
	}
	note_changes(d, r);
	ps->res = r;
	ps->nrows = PQntuples(r);
	return DB_OK;
}

static bool pg_next(db_stmt *s)
{
	struct pg_stmt *ps = S(s);
	if (!ps->res || ps->row >= ps->nrows)
		return false;
	return ++ps->row < ps->nrows;
}

static const char *pg_text(db_stmt *s, int col)
{
	struct pg_stmt *ps = S(s);
	if (!ps->res || ps->row < 0 || ps->row >= ps->nrows || col < 0 || col >= PQnfields(ps->res))
		return NULL;
	if (PQgetisnull(ps->res, ps->row, col))
		return NULL;
	return PQgetvalue(ps->res, ps->row, col);
}

static int64_t pg_int(db_stmt *s, int col)
{
	const char *t = pg_text(s, col);
	if (!t)
		return 0;
	/* A boolean expression comes back as t/f; the house rule avoids them, but be safe. */
	if (!strcmp(t, "t"))
		return 1;
	if (!strcmp(t, "f"))
		return 0;
	return strtoll(t, NULL, 10);
}

static int pg_finish(db_stmt *s)
{
	struct pg_stmt *ps = S(s);
	PQclear(ps->res);
	ps->res = NULL;
	ps->row = -1;
	ps->nrows = 0;
	return DB_OK;
}

static void pg_destroy(db_stmt *s)
{
	struct pg_stmt *ps = S(s);
	struct pg_conn *c = C(s->d);
	PQclear(ps->res);
	/* A cached statement lives as long as the connection; an uncached one
	 * (nested, or the cache was full) is dropped on the server too. */
	if (!s->cached && ps->prepared && ps->generation == c->generation) {
		if (c->nstale == c->capstale) {
			c->capstale = c->capstale ? c->capstale * 2 : 16;
			c->stale = realloc(c->stale, c->capstale * sizeof *c->stale);
		}
		c->stale[c->nstale++] = ps->name;
		flush_stale(s->d);
	}
	free(ps->sql);
	free(ps);
	s->impl = NULL;
}

static int64_t pg_changes(db *d) { return C(d)->changes; }

/* PostgreSQL enforces foreign keys and checks its pages itself, so there is no
 * counterpart to SQLite's integrity_check/foreign_key_check. This checks that
 * the server answers, the schema is there, and no index was left invalid by a
 * failed build. */
static int pg_integrity(db *d, char *msg, size_t msglen)
{
	static const char *const checks[] = {
		"SELECT 1",
		"SELECT COUNT(*) FROM schema_migrations",
		"SELECT COUNT(*) FROM pg_index WHERE NOT indisvalid",
	};
	reconnect_if_lost(d);
	for (size_t i = 0; i < sizeof checks / sizeof *checks; i++) {
		PGresult *r = PQexec(C(d)->conn, checks[i]);
		if (status_of(r) != DB_OK || PQntuples(r) != 1) {
			set_err(d, r);
			snprintf(msg, msglen, "%s: %s", checks[i], d->err);
			PQclear(r);
			return DB_ERR;
		}
		long long v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
		if (i == 2 && v) {
			snprintf(msg, msglen, "%lld invalid index(es); see pg_index.indisvalid", v);
			return DB_ERR;
		}
	}
	snprintf(msg, msglen, "ok");
	return DB_OK;
}

/* A PostgreSQL database is backed up by its own tools, which know its
 * snapshot, roles and sequences: pg_dump (a logical copy) or pg_basebackup. */
static int pg_backup(db *d, const char *path, char *err, size_t errlen)
{
	(void)d;
	snprintf(err, errlen,
		 "a PostgreSQL database is backed up with pg_dump, e.g. pg_dump --format=custom --file=%s \"$DATABASE_URL\" "
		 "(restore with pg_restore --dbname=URL FILE)",
		 path);
	return DB_ERR;
}

/* The request's transaction with the rest of its time budget as the timeout
 * of each statement: one round trip. */
static int pg_begin_budget(db *d, int64_t ms)
{
	char q[96];
	snprintf(q, sizeof q, "BEGIN; SET LOCAL statement_timeout = %lld", (long long)ms);
	return pg_exec(d, q);
}

/* Thread-safe (libpq's cancel request goes over a connection of its own). */
static void pg_cancel(db *d)
{
	PGcancel *c = PQgetCancel(C(d)->conn);
	if (!c)
		return;
	char err[256];
	PQcancel(c, err, sizeof err);
	PQfreeCancel(c);
}

static const struct db_ops pg_ops = {
	pg_close,   pg_exec,    pg_prepare,   pg_start,  pg_next, pg_int,          pg_text,   pg_finish,
	pg_destroy, pg_changes, pg_integrity, pg_backup, NULL,    pg_begin_budget, pg_cancel, "SELECT pg_sleep(30)",
};

db *db_pg_open(const char *url, char *err, size_t errlen)
{
	PGconn *conn = PQconnectdb(url);
	if (!conn) {
		snprintf(err, errlen, "PostgreSQL: out of memory");
		return NULL;
	}
	if (PQstatus(conn) != CONNECTION_OK || !session_setup(conn)) {
		snprintf(err, errlen, "PostgreSQL: %s", PQerrorMessage(conn));
		size_t l = strlen(err);
		while (l && err[l - 1] == '\n')
			err[--l] = 0;
		PQfinish(conn);
		return NULL;
	}
	struct pg_conn *c = calloc(1, sizeof *c);
	c->conn = conn;
	db *d = calloc(1, sizeof *d);
	d->kind = DB_PG;
	d->ops = &pg_ops;
	d->impl = c;
	return d;
}
