/* notify — the inbox and the outbox, for any record (entity kind, id): the
 * domain function of a mechanism says who hears of what (the branch of a new
 * order, the committee of an escalated one, whoever is assigned, the branch
 * when a time limit passes), in the same transaction as the change; the
 * messages wait in the outbox until the background task sends them. The
 * inbox pages are in notify_web.c. */
#include "notify.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "util.h"
#include "valid.h"

/* The log adapter sends nothing: the message stays in the outbox table
 * (marked sent), and notify_flush prints one summary line per run (once a
 * minute), not one line per message, which buried the console's output. */
static int log_send(const char *recipient, const char *text)
{
	(void)recipient, (void)text;
	return 0;
}

static const struct notify_adapter log_adapter = {"log", log_send};
const struct notify_adapter *notify_adapter = &log_adapter;

/* The SMS sink of a deployment without a gateway (issue 10 §5): appended to
 * $DANGJIAN_SMS_LOG, one line a message (time, number, text); else only the
 * masked number on stderr, so that no code is left in a console log. */
static int sms_file_send(const char *recipient, const char *text)
{
	const char *path = getenv("DANGJIAN_SMS_LOG");
	if (!path || !*path) {
		char masked[24];
		mask_phone(recipient, masked);
		fprintf(stderr, "dangjian: sms to %s (no gateway; set DANGJIAN_SMS_LOG to keep them)\n", masked);
		return 0;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	char when[20];
	fmt_time(now_unix(), when);
	buf line = {0};
	buf_printf(&line, "%s\t%s\t%s\n", when, recipient, text);
	/* one write of an O_APPEND file: the lines of two nodes do not mix */
	ssize_t n = write(fd, buf_str(&line), line.len);
	bool ok = n == (ssize_t)line.len;
	buf_free(&line);
	return close(fd) == 0 && ok ? 0 : -1;
}

static const struct notify_adapter sms_file_adapter = {"sms", sms_file_send};
const struct notify_adapter *notify_sms_adapter = &sms_file_adapter;

int notify_sms(db *d, const char *phone, const char *text, int64_t now)
{
	return db_run(d, "INSERT INTO outbox (at, channel, recipient, text) VALUES (?, ?, ?, ?)", "Ittt", now, notify_sms_adapter->name, phone, text);
}

int notify_user(db *d, int64_t user_id, const char *kind, const char *entity, int64_t entity_id, const char *text, int64_t now)
{
	if (!user_id)
		return DB_OK;
	int rc = db_run(d, "INSERT INTO notifications (user_id, at, kind, entity, entity_id, text) VALUES (?, ?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?)",
			"IIttIt", user_id, now, kind, entity ? entity : "", entity_id, text);
	if (rc != DB_OK)
		return rc;
	return db_run(d, "INSERT INTO outbox (at, channel, recipient, text) SELECT ?, ?, username, ? FROM users WHERE id = ?", "Itti", now,
		      notify_adapter->name, text, (int)user_id);
}

static int notify_query(db *d, db_stmt *s, const char *kind, const char *entity, int64_t entity_id, const char *text, int64_t now)
{
	int64_t ids[64];
	int n = 0;
	while (db_next(s) && n < 64)
		ids[n++] = db_int(s, 0);
	int rc = db_done(s);
	for (int i = 0; i < n && rc == DB_OK; i++)
		rc = notify_user(d, ids[i], kind, entity, entity_id, text, now);
	return rc;
}

/* Two statements however many accounts the org has (a read, then two inserts
 * an account, before): each order placed notifies its branch, in the SQLite
 * writer's batch (issue 9 §3). The same rows as notify_user for each of the
 * first 64 accounts. */
int notify_org_role(db *d, int64_t org_id, const char *role, const char *kind, const char *entity, int64_t entity_id, const char *text, int64_t now)
{
	int rc = db_run(d,
			"INSERT INTO notifications (user_id, at, kind, entity, entity_id, text) SELECT id, ?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ? "
			"FROM users WHERE org_id = ? AND role = ? AND active = 1 ORDER BY id LIMIT 64",
			"IttItIt", now, kind, entity ? entity : "", entity_id, text, org_id, role);
	if (rc != DB_OK)
		return rc;
	return db_run(d,
		      "INSERT INTO outbox (at, channel, recipient, text) SELECT ?, ?, username, ? FROM users WHERE org_id = ? AND role = ? "
		      "AND active = 1 ORDER BY id LIMIT 64",
		      "IttIt", now, notify_adapter->name, text, org_id, role);
}

int notify_committee_above(db *d, int64_t org_id, const char *kind, const char *entity, int64_t entity_id, const char *text, int64_t now)
{
	return notify_query(d,
			    db_query(d,
				     "SELECT u.id FROM users u JOIN orgs c ON c.id = u.org_id, orgs o WHERE o.id = ? AND u.role = 'committee' "
				     "AND u.active = 1 AND o.path LIKE c.path || '%'",
				     "I", org_id),
			    kind, entity, entity_id, text, now);
}

int64_t notify_unread(db *d, int64_t user_id)
{
	return db_int1(d, 0, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", "I", user_id);
}

int notify_page(db *d, int64_t user_id, int64_t before, int limit, void (*fn)(void *ctx, const struct notification *n), void *ctx)
{
	db_stmt *s = db_query(d,
			      "SELECT id, at, kind, text, entity, COALESCE(entity_id, 0), CASE WHEN read_at IS NULL THEN 0 ELSE 1 END "
			      "FROM notifications WHERE user_id = ? AND (CAST(? AS BIGINT) = 0 OR id < ?) ORDER BY id DESC LIMIT ?",
			      "IIII", user_id, before, before, (int64_t)limit);
	int n = 0;
	while (db_next(s)) {
		struct notification m = {db_int(s, 0), db_int(s, 1), db_str(s, 2), db_str(s, 3), db_str(s, 4), db_int(s, 5), db_int(s, 6) != 0};
		fn(ctx, &m);
		n++;
	}
	db_done(s);
	return n;
}

void notify_each(db *d, int64_t user_id, void (*fn)(void *ctx, const struct notification *n), void *ctx) { notify_page(d, user_id, 0, 100, fn, ctx); }

/* The inbox's total remembered per process (issue 9 §2): counting up to
 * 10,001 entries of notifications_user_id was most of the inbox page's CPU
 * for a busy secretary (5,176 messages: 0.3 ms). A user's messages are never
 * deleted, and on SQLite ids are given in the order the (one at a time)
 * writers commit, so the messages up to an id a reader has seen stay exactly
 * as many: the total is the remembered count up to that id plus the few
 * entries above it, read in the same statement as the database's instance
 * (summary_generation, random per database: a process that opens several
 * never takes one's count for another's). A trigger kept per user would add
 * a write to every notification — two for each order placed. On PostgreSQL
 * concurrent writers may commit ids out of order: counted every time. */
#define COUNT_MEMO_N 1024
struct count_memo {
	int64_t instance, user_id, upto, n; /* n messages with id <= upto (n <= NOTIFY_COUNT_CAP + 1) */
};
static struct count_memo g_counts[COUNT_MEMO_N];
static pthread_mutex_t g_counts_lock = PTHREAD_MUTEX_INITIALIZER;

/* The user's messages above id `after`, up to NOTIFY_COUNT_CAP + 1 of them,
 * in id order: their count, the last one's id (0: none) and the database's
 * instance, read in one statement (one snapshot). */
static bool count_above(db *d, int64_t user_id, int64_t after, int64_t *instance, int64_t *n, int64_t *last)
{
	db_stmt *s = db_query(d,
			      "SELECT COALESCE((SELECT instance FROM summary_generation WHERE id = 1), 0), COUNT(*), COALESCE(MAX(x.id), 0) "
			      "FROM (SELECT id FROM notifications WHERE user_id = ? AND id > ? ORDER BY id LIMIT ?) x",
			      "III", user_id, after, (int64_t)NOTIFY_COUNT_CAP + 1);
	*instance = *n = *last = 0;
	if (db_next(s))
		*instance = db_int(s, 0), *n = db_int(s, 1), *last = db_int(s, 2);
	return db_done(s) == DB_OK;
}

int64_t notify_count(db *d, int64_t user_id)
{
	if (db_kind(d) != DB_SQLITE)
		return db_int1(d, 0, "SELECT COUNT(*) FROM (SELECT id FROM notifications WHERE user_id = ? LIMIT ?) x", "II", user_id,
			       (int64_t)NOTIFY_COUNT_CAP + 1);
	struct count_memo *slot = &g_counts[(uint64_t)user_id % COUNT_MEMO_N], m;
	pthread_mutex_lock(&g_counts_lock);
	m = *slot;
	pthread_mutex_unlock(&g_counts_lock);
	if (m.user_id != user_id || !m.instance)
		m = (struct count_memo){0, user_id, 0, 0};
	int64_t instance, k, last;
	if (!count_above(d, user_id, m.upto, &instance, &k, &last))
		return 0;
	if (m.instance && instance != m.instance) { /* another database than the one remembered: count afresh */
		m = (struct count_memo){0, user_id, 0, 0};
		if (!count_above(d, user_id, 0, &instance, &k, &last))
			return 0;
	}
	m.instance = instance;
	m.n += k;
	if (m.n > NOTIFY_COUNT_CAP + 1)
		m.n = NOTIFY_COUNT_CAP + 1; /* shown as "10000+"; it only grows */
	if (last)
		m.upto = last;
	if (instance) { /* without summary_generation's row nothing is remembered */
		pthread_mutex_lock(&g_counts_lock);
		*slot = m;
		pthread_mutex_unlock(&g_counts_lock);
	}
	return m.n;
}

/* q as a LIKE pattern: %q% with % _ and \\ taken literally ("" when none). */
static void like_of(const char *q, char out[200])
{
	size_t n = 0;
	out[0] = 0;
	if (!q || !*q)
		return;
	out[n++] = '%';
	for (const char *c = q; *c && n < 196; c++) {
		if (*c == '%' || *c == '_' || *c == '\\')
			out[n++] = '\\';
		out[n++] = *c;
	}
	out[n++] = '%';
	out[n] = 0;
}

#define FILTERED                                                                               \
	"FROM notifications WHERE user_id = ? AND (CAST(? AS BIGINT) = 0 OR read_at IS NULL) " \
	"AND (CAST(? AS TEXT) = '' OR text LIKE ? ESCAPE '\\') "

int notify_page_filtered(db *d, int64_t user_id, const struct notify_filter *f, int limit, void (*fn)(void *ctx, const struct notification *n), void *ctx)
{
	char like[200];
	like_of(f->q, like);
	/* the order is the statement's: one statement each way */
	db_stmt *s = f->oldest
			     ? db_query(d,
					"SELECT id, at, kind, text, entity, COALESCE(entity_id, 0), CASE WHEN read_at IS NULL THEN 0 ELSE 1 END " FILTERED
					"AND id > ? ORDER BY id LIMIT ?",
					"IIttII", user_id, (int64_t)f->unread, like, like, f->cursor, (int64_t)limit)
			     : db_query(d,
					"SELECT id, at, kind, text, entity, COALESCE(entity_id, 0), CASE WHEN read_at IS NULL THEN 0 ELSE 1 END " FILTERED
					"AND (CAST(? AS BIGINT) = 0 OR id < ?) ORDER BY id DESC LIMIT ?",
					"IIttIII", user_id, (int64_t)f->unread, like, like, f->cursor, f->cursor, (int64_t)limit);
	int n = 0;
	while (db_next(s)) {
		struct notification m = {db_int(s, 0), db_int(s, 1), db_str(s, 2), db_str(s, 3), db_str(s, 4), db_int(s, 5), db_int(s, 6) != 0};
		fn(ctx, &m);
		n++;
	}
	db_done(s);
	return n;
}

int64_t notify_count_filtered(db *d, int64_t user_id, const struct notify_filter *f)
{
	char like[200];
	like_of(f->q, like);
	return db_int1(d, 0, "SELECT COUNT(*) FROM (SELECT id " FILTERED "LIMIT ?) x", "IIttI", user_id, (int64_t)f->unread, like, like,
		       (int64_t)NOTIFY_COUNT_CAP + 1);
}

int notify_mark_all_read(db *d, int64_t user_id, int64_t now)
{
	return db_run(d, "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL", "II", now, user_id);
}

enum dj_result notify_open(db *d, int64_t user_id, int64_t id, int64_t now, char entity[32], int64_t *entity_id)
{
	*entity = 0;
	*entity_id = 0;
	db_stmt *s = db_query(
		d, "SELECT entity, COALESCE(entity_id, 0), CASE WHEN read_at IS NULL THEN 0 ELSE 1 END FROM notifications WHERE id = ? AND user_id = ?",
		"II", id, user_id);
	bool found = db_next(s), unread = false;
	if (found) {
		snprintf(entity, 32, "%s", db_str(s, 0));
		*entity_id = db_int(s, 1);
		unread = db_int(s, 2) == 0;
	}
	if (db_done(s) != DB_OK)
		return DJ_DB_ERROR;
	if (!found)
		return DJ_NOT_FOUND;
	if (unread && db_run(d, "UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL", "II", now, id) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

/* Issue 9 §4: the orders past their time limit come from the index
 * orders_open_due (state, due_at, overdue_notified): a range per unfinished
 * state, never a scan of every order. The task runner holds the write lock
 * (BEGIN IMMEDIATE) while a task runs, so a backlog is worked through in
 * batches of 32, each committed at once: order placement waits for one short
 * batch at most, not for the whole backlog. */
#define OVERDUE_BATCH 32
#define OVERDUE_BATCHES 64 /* at most 2,048 notices a minute; the rest next minute */
int notify_overdue(db *d, int64_t now)
{
	int total = 0;
	for (int batch = 0; batch < OVERDUE_BATCHES; batch++) {
		int64_t ids[OVERDUE_BATCH], orgs[OVERDUE_BATCH];
		char codes[OVERDUE_BATCH][24];
		int n = 0;
		db_stmt *s = db_query(d,
				      "SELECT id, org_id, code FROM orders WHERE state IN ('submitted', 'accepted', 'assigned', 'in_progress', "
				      "'escalated') AND due_at < ? AND overdue_notified = 0 ORDER BY due_at, id LIMIT 32",
				      "I", now);
		while (db_next(s) && n < OVERDUE_BATCH) {
			ids[n] = db_int(s, 0);
			orgs[n] = db_int(s, 1);
			snprintf(codes[n], sizeof codes[n], "%s", db_str(s, 2));
			n++;
		}
		if (db_done(s) != DB_OK)
			return -1;
		for (int i = 0; i < n; i++) {
			char text[160];
			snprintf(text, sizeof text, "诉求 %.23s 已超过办理时限，请尽快处理", codes[i]);
			if (notify_org_role(d, orgs[i], "branch", "overdue", "order", ids[i], text, now) != DB_OK ||
			    db_run(d, "UPDATE orders SET overdue_notified = 1 WHERE id = ?", "I", ids[i]) != DB_OK)
				return -1;
		}
		total += n;
		if (n < OVERDUE_BATCH)
			break;
		/* this batch is done: let the writers waiting for the lock in */
		if (db_commit(d) != DB_OK || db_begin(d, true) != DB_OK)
			return -1;
	}
	return total;
}

static int flush_channel(db *d, const struct notify_adapter *adapter, int64_t now)
{
	int64_t ids[256];
	char rcpt[256][64], text[256][512];
	int n = 0, sent = 0;
	db_stmt *s = db_query(d, "SELECT id, recipient, text FROM outbox WHERE status = 'pending' AND channel = ? ORDER BY id LIMIT 256", "t",
			      adapter->name);
	while (db_next(s) && n < 256) {
		ids[n] = db_int(s, 0);
		snprintf(rcpt[n], sizeof rcpt[n], "%s", db_str(s, 1));
		snprintf(text[n], sizeof text[n], "%s", db_str(s, 2));
		n++;
	}
	db_done(s);
	for (int i = 0; i < n; i++) {
		bool ok = adapter->send(rcpt[i], text[i]) == 0;
		/* not recorded: the rollback leaves it pending, sent again next time (at least once) */
		if (db_run(d,
			   "UPDATE outbox SET status = CASE WHEN ? = 1 THEN 'sent' WHEN attempts >= 4 THEN 'failed' ELSE 'pending' END, "
			   "attempts = attempts + 1, sent_at = CASE WHEN ? = 1 THEN ? ELSE sent_at END WHERE id = ?",
			   "iiII", ok ? 1 : 0, ok ? 1 : 0, now, ids[i]) != DB_OK)
			return -1;
		sent += ok;
	}
	if (sent && adapter == &log_adapter)
		fprintf(stderr, "dangjian: notify: %d message%s sent (log adapter)\n", sent, sent == 1 ? "" : "s");
	return sent;
}

int notify_flush(db *d, int64_t now)
{
	int a = flush_channel(d, notify_adapter, now);
	if (a < 0 || notify_sms_adapter == notify_adapter)
		return a;
	int b = flush_channel(d, notify_sms_adapter, now);
	return b < 0 ? -1 : a + b;
}

int notify_history_sent(db *d, int64_t before)
{
	return db_run(d, "UPDATE outbox SET status = 'sent', attempts = 1, sent_at = at + 60 WHERE status = 'pending' AND at < ?", "I", before);
}
