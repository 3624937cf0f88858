/* notify — the inbox and the outbox of messages about any record (issue 4 §8, issue 7 §6). */
#ifndef DJ_NOTIFY_H
#define DJ_NOTIFY_H
#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "result.h"

/* A way out for messages. The default writes them to the log; an SMS or
 * WeChat adapter implements the same function. */
struct notify_adapter {
	const char *name;
	int (*send)(const char *recipient, const char *text); /* 0 when sent */
};
extern const struct notify_adapter *notify_adapter;
/* The way out for text messages to a resident's phone (channel "sms" of the
 * outbox). The default is a file sink: each message is appended to the file
 * named by $DANGJIAN_SMS_LOG (made 0600), or, without it, a line with the
 * masked number on stderr; a deployment points this at its SMS gateway. */
extern const struct notify_adapter *notify_sms_adapter;

/* A text message to a phone number (a resident without an account), through
 * the outbox in the caller's transaction: DB_OK or the failed statement's status. */
int notify_sms(db *d, const char *phone, const char *text, int64_t now) DB_MUST_CHECK;

/* To one user: an inbox row about a record (entity "order", id 42; NULL, 0
 * for none) and an outbox message, in the caller's transaction. These three
 * return DB_OK or the failed statement's status: a notice is part of the
 * change that sends it, and the caller fails the change when it fails. */
int notify_user(db *d, int64_t user_id, const char *kind, const char *entity, int64_t entity_id, const char *text, int64_t now) DB_MUST_CHECK;
/* To the users of a role in one org (e.g. the branch secretaries of the order's branch). */
int notify_org_role(db *d, int64_t org_id, const char *role, const char *kind, const char *entity, int64_t entity_id, const char *text,
		    int64_t now) DB_MUST_CHECK;
/* To the committee users above an org (whose org path is a prefix of its path). */
int notify_committee_above(db *d, int64_t org_id, const char *kind, const char *entity, int64_t entity_id, const char *text, int64_t now) DB_MUST_CHECK;

/* A user's inbox: the unread count, the latest messages (newest first, at
 * most 100), and marking them all read. */
struct notification {
	int64_t id, at;
	const char *kind, *text, *entity;
	int64_t entity_id; /* 0: about no record */
	bool read;
};
int64_t notify_unread(db *d, int64_t user_id);
void notify_each(db *d, int64_t user_id, void (*fn)(void *ctx, const struct notification *n), void *ctx);
/* One page of the inbox, newest first: at most limit messages with ids below
 * before (0: from the newest), by the index on (user_id, id); the number of
 * messages called back. */
int notify_page(db *d, int64_t user_id, int64_t before, int limit, void (*fn)(void *ctx, const struct notification *n), void *ctx);
/* How many messages the user has, counted up to NOTIFY_COUNT_CAP + 1 (on
 * SQLite remembered per process and counted on from the last id seen). */
#define NOTIFY_COUNT_CAP 10000
int64_t notify_count(db *d, int64_t user_id);
/* The inbox searched, filtered and sorted (issue 10 §3): only unread ones,
 * only those whose text contains q (NULL or "": any), oldest first instead
 * of newest; cursor: the last id of the page before (0: from the start).
 * Both read the user's own rows through the index on (user_id, id). */
struct notify_filter {
	bool unread, oldest;
	const char *q;
	int64_t cursor;
};
int notify_page_filtered(db *d, int64_t user_id, const struct notify_filter *f, int limit, void (*fn)(void *ctx, const struct notification *n), void *ctx);
int64_t notify_count_filtered(db *d, int64_t user_id, const struct notify_filter *f); /* up to NOTIFY_COUNT_CAP + 1 */
int notify_mark_all_read(db *d, int64_t user_id, int64_t now) DB_MUST_CHECK;          /* DB_OK or the failure */
/* Opens one message of the user's inbox: marks it read (once) and gives the
 * record it is about (entity "" and *entity_id 0 for none). DJ_NOT_FOUND when
 * the message is not this user's. */
enum dj_result notify_open(db *d, int64_t user_id, int64_t id, int64_t now, char entity[32], int64_t *entity_id);

/* Background tasks: flag overdue orders to their branch; send the outbox
 * (each channel through its adapter).
 * They return how many records they handled, or -1 when a write failed (the
 * task's transaction then rolls back). notify_overdue runs inside the task's
 * write transaction and commits it (and begins the next) after every 32
 * notices, so a backlog never holds the write lock for long; a failure rolls
 * back the last batch only. */
int notify_overdue(db *d, int64_t now);
int notify_flush(db *d, int64_t now);
/* A generated history (`dangjian demo`): the messages written before
 * `before` were sent when they were written, as on a town that has used the
 * system for a year — marked sent a minute after. DB_OK or the failure. */
int notify_history_sent(db *d, int64_t before) DB_MUST_CHECK;

#endif
