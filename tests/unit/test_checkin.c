/* Unit tests: rotating check-in codes (checkin.h). A code is taken in its
 * minute and the one after, never later, never for another record or kind;
 * typed by hand in lower case or with a space it still counts; a scan outside
 * the record's window is refused before the code is even looked at, and the
 * kind's scanned() runs only for a good code. */
#include <criterion/criterion.h>
#include <string.h>

#include "actor.h"
#include "checkin.h"
#include "db.h"
#include "unit_db.h"
#include "valid.h"

static db *d;
static char path[96];

static void setup(void)
{
	d = unit_db_open("checkin", path);
	cr_assert(checkin_prepare(d));
}
static void teardown(void) { unit_db_close(d, path); }
TestSuite(checkin, .init = setup, .fini = teardown);

#define T0 1796000000 /* a minute boundary is T0 - T0 % 60 */

static bool ok(const char *kind, int64_t id, const char *code, int64_t now)
{
	struct field_errors e = {0};
	return checkin_verify(d, kind, id, code, now, &e) == DJ_OK;
}

Test(checkin, code_is_taken_in_its_minute_and_the_next_only)
{
	int64_t m0 = T0 - T0 % CHECKIN_STEP, expires;
	char c[CHECKIN_CODE_LEN + 1], c2[CHECKIN_CODE_LEN + 1];
	cr_assert(checkin_code(d, "volunteer", 7, m0 + 5, c, &expires));
	cr_assert_eq(strlen(c), CHECKIN_CODE_LEN);
	cr_assert_eq(expires, m0 + CHECKIN_STEP);
	cr_assert(checkin_code(d, "volunteer", 7, m0 + 59, c2, NULL));
	cr_assert_str_eq(c, c2, "the same minute, the same code");
	cr_assert(ok("volunteer", 7, c, m0));
	cr_assert(ok("volunteer", 7, c, m0 + CHECKIN_STEP + 59), "scanned as it changed");
	cr_assert_not(ok("volunteer", 7, c, m0 + 2 * CHECKIN_STEP), "two minutes on: a photo of an old code");
	cr_assert_not(ok("volunteer", 7, c, m0 - 1), "before its minute");
	cr_assert(checkin_code(d, "volunteer", 7, m0 + CHECKIN_STEP, c2, NULL));
	cr_assert_str_neq(c, c2, "the next minute, another code");
}

Test(checkin, code_belongs_to_its_record_and_kind)
{
	char c[CHECKIN_CODE_LEN + 1];
	cr_assert(checkin_code(d, "meeting", 3, T0, c, NULL));
	cr_assert(ok("meeting", 3, c, T0));
	cr_assert_not(ok("meeting", 4, c, T0));
	cr_assert_not(ok("volunteer", 3, c, T0));
}

Test(checkin, typed_codes_are_forgiven_bad_ones_named)
{
	char c[CHECKIN_CODE_LEN + 1], typed[32];
	cr_assert(checkin_code(d, "meeting", 3, T0, c, NULL));
	snprintf(typed, sizeof typed, "%.4s %.4s", c, c + 4);
	for (char *p = typed; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	cr_assert(ok("meeting", 3, typed, T0), "%s", typed);
	const char *bad[] = {"", "ABC", "ABCDEFGHJ", "ABCD0OOO", "ABCD;--1", NULL};
	for (int i = 0; bad[i]; i++) {
		struct field_errors e = {0};
		cr_assert_eq(checkin_verify(d, "meeting", 3, bad[i], T0, &e), DJ_INVALID, "%s", bad[i]);
		cr_assert_not_null(ferr_get(&e, "code"));
	}
	struct field_errors e = {0};
	cr_assert_eq(checkin_verify(d, "meeting", 3, NULL, T0, &e), DJ_INVALID);
}

/* a kind of record for the scan: open from T0 to T0 + 1 h, counting its scans */
static int scans;
static enum dj_result w_window(db *db_, const struct actor *a, int64_t id, char *title, size_t n, int64_t *opens, int64_t *closes)
{
	(void)db_, (void)a;
	if (id != 1)
		return DJ_NOT_FOUND;
	snprintf(title, n, "测试活动");
	*opens = T0;
	*closes = T0 + 3600;
	return DJ_OK;
}
static enum dj_result w_show(db *db_, const struct actor *a, int64_t id)
{
	(void)db_, (void)a, (void)id;
	return DJ_OK;
}
static enum dj_result w_scanned(db *db_, const struct actor *a, int64_t id, int64_t now, char *done, size_t n, struct field_errors *e)
{
	(void)db_, (void)a, (void)id, (void)now, (void)e;
	scans++;
	snprintf(done, n, "已签到");
	return DJ_OK;
}
static const struct checkin_kind test_kind = {"test", "测试活动", w_window, w_show, w_scanned};

Test(checkin, scan_checks_window_then_code_then_records)
{
	struct actor a;
	actor_system(&a);
	char c[CHECKIN_CODE_LEN + 1], done[64];
	struct field_errors e = {0};
	scans = 0;
	cr_assert(checkin_code(d, "test", 1, T0 - 10, c, NULL));
	cr_assert_eq(checkin_scan(d, &a, &test_kind, 1, c, T0 - 10, done, sizeof done, &e), DJ_CONFLICT, "before the window opens");
	cr_assert(checkin_code(d, "test", 1, T0 + 3600, c, NULL));
	e = (struct field_errors){0};
	cr_assert_eq(checkin_scan(d, &a, &test_kind, 1, c, T0 + 3600, done, sizeof done, &e), DJ_CONFLICT, "after it closes");
	e = (struct field_errors){0};
	cr_assert_eq(checkin_scan(d, &a, &test_kind, 2, c, T0 + 60, done, sizeof done, &e), DJ_NOT_FOUND);
	e = (struct field_errors){0};
	cr_assert_eq(checkin_scan(d, &a, &test_kind, 1, "AAAAAAAA", T0 + 60, done, sizeof done, &e), DJ_INVALID);
	cr_assert_eq(scans, 0);
	cr_assert(checkin_code(d, "test", 1, T0 + 60, c, NULL));
	e = (struct field_errors){0};
	cr_assert_eq(checkin_scan(d, &a, &test_kind, 1, c, T0 + 60, done, sizeof done, &e), DJ_OK);
	cr_assert_eq(scans, 1);
	cr_assert_str_eq(done, "已签到");
}
