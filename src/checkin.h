/* checkin — the rotating QR codes members scan on the spot to check in (and
 * out): one mechanism for volunteer activities (M3) and meetings (M5).
 *
 * A record that takes check-ins is a kind ("volunteer", "meeting") and an
 * id. Its code changes every minute and is an HMAC, under a secret kept in
 * the settings table, of (kind, id, minute): nothing is stored per record,
 * every node behind nginx shows and accepts the same code, and a photo of
 * yesterday's code, or of another activity's, does not work. The code of the
 * minute before is still taken, so a code scanned as it changes is not lost.
 *
 * The QR code carries /c/KIND/ID/CODE. The mechanism that owns the kind says,
 * through a struct checkin_kind in its module record (module.h), when its
 * record takes check-ins, who may show the code, and what a scan records;
 * checkin_web.c serves the pages: the organiser's screen with the code
 * (/checkin/KIND/ID, refreshed every minute) and the page the member's phone
 * opens (/c/KIND/ID/CODE: log in if needed, then one button). */
#ifndef DJ_CHECKIN_H
#define DJ_CHECKIN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "actor.h"
#include "db.h"
#include "result.h"

#define CHECKIN_STEP 60                                     /* a code lasts a minute */
#define CHECKIN_CODE_LEN 8                                  /* characters, of CHECKIN_ALPHABET */
#define CHECKIN_ALPHABET "23456789ABCDEFGHJKLMNPQRSTUVWXYZ" /* no 0/O, 1/I */

/* What a mechanism tells the check-in pages about its kind of record. Every
 * function runs in the request's transaction. */
struct checkin_kind {
	const char *kind;  /* "volunteer": the path segment and the HMAC's label */
	const char *label; /* "志愿服务活动": said on the pages */
	/* The record's title and when it takes check-ins (Unix seconds, opens <=
	 * now < closes); DJ_NOT_FOUND when there is no such record (or it is
	 * outside what a may see, when a is not NULL). */
	enum dj_result (*window)(db *d, const struct actor *a, int64_t id, char *title, size_t title_n, int64_t *opens, int64_t *closes);
	/* Whether a may show the record's code (its organiser): DJ_OK, DJ_FORBIDDEN or DJ_NOT_FOUND. */
	enum dj_result (*may_show)(db *d, const struct actor *a, int64_t id);
	/* a scanned a valid code at now: record it (a check-in, or a check-out
	 * when a is checked in already) and say what was recorded in done
	 * ("已签到 19:02"). DJ_OK, or a refusal with its reason in e
	 * (DJ_FORBIDDEN "您不是本支部党员", DJ_CONFLICT "活动名额已满" …). */
	enum dj_result (*scanned)(db *d, const struct actor *a, int64_t id, int64_t now, char *done, size_t done_n, struct field_errors *e);
};

/* Makes the secret the codes are made with, once (serve calls it at start, in
 * a write transaction of its own; unit tests call it too). */
bool checkin_prepare(db *d);

/* The code of (kind, id) in the minute of now; *expires: when it changes.
 * False when the secret cannot be had. */
bool checkin_code(db *d, const char *kind, int64_t id, int64_t now, char out[CHECKIN_CODE_LEN + 1], int64_t *expires);

/* Whether code is the code of (kind, id) for the minute of now or the one
 * before (letters taken in either case, spaces and dashes ignored):
 * DJ_OK, or DJ_INVALID with the reason under "code". */
enum dj_result checkin_verify(db *d, const char *kind, int64_t id, const char *code, int64_t now, struct field_errors *e);

/* The whole check of a scan (k: the module's kind, checkin_web.c finds it): the record takes check-ins at
 * now, the code is current; then the kind's scanned() records it. */
enum dj_result checkin_scan(db *d, const struct actor *a, const struct checkin_kind *k, int64_t id, const char *code, int64_t now, char *done,
			    size_t done_n, struct field_errors *e);

#endif
