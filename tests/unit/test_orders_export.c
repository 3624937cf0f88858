/* Unit tests: the filtered order list as .xlsx (issue 10 §11) — every row
 * of the list in its order, read in batches, up to the cap; past the cap a
 * message asking for a narrower filter and nothing written or audited. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actor.h"
#include "db.h"
#include "orders.h"
#include "orders_export.h"
#include "orgs.h"
#include "unit_db.h"
#include "unit_orders.h"
#include "util.h"

static db *d;
static char path[96], xlsx[128];
static struct actor sec;

static void setup(void)
{
	d = unit_db_open("orders_export", path);
	snprintf(xlsx, sizeof xlsx, "/tmp/dj-unit-orders-export-%d.xlsx", (int)getpid());
	int64_t town = orgs_create(d, 0, "CJZ", "陈集镇党委", "committee", "");
	int64_t branch = orgs_create(d, town, "CJZ-CJC", "陈集村党支部", "branch", "农村");
	cr_assert(branch > 0);
	memset(&sec, 0, sizeof sec);
	sec.role = R_BRANCH;
	sec.user_id = 0;
	sec.org_id = branch;
	db_stmt *s = db_query(d, "SELECT path FROM orgs WHERE id = ?", "I", branch);
	cr_assert(db_next(s));
	snprintf(sec.org_path, sizeof sec.org_path, "%s", db_str(s, 0));
	db_done(s);
	snprintf(sec.name, sizeof sec.name, "张建国");
	snprintf(sec.ip, sizeof sec.ip, "127.0.0.1");
	actor_set_label(&sec);
	/* one order placed as a resident would, then n copies of it in bulk */
	struct order_new o;
	unit_order_new(&o, "need", "CJZ-CJC", "路灯坏了");
	char code[24];
	cr_assert_eq(db_begin(d, true), DB_OK);
	unit_place(d, "192.0.2.7", &o, code);
	cr_assert_eq(db_commit(d), DB_OK);
}

static void teardown(void)
{
	unlink(xlsx);
	unit_db_close(d, path);
}

TestSuite(orders_export, .init = setup, .fini = teardown);

/* Makes the branch hold n orders in all. */
static void orders_total(int64_t n)
{
	cr_assert_eq(
		db_run(d,
		       "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?) "
		       "INSERT INTO orders (code, kind, urgency, content, org_id, contact_name, contact_phone, state, ip, created_at, updated_at, due_at) "
		       "SELECT 'BULK-' || i, kind, urgency, content, org_id, contact_name, contact_phone, state, ip, created_at + i, updated_at, due_at "
		       "FROM orders, k WHERE orders.code NOT LIKE 'BULK-%'",
		       "I", n - 1),
		DB_OK);
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM orders", ""), n);
}

static int64_t audits(void) { return db_int1(d, -1, "SELECT COUNT(*) FROM audit WHERE action LIKE 'order.list_export%'", ""); }

Test(orders_export, every_row_up_to_the_cap_in_batches, .timeout = 120)
{
	orders_total(ORDER_EXPORT_CAP);
	struct order_filter f = {.sort = "old", .limit = 5, .before = 99}; /* a page's limit and cursor are not the export's */
	struct field_errors e = {0};
	int rows = 0;
	cr_assert_eq(db_begin(d, true), DB_OK);
	enum dj_result res = orders_list_export(d, &sec, &f, false, now_unix(), xlsx, &rows, &e);
	cr_assert_eq(res, DJ_OK, "%s", dj_message(res, &e));
	cr_assert_eq(db_commit(d), DB_OK);
	cr_assert_eq(rows, ORDER_EXPORT_CAP, "%d rows", rows);
	cr_assert(rows > 2 * ORDER_EXPORT_BATCH, "more than one batch");
	struct stat st;
	cr_assert_eq(stat(xlsx, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	cr_assert_eq(audits(), 1);
}

Test(orders_export, past_the_cap_a_message_and_nothing_written, .timeout = 120)
{
	orders_total(ORDER_EXPORT_CAP + 1);
	struct order_filter f = {0};
	struct field_errors e = {0};
	int rows = -1;
	cr_assert_eq(db_begin(d, true), DB_OK);
	enum dj_result res = orders_list_export(d, &sec, &f, true, now_unix(), xlsx, &rows, &e);
	cr_assert_eq(db_commit(d), DB_OK);
	cr_assert_eq(res, DJ_INVALID);
	cr_assert(strstr(dj_message(res, &e), "超过 10000 条") && strstr(dj_message(res, &e), "缩小筛选范围"), "%s", dj_message(res, &e));
	cr_assert_eq(rows, 0);
	cr_assert_neq(access(xlsx, F_OK), 0, "no file");
	cr_assert_eq(audits(), 0);
	/* a narrower filter under the cap: exported */
	struct field_errors e2 = {0};
	struct order_filter narrow = {.q = "BULK-7"};
	cr_assert_eq(db_begin(d, true), DB_OK);
	res = orders_list_export(d, &sec, &narrow, false, now_unix(), xlsx, &rows, &e2);
	cr_assert_eq(db_commit(d), DB_OK);
	cr_assert_eq(res, DJ_OK, "%s", dj_message(res, &e2));
}
