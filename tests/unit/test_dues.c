/* Unit tests: 党费 and 组织关系转接 (issue 18) — the standard rates at every
 * band edge in fen for each rate version, half-up rounding, the yuan parser,
 * month arithmetic, the arrears rule (six months, a waiver lifts it, a
 * payment of a month twice refused), and the transfer state table. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "dues.h"
#include "transfers.h"
#include "unit_db.h"
#include "util.h"

/* The 2008 standard (migration 022) as a struct, and a second version the
 * committee might adopt (other edges, other rates), to test both. */
static const struct dues_rate std2008 = {1, "2008-04-01", 300000, 50, 500000, 100, 1000000, 150, 200, 500000, 50, 100, 20, 100};
static const struct dues_rate v2 = {2, "2027-01-01", 350000, 40, 600000, 90, 1200000, 140, 180, 600000, 40, 90, 50, 200};

static int64_t amount(const struct dues_rate *r, const char *cat, int64_t base, int64_t flat)
{
	int64_t out = -1;
	cr_assert(dues_amount(r, cat, base, flat, &out), "%s %lld %lld", cat, (long long)base, (long long)flat);
	return out;
}

Test(dues_rates, standard_bands_at_every_edge_in_fen)
{
	/* ≤3000 → 0.5%: 3000.00 yuan pays 15.00; 3000.01 is in the 1% band: 30.0001 → 30.00 */
	cr_assert_eq(amount(&std2008, "in_service", 300000, 0), 1500);
	cr_assert_eq(amount(&std2008, "in_service", 300001, 0), 3000);
	cr_assert_eq(amount(&std2008, "in_service", 500000, 0), 5000);
	cr_assert_eq(amount(&std2008, "in_service", 500001, 0), 7500); /* 1.5% of 5000.01 = 75.00015 */
	cr_assert_eq(amount(&std2008, "in_service", 1000000, 0), 15000);
	cr_assert_eq(amount(&std2008, "in_service", 1000001, 0), 20000); /* 2% of 10000.01 = 200.0002 */
	cr_assert_eq(amount(&std2008, "in_service", 0, 0), 0);
	/* 其他 follows the pay bands as well */
	cr_assert_eq(amount(&std2008, "other", 450000, 0), 4500);
	/* retirees: ≤5000 → 0.5%, above → 1% */
	cr_assert_eq(amount(&std2008, "retired", 500000, 0), 2500);
	cr_assert_eq(amount(&std2008, "retired", 500001, 0), 5000);
	/* Chinese labels are accepted for the category */
	cr_assert_eq(amount(&std2008, "离退休", 400000, 0), 2000);
}

Test(dues_rates, half_up_rounding_to_the_fen)
{
	/* 0.5% of 2345.67 = 11.72835 → 11.73; 0.5% of 2345.61 = 11.72805 → 11.73; 2345.59 → 11.72795 → 11.73; 2344.99 → 11.72495 → 11.72 */
	cr_assert_eq(amount(&std2008, "in_service", 234567, 0), 1173);
	cr_assert_eq(amount(&std2008, "in_service", 234499, 0), 1172);
	cr_assert_eq(amount(&std2008, "in_service", 234500, 0), 1173); /* 11.725 exactly: half up */
	/* 1.5% of 6666.66 = 99.9999 → 100.00 */
	cr_assert_eq(amount(&std2008, "in_service", 666666, 0), 10000);
}

Test(dues_rates, flat_categories_within_the_range)
{
	const char *cats[] = {"farmer", "student", "unemployed", "农民", "学生", "下岗失业"};
	for (int i = 0; i < 6; i++) {
		cr_assert_eq(amount(&std2008, cats[i], 0, 20), 20, "%s", cats[i]);
		cr_assert_eq(amount(&std2008, cats[i], 999999, 100), 100, "%s: the base does not matter", cats[i]);
		int64_t out;
		cr_assert_not(dues_amount(&std2008, cats[i], 0, 19, &out), "%s: ¥0.19 is below the range", cats[i]);
		cr_assert_not(dues_amount(&std2008, cats[i], 0, 101, &out), "%s: ¥1.01 is above the range", cats[i]);
	}
	int64_t out;
	cr_assert_not(dues_amount(&std2008, "boss", 100000, 0, &out));
	cr_assert_not(dues_amount(&std2008, "in_service", -1, 0, &out));
}

Test(dues_rates, a_second_version_has_its_own_edges)
{
	cr_assert_eq(amount(&v2, "in_service", 300000, 0), 1200);   /* 0.4% */
	cr_assert_eq(amount(&v2, "in_service", 350000, 0), 1400);   /* the new first edge, inclusive */
	cr_assert_eq(amount(&v2, "in_service", 350001, 0), 3150);   /* 0.9% of 3500.01 = 31.50009 */
	cr_assert_eq(amount(&v2, "in_service", 500000, 0), 4500);   /* 5000 is inside the second band now */
	cr_assert_eq(amount(&v2, "in_service", 1000000, 0), 14000); /* 1.4% */
	cr_assert_eq(amount(&v2, "in_service", 1000001, 0), 14000); /* 10000.01 still 1.4%: 140.00014 */
	cr_assert_eq(amount(&v2, "in_service", 1200001, 0), 21600); /* 1.8% of 12000.01 = 216.00018 */
	cr_assert_eq(amount(&v2, "retired", 500001, 0), 2000);      /* 0.4% up to 6000 */
	cr_assert_eq(amount(&v2, "retired", 600001, 0), 5400);      /* 0.9% */
	int64_t out;
	cr_assert_not(dues_amount(&v2, "farmer", 0, 20, &out), "¥0.20 is below this version's range");
	cr_assert_eq(amount(&v2, "farmer", 0, 50), 50);
}

Test(dues_money, yuan_parsed_exactly_into_fen)
{
	struct {
		const char *in;
		bool ok;
		int64_t fen;
	} cases[] = {
		{"3000", true, 300000}, {"3000.01", true, 300001}, {"3000.1", true, 300010}, {" 45.50 ", true, 4550}, {"0", true, 0},
		{"-1", false, 0},       {"abc", false, 0},         {"1.234", false, 0},      {"1.", false, 0},        {".5", false, 0},
		{"", false, 0},         {"1e3", false, 0},         {"1234567890", false, 0}, {"12,000", false, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t f = -1;
		cr_assert_eq(dues_parse_yuan(cases[i].in, &f), cases[i].ok, "%s", cases[i].in);
		if (cases[i].ok)
			cr_assert_eq(f, cases[i].fen, "%s", cases[i].in);
	}
	char y[32];
	dues_fmt_yuan(300001, y);
	cr_assert_str_eq(y, "3000.01");
	dues_fmt_yuan(5, y);
	cr_assert_str_eq(y, "0.05");
}

/* 大写 on the receipt: the bill-writing rules, zeros inside and at the ends of sections. */
Test(dues_money, amounts_in_chinese_capital_numerals)
{
	static const struct {
		int64_t fen;
		const char *want;
	} cases[] = {
		{0, "零元整"},
		{1, "壹分"},
		{10, "壹角"},
		{50, "伍角"},
		{1000, "壹拾元整"},
		{1500, "壹拾伍元整"},
		{10150, "壹佰零壹元伍角"},
		{10105, "壹佰零壹元零伍分"},
		{100005, "壹仟元零伍分"},
		{100100, "壹仟零壹元整"},
		{1001000, "壹万零壹拾元整"},
		{10001000, "壹拾万零壹拾元整"},
		{101000000, "壹佰零壹万元整"},
		{100000000, "壹佰万元整"},
		{10000000000, "壹亿元整"},
		{10000100000, "壹亿零壹仟元整"},
		{12345678, "壹拾贰万叁仟肆佰伍拾陆元柒角捌分"},
		{2000, "贰拾元整"},
		{23, "贰角叁分"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[200];
		dues_yuan_capital(cases[i].fen, out, sizeof out);
		cr_expect_str_eq(out, cases[i].want, "%lld fen", (long long)cases[i].fen);
	}
}

Test(dues_money, months)
{
	char m[8];
	dues_month_add("2026-11", 2, m);
	cr_assert_str_eq(m, "2027-01");
	dues_month_add("2026-01", -1, m);
	cr_assert_str_eq(m, "2025-12");
	dues_month_add("2026-03", -15, m);
	cr_assert_str_eq(m, "2024-12");
	cr_assert(dues_month_valid("2026-12"));
	cr_assert_not(dues_month_valid("2026-13"));
	cr_assert_not(dues_month_valid("2026-1"));
	cr_assert_not(dues_month_valid("26-01-01"));
}

/* ---- with a database: generation, payments, the arrears rule ---- */

static db *d;
static char path[96];

static void setup(void)
{
	d = unit_db_open("dues", path);
	cr_assert_eq(db_run(d,
			    "INSERT INTO orgs (id, code, name, type, kind, path, created_at) VALUES "
			    "(1, 'CJZ', '陈集镇党委', 'committee', '机关', '/1/', 0), "
			    "(2, 'CJZ-CJC', '陈集村党支部', 'branch', '农村', '/1/2/', 0), "
			    "(3, 'CJZ-XJC', '西街村党支部', 'branch', '农村', '/1/3/', 0)",
			    ""),
		     DB_OK, "%s", db_errmsg(d));
	cr_assert_eq(
		db_run(d,
		       "INSERT INTO members (id, org_id, name, gender, birth_date, id_number, id_tail, join_date, category, status, created_at, updated_at) "
		       "VALUES (10, 2, '张三', '男', '1970-01-01', '371524197001010011', '0011', '2000-07-01', 'full', 'active', 0, 0), "
		       "(11, 2, '李四', '男', '1971-01-01', '371524197101010011', '0011', '2000-07-01', 'full', 'active', 0, 0), "
		       "(12, 3, '王五', '男', '1972-01-01', '371524197201010011', '0011', '2000-07-01', 'full', 'active', 0, 0)",
		       ""),
		DB_OK, "%s", db_errmsg(d));
}
static void teardown(void) { unit_db_close(d, path); }
TestSuite(dues_db, .init = setup, .fini = teardown);

static void actor_of(struct actor *a, int role, int64_t org_id, const char *org_path)
{
	memset(a, 0, sizeof *a);
	a->user_id = 0;
	a->role = role;
	a->org_id = org_id;
	snprintf(a->org_path, sizeof a->org_path, "%s", org_path);
}

Test(dues_db, arrears_flag_at_six_months_and_a_waiver_lifts_it)
{
	struct actor sec, com;
	actor_of(&sec, R_BRANCH, 2, "/1/2/");
	actor_of(&com, R_COMMITTEE, 1, "/1/");
	struct field_errors e = {0};
	char cur[8], first[8];
	dues_month_of(now_unix(), cur);
	dues_month_add(cur, -6, first);
	cr_assert_eq(dues_base_set(d, &sec, 10, first, "in_service", 450000, 0, &e), DJ_OK, "%s", dj_message(DJ_OK, &e));
	cr_assert_eq(dues_base_set(d, &sec, 11, first, "in_service", -1, 0, &e), DJ_INVALID);
	cr_assert_not_null(ferr_get(&e, "base"));
	memset(&e, 0, sizeof e);
	cr_assert_eq(dues_base_set(d, &sec, 12, first, "in_service", 450000, 0, &e), DJ_NOT_FOUND, "西街村 is outside 陈集村's subtree");
	memset(&e, 0, sizeof e);
	/* seven months (six before this one) owing */
	for (int i = 0; i <= 6; i++) {
		char m[8];
		int made;
		dues_month_add(first, i, m);
		cr_assert_eq(dues_generate(d, &sec, "/1/2/", m, &made, &e), DJ_OK);
		cr_assert_eq(made, 1, "made %d in %s", made, m);
		cr_assert_eq(dues_generate(d, &sec, "/1/2/", m, &made, &e), DJ_OK);
		cr_assert_eq(made, 0, "idempotent");
	}
	cr_assert_eq(db_int1(d, 0, "SELECT SUM(due_fen) FROM dues_months WHERE member_id = 10", ""), 7 * 4500);
	/* five months behind: not flagged; the task flags at six */
	cr_assert_eq(dues_task(d, now_unix()), 1);
	cr_assert_eq(db_int1(d, 0, "SELECT months FROM dues_flags WHERE member_id = 10", ""), 6);
	cr_assert_eq(dues_task(d, now_unix()), 0, "flagged once");
	/* paying one month twice is refused, nothing written */
	struct dues_pay p = {.member_id = 10, .method = "cash", .nmonths = 1};
	p.months[0] = first;
	int64_t pid;
	cr_assert_eq(dues_pay(d, &sec, &p, &pid, &e), DJ_OK);
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM dues_flags", ""), 0, "a payment lifts the flag");
	cr_assert_eq(dues_pay(d, &sec, &p, &pid, &e), DJ_CONFLICT);
	memset(&e, 0, sizeof e);
	/* more than owed is refused with the field named */
	char m2[8];
	dues_month_add(first, 1, m2);
	p.months[0] = m2, p.amount_fen = 4501;
	cr_assert_eq(dues_pay(d, &sec, &p, &pid, &e), DJ_INVALID);
	cr_assert_not_null(ferr_get(&e, "amount"));
	memset(&e, 0, sizeof e);
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM dues_payments", ""), 1);
	/* a waiver of the rest, approved by the committee, leaves nothing owing */
	int64_t rid;
	cr_assert_eq(dues_reduction_request(d, &sec, 10, m2, cur, "waive", 0, "长期患病，生活困难", &rid, &e), DJ_OK);
	cr_assert_eq(dues_reduction_decide(d, &sec, rid, true, NULL, &e), DJ_FORBIDDEN, "the branch does not approve its own");
	memset(&e, 0, sizeof e);
	cr_assert_eq(dues_reduction_decide(d, &com, rid, true, NULL, &e), DJ_OK);
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM dues_months WHERE member_id = 10 AND status = 'owing'", ""), 0);
	cr_assert_eq(dues_task(d, now_unix()), 0);
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM dues_flags", ""), 0);
}

/* ---- the transfer state table ---- */

Test(transfer_states, the_table_is_the_rule)
{
	cr_assert_str_eq(transfer_step_find("issued", "receive", R_BRANCH)->to, "received");
	cr_assert_str_eq(transfer_step_find("issued", "return", R_COMMITTEE)->to, "returned");
	cr_assert_str_eq(transfer_step_find("issued", "lapse", A_SYSTEM)->to, "lapsed");
	cr_assert_null(transfer_step_find("issued", "lapse", R_BRANCH), "only the system lapses a letter");
	cr_assert_null(transfer_step_find("issued", "receive", R_MEMBER), "a member cannot receive");
	const char *ends[] = {"received", "returned", "lapsed"};
	const char *actions[] = {"receive", "return", "lapse"};
	for (int i = 0; i < 3; i++)
		for (int k = 0; k < 3; k++)
			cr_assert_null(transfer_step_find(ends[i], actions[k], R_ADMIN | R_COMMITTEE | R_BRANCH | A_SYSTEM), "%s is final", ends[i]);
	/* every row leads from issued to a final state named by a label */
	for (size_t i = 0; i < transfer_steps_n; i++) {
		cr_assert_str_eq(transfer_steps[i].from, "issued");
		cr_assert_str_neq(transfer_state_label(transfer_steps[i].to), transfer_steps[i].to);
	}
}

/* Every statement of a payment of three months fails in turn (BUSY, I/O, out
 * of memory): the payment either answers an error and, rolled back, leaves
 * nothing, or answers DJ_OK and has written all of it (payment, months,
 * audit row). */
Test(dues_db, a_payment_is_whole_or_nothing_under_every_fault)
{
	struct actor sec;
	actor_of(&sec, R_BRANCH, 2, "/1/2/");
	struct field_errors e = {0};
	char cur[8], first[8];
	dues_month_of(now_unix(), cur);
	dues_month_add(cur, -2, first);
	cr_assert_eq(dues_base_set(d, &sec, 11, first, "in_service", 800000, 0, &e), DJ_OK);
	const char *months[3];
	char mb[3][8];
	for (int i = 0; i < 3; i++) {
		int made;
		dues_month_add(first, i, mb[i]);
		months[i] = mb[i];
		cr_assert_eq(dues_generate(d, &sec, "/1/2/", mb[i], &made, &e), DJ_OK);
	}
	/* the length of the work, fault-free (then undone) */
	cr_assert_eq(db_begin(d, true), DB_OK);
	uint64_t p0 = db_fault_points(d);
	struct dues_pay p = {.member_id = 11, .method = "cash", .nmonths = 3};
	for (int i = 0; i < 3; i++)
		p.months[i] = months[i];
	int64_t pid;
	cr_assert_eq(dues_pay(d, &sec, &p, &pid, &e), DJ_OK);
	uint64_t points = db_fault_points(d) - p0;
	db_rollback(d);
	cr_assert(points > 5);
	enum db_fault kinds[] = {DB_FAULT_BUSY, DB_FAULT_IO, DB_FAULT_NOMEM};
	for (int k = 0; k < 3; k++)
		for (uint64_t n = 1; n <= points; n++) {
			memset(&e, 0, sizeof e);
			cr_assert_eq(db_begin(d, true), DB_OK);
			db_fault_inject(d, n, kinds[k]);
			enum dj_result res = dues_pay(d, &sec, &p, &pid, &e);
			db_fault_inject(d, 0, DB_FAULT_NONE);
			if (res == DJ_OK) {
				cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM dues_months WHERE member_id = 11 AND status = 'paid'", ""), 3,
					     "fault %llu", (unsigned long long)n);
				cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM audit WHERE action = 'dues.pay'", ""), 1, "fault %llu",
					     (unsigned long long)n);
			}
			db_rollback(d);
			cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM dues_payments", ""), 0);
			cr_assert_eq(db_int1(d, -1, "SELECT COUNT(*) FROM dues_months WHERE member_id = 11 AND status = 'owing'", ""), 3);
		}
}

/* A county of 300,000 members paying monthly passes 1,000,000 receipts in a
 * year: the millionth takes seven digits instead of repeating the first
 * (receipt_no is unique — the county generator stopped on it). */
Test(dues_db, the_millionth_receipt_of_a_year_has_seven_digits)
{
	struct actor sec;
	actor_of(&sec, R_BRANCH, 2, "/1/2/");
	struct field_errors e = {0};
	char cur[8], first[8], second[8];
	dues_month_of(now_unix(), cur);
	dues_month_add(cur, -1, first);
	dues_month_add(cur, 0, second);
	cr_assert_eq(dues_base_set(d, &sec, 10, first, "in_service", 450000, 0, &e), DJ_OK, "%s", dj_message(DJ_OK, &e));
	int made;
	cr_assert_eq(dues_generate(d, &sec, "/1/2/", first, &made, &e), DJ_OK);
	cr_assert_eq(dues_generate(d, &sec, "/1/2/", second, &made, &e), DJ_OK);
	struct dues_pay p = {.member_id = 10, .method = "cash", .nmonths = 1};
	p.months[0] = first;
	int64_t pid;
	cr_assert_eq(dues_pay(d, &sec, &p, &pid, &e), DJ_OK, "%s", dj_message(DJ_OK, &e));
	int64_t year = db_int1(d, 0, "SELECT year FROM dues_payments WHERE id = ?", "I", pid);
	char no[32];
	snprintf(no, sizeof no, "DF%04lld999999", (long long)year);
	cr_assert_eq(db_run(d, "UPDATE dues_payments SET seq = 999999, receipt_no = ? WHERE id = ?", "tI", no, pid), DB_OK);
	p.months[0] = second;
	cr_assert_eq(dues_pay(d, &sec, &p, &pid, &e), DJ_OK, "%s", dj_message(DJ_OK, &e));
	snprintf(no, sizeof no, "DF%04lld1000000", (long long)year);
	db_stmt *s = db_query(d, "SELECT receipt_no, seq FROM dues_payments WHERE id = ?", "I", pid);
	cr_assert(db_next(s));
	cr_assert_str_eq(db_str(s, 0), no);
	cr_assert_eq(db_int(s, 1), 1000000);
	db_done(s);
}
