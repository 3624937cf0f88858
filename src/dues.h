/* dues — 党费 (issue 18 §1–4, SPEC M12): the standard rates as a versioned
 * table, each member's base or category, the monthly dues generated for each
 * member and month, payments with receipts (cash, transfer, 代缴), reductions
 * and waivers approved by the committee, arrears with the six-month flag,
 * the ledger per branch and month, and the branch's 上缴. Money in fen,
 * integer arithmetic only. Knows nothing of HTTP: dues_web.c. */
#ifndef DJ_DUES_H
#define DJ_DUES_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "actor.h"
#include "buf.h"
#include "db.h"
#include "permission.h"
#include "result.h"

/* Permission rows: see dues (a member sees their own); record bases,
 * payments, requests and 上缴 (branch); change the rates and decide
 * reductions (committee). */
extern const struct permission perm_dues_view, perm_dues_edit, perm_dues_approve;

/* One version of the standard rates; rates in basis points (1/10000). */
struct dues_rate {
	int64_t id;
	char since[11];
	int64_t s1_upto, s1_bp, s2_upto, s2_bp, s3_upto, s3_bp, s4_bp;
	int64_t r1_upto, r1_bp, r2_bp;
	int64_t flat_min, flat_max;
};

/* Categories: key, label, NULL-terminated pairs. */
extern const char *const dues_categories[];
const char *dues_category_label(const char *key);
/* Whether the category pays a flat amount (农民, 学生, 下岗失业). */
bool dues_category_flat(const char *key);

/* The monthly dues in fen for a base (fen) or a flat amount under a rate
 * version: the whole base at its band's rate, rounded half up to the fen.
 * false when the category is unknown or the flat amount is outside the
 * version's range. */
bool dues_amount(const struct dues_rate *r, const char *category, int64_t base_fen, int64_t flat_fen, int64_t *out);
/* Parses yuan as typed ("4500", "4500.5", "4500.05") into fen, exactly;
 * false for anything else (negative, letters, three decimals, too large). */
bool dues_parse_yuan(const char *s, int64_t *fen);
/* Writes fen as "45.00". */
void dues_fmt_yuan(int64_t fen, char out[32]);
/* The amount in Chinese capital numerals (大写) as bills write it:
 * 10.00 → 壹拾元整, 101.50 → 壹佰零壹元伍角, 0.01 → 壹分. */
void dues_yuan_capital(int64_t fen, char *out, size_t n);
/* A money field typed in yuan: 0 when empty; false with the field named
 * ("label：请填写不小于 0 的金额") when it is not money. */
bool dues_money_field(const char *v, const char *field, const char *label, int64_t *fen, struct field_errors *e);
/* 'YYYY-MM' checks and arithmetic. */
bool dues_month_valid(const char *m);
void dues_month_add(const char *m, int n, char out[8]);
/* The month of a time in Asia/Shanghai. */
void dues_month_of(int64_t t, char out[8]);

/* The version in force on the first day of month (NULL: today); false when none. */
bool dues_rate_for(db *d, const char *month, struct dues_rate *r);
void dues_rates_each(db *d, void (*fn)(void *ctx, const struct dues_rate *r), void *ctx);
/* A new version from since on (committee): DJ_INVALID names the field. */
enum dj_result dues_rate_add(db *d, const struct actor *a, const struct dues_rate *r, struct field_errors *e);

/* Records a member's base from month since on (branch of the member's org
 * or above). base/flat given in fen. A negative base is refused, the field named. */
enum dj_result dues_base_set(db *d, const struct actor *a, int64_t member_id, const char *since, const char *category, int64_t base_fen, int64_t flat_fen,
			     struct field_errors *e);

/* Makes the dues rows of month for every member (not 停止党籍) of the subtree
 * at path who has a base in force; existing rows are kept (idempotent).
 * *made: how many rows were new. */
enum dj_result dues_generate(db *d, const struct actor *a, const char *path, const char *month, int *made, struct field_errors *e);
/* The background task: this month's dues for everyone, then the six-month
 * flags and their notices. Returns the rows it made, -1 on a failed write. */
int dues_task(db *d, int64_t now);

/* A payment of several months at once. method: cash | transfer | proxy
 * (then payer_member_id names who paid). amount_fen: 0 to pay what is owed,
 * else it must equal it (a larger amount is refused: the committee's rule is
 * no prepayment beyond named months). A month not yet generated is made
 * first (paying ahead). *payment_id gets the new payment. */
struct dues_pay {
	int64_t member_id;
	const char *months[24];
	int nmonths;
	const char *method;
	int64_t payer_member_id;
	int64_t amount_fen;
	const char *paid_on; /* NULL: today */
};
enum dj_result dues_pay(db *d, const struct actor *a, const struct dues_pay *p, int64_t *payment_id, struct field_errors *e);

struct dues_receipt {
	int64_t id, member_id, org_id, amount_fen, payer_member_id, at;
	char receipt_no[24], member_name[96], org_name[128], method[16], payer_name[96], months[400], paid_on[11], by[200];
};
/* A receipt the actor may see (its member, the branch, the committee). */
enum dj_result dues_receipt_load(db *d, const struct actor *a, int64_t id, struct dues_receipt *out, struct field_errors *e);

/* The receipt as a PDF (dues_pdf.c), appended to out; receipt_no gets its
 * number (for the file's name). The same check as dues_receipt_load. */
enum dj_result dues_receipt_pdf(db *d, const struct actor *a, int64_t id, buf *out, char receipt_no[24], struct field_errors *e);

/* A reduction or waiver: requested (branch), then approved or rejected
 * (committee); approval applies to the unpaid months of the range. */
enum dj_result dues_reduction_request(db *d, const struct actor *a, int64_t member_id, const char *from, const char *to, const char *kind,
				      int64_t amount_fen, const char *reason, int64_t *id, struct field_errors *e);
enum dj_result dues_reduction_decide(db *d, const struct actor *a, int64_t id, bool approve, const char *note, struct field_errors *e);
struct dues_reduction {
	int64_t id, member_id, amount_fen;
	const char *member_name, *org_name, *from_month, *to_month, *kind, *reason, *state;
};
void dues_reductions_each(db *d, const struct actor *a, const char *state, void (*fn)(void *ctx, const struct dues_reduction *r), void *ctx);

/* A member's months, oldest first (the member, the branch, the committee). */
struct dues_month_row {
	const char *month, *category, *status, *receipt_no;
	int64_t base_fen, due_fen, reduced_fen, paid_fen, payment_id;
};
enum dj_result dues_member_months(db *d, const struct actor *a, int64_t member_id, const char *year, void (*fn)(void *ctx, const struct dues_month_row *m),
				  void *ctx, struct field_errors *e);
/* The member's roster id for an account (0: none). */
int64_t dues_member_of_user(db *d, int64_t user_id);
/* Name and org of a visible member; DJ_NOT_FOUND otherwise. */
enum dj_result dues_member_brief(db *d, const struct actor *a, int64_t member_id, char name[96], char org_name[128], int64_t *org_id,
				 struct field_errors *e);
/* The last month paid up to with nothing owing before it ("" when none): 党费交至. */
void dues_paid_to(db *d, int64_t member_id, char out[8]);

/* The ledger of an org subtree for a month ('YYYY-MM') or a year ('YYYY'):
 * members charged, due, reduced, paid, owing, per org (branches and groups
 * as stored) and in total. */
struct dues_totals {
	int64_t members, due, reduced, paid, owing;
};
struct dues_ledger_row {
	int64_t org_id;
	const char *org_code, *org_name;
	struct dues_totals t;
};
enum dj_result dues_ledger(db *d, const struct actor *a, const char *path, const char *period, void (*fn)(void *ctx, const struct dues_ledger_row *r),
			   void *ctx, struct dues_totals *total, struct field_errors *e);
/* Per month of a year for a subtree: twelve totals (index 0 = January). */
enum dj_result dues_year(db *d, const struct actor *a, const char *path, const char *year, struct dues_totals months[12], struct field_errors *e);

/* Arrears (欠缴) of a subtree: members owing for months before the current
 * one (now), with how many months and how much; flagged at six months
 * without an approved reduction. */
#define DUES_ARREARS_FLAG 6
struct dues_arrear {
	int64_t member_id, months, owing_fen;
	const char *name, *org_name, *first_month;
	bool flagged;
};
enum dj_result dues_arrears(db *d, const struct actor *a, const char *path, int64_t now, void (*fn)(void *ctx, const struct dues_arrear *r), void *ctx,
			    struct field_errors *e);

/* The workbench: months a member has to pay, up to and including the current
 * one (now; arrears are the months before it), and how much (fen). */
int64_t dues_owed_months(db *d, int64_t member_id, int64_t now, int64_t *owing_fen);
/* Members of the actor's subtree flagged for six months in arrears (the workbench's alert). */
int64_t dues_flagged_count(db *d, const struct actor *a);

/* 上缴: every payment of the branch not yet sent up goes up in one record. */
enum dj_result dues_remit(db *d, const struct actor *a, int64_t org_id, const char *note, int64_t *remit_id, int64_t *amount_fen, struct field_errors *e);
struct dues_remit_row {
	int64_t id, amount_fen, payments;
	const char *org_name, *remitted_on, *note;
};
void dues_remits_each(db *d, const struct actor *a, const char *path, void (*fn)(void *ctx, const struct dues_remit_row *r), void *ctx);
/* Collected but not yet sent up, in fen. */
int64_t dues_unremitted(db *d, int64_t org_id);

/* Transfers move a member's unpaid dues from month on to the new org. */
int dues_follow_transfer(db *d, int64_t member_id, int64_t org_id, const char *month) DB_MUST_CHECK;
/* A transfer out of the county: the dues stop after month (the unpaid rows
 * after it go, the arrears flag with them); none are made again while the
 * member's status is transferred (转出). */
int dues_stop_after(db *d, int64_t member_id, const char *month) DB_MUST_CHECK;

/* The org of a code inside the actor's subtree (its id and path); false otherwise. */
bool dues_org_in_scope(db *d, const struct actor *a, const char *code, int64_t *id, char path[256]);

/* The members of a subtree (not 停止党籍) with their base in force, the
 * month's status ("" when not charged) and how many months they owe. */
struct dues_member_row {
	int64_t id, base_fen, flat_fen, owing_months, owing_fen;
	const char *name, *org_name, *category, *month_status;
};
enum dj_result dues_roster(db *d, const struct actor *a, const char *path, const char *month, void (*fn)(void *ctx, const struct dues_member_row *m),
			   void *ctx, struct field_errors *e);

/* The year's dues of a subtree to filename as .xlsx: a row per member with
 * each month's amount and status, and the totals; audited (dues.export). */
enum dj_result dues_export(db *d, const struct actor *a, const char *path, const char *year, const char *filename, int64_t *rows, struct field_errors *e);

/* Import of a year's bases from .xlsx or .csv (the roster import's reader
 * and its report: every bad row by row number, column and reason; nothing
 * written unless every row is good). Columns by header: 身份证号 (required),
 * 姓名 (checked against the roster when given), 类别, 月工资基数 (yuan; the
 * monthly amount for 农民/学生/下岗失业), 起始月份 (YYYY-MM; default the
 * year's January). Each member must lie in the actor's subtree. */
struct dues_import_problem {
	int row;
	char column[64];
	char reason[200];
};
struct dues_import {
	int rows, written;
	char file_error[300];
	struct dues_import_problem *problems;
	size_t nproblems, total_problems;
};
enum dj_result dues_import_bases(db *d, const struct actor *a, const char *year, const void *data, size_t len, struct dues_import *im,
				 struct field_errors *e);
void dues_import_free(struct dues_import *im);

/* The demo town's year of dues (demo_dues.c). */
int demo_dues(db *d, const struct actor *cli, FILE *out);

/* what the dashboard counts of this mechanism (dues_figures.c, SPEC M11) */
#include "figures.h"
#define DUES_FIGURES_N 4
extern const struct figure dues_figures[DUES_FIGURES_N];

#endif
