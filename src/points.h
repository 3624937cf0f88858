/* points — party-member points (党员积分管理, SPEC M6, issue 11): a table of
 * rules in versions (each change applies from its date and never reprices a
 * past entry), an append-only ledger fed by the events themselves through
 * points_award() in the event's own transaction, corrections as new entries
 * that reference the corrected one, manual adjustments that a second person
 * approves, and totals per member, year and month kept beside the ledger for
 * the rankings. Knows nothing of HTTP; the pages and the API are in
 * points_web.c. */
#ifndef DJ_POINTS_H
#define DJ_POINTS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "actor.h"
#include "db.h"
#include "permission.h"
#include "result.h"
#include "valid.h"

/* The event kinds a rule is triggered by (the rule's code), with their
 * labels: key, label pairs, NULL-terminated. */
extern const char *const points_events[];
const char *points_event_label(const char *code);

/* Awards a member the points of the rule for this event, in the caller's
 * transaction. member_id: the roster member (members.id); event: a rule's
 * code (points_events); qty multiplies the rule's points (hours; 1
 * otherwise); source_kind/source_id name the record that earned it ("order",
 * 42): the same (member, event, source) pays once, a second call is DJ_OK
 * and writes nothing; at: when the event happened, which chooses the rule's
 * version and the day and year of the caps. A capped award is written with
 * the points left under the cap (0 when none) and the reason. DJ_INVALID
 * (unknown event, qty out of 1..1000, no version in force at that time),
 * DJ_NOT_FOUND (no such member, or outside the actor's subtree — the member
 * itself always may be), DJ_DB_ERROR. */
enum dj_result points_award(db *d, const struct actor *a, int64_t member_id, const char *event, const char *source_kind, int64_t source_id, int64_t qty,
			    int64_t at, struct field_errors *e);

/* The caps of points_award, for a generator that writes its rows in bulk
 * (demo_county.c): the points left under the day's and the year's caps after
 * got_day and got_year already earned by the rule (0 caps: none; a penalty is
 * never capped), and the reason written with a capped entry ("" when none). */
int64_t points_capped(int64_t points, int64_t got_day, int64_t cap_day, int64_t got_year, int64_t cap_year, char reason[160]);
/* The start of at's day in Asia/Shanghai (a ledger row's day). */
int64_t points_day_of(int64_t at);

/* The roster member whose account this is (members.user_id), 0 when the
 * account is not on the roster, -1 when the database failed. */
int64_t points_member_of_user(db *d, int64_t user_id);
/* A member's total in a year (Asia/Shanghai calendar year), from the totals. */
int64_t points_total(db *d, int64_t member_id, int year);
/* The same, summed from the ledger entries themselves (for checks and tests). */
int64_t points_ledger_sum(db *d, int64_t member_id, int year);
/* `dangjian check`: the totals against a recount of the ledger; prints each
 * row that differs (stored and recounted) and returns how many, -1 when the
 * query failed. */
int points_totals_check(db *d, FILE *out);
/* The calendar year and month of a time in Asia/Shanghai. */
int points_year_of(int64_t at);
int points_month_of(int64_t at);

/* ---- who may do what ---- */
extern const struct permission perm_points_rules;   /* edit the rules: the committee */
extern const struct permission perm_points_propose; /* propose an adjustment: a branch secretary, the committee */
extern const struct permission perm_points_approve; /* approve one proposed by someone else */
extern const struct permission perm_points_correct; /* correct an entry (a new entry referencing it) */

/* ---- rules ---- */
struct points_rule {
	int64_t id;
	char code[32], name[128];
	int64_t points, cap_day, cap_year, from_at, created_at;
	char valid_from[11], note[512], created_by[200];
	bool current; /* the version in force at the time asked about */
	int64_t used; /* ledger entries priced by this version */
};
typedef void (*points_rule_fn)(void *ctx, const struct points_rule *r);
/* Every version of every rule, by code, newest version first; current marks
 * the one in force at `at`. */
void points_rules_each(db *d, int64_t at, points_rule_fn fn, void *ctx);
/* A new version of a rule from a date (YYYY-MM-DD, Asia/Shanghai). Fields as
 * typed (strings), checked here: code one of points_events; points an integer
 * in -100..100; caps integers in 0..10000 ("" or NULL: 0); name (empty: the
 * current version's) at most 60 characters; valid_from a date on which no
 * entry of this rule has yet been written nor a version begins. DJ_FORBIDDEN
 * without perm_points_rules, DJ_INVALID with the fields. Audited. */
struct points_rule_input {
	const char *code, *name, *points, *cap_day, *cap_year, *valid_from, *note;
};
enum dj_result points_rule_set(db *d, const struct actor *a, const struct points_rule_input *in, int64_t now, int64_t *id_out, struct field_errors *e);

/* ---- the ledger ---- */
struct points_entry {
	int64_t id, member_id, rule_id, qty, points, rule_points, source_id, corrects_id, corrected_by, at, created_at;
	char kind[16], code[32], source_kind[32], reason[512], actor[200], valid_from[11];
	char source_label[64]; /* what people call the source: an order's tracking code; "" otherwise */
};
typedef void (*points_entry_fn)(void *ctx, const struct points_entry *en);
/* A member as the points pages show it: year total, entries, rank in its branch. */
struct points_summary {
	int64_t member_id, org_id, user_id;
	char name[64], org_name[168], org_code[40], branch_code[40], branch_name[168];
	int year;
	int64_t total, entries;
	int64_t rank, of; /* rank among the members of its branch (1 = most), out of */
};
/* The member's summary for a year, and (fn not NULL) its entries, newest
 * first. The member itself, and the staff whose subtree holds it, may read
 * it; anyone else gets DJ_NOT_FOUND. */
enum dj_result points_member(db *d, const struct actor *a, int64_t member_id, int year, struct points_summary *s, points_entry_fn fn, void *ctx,
			     struct field_errors *e);
/* Corrects an entry: a new entry (kind correction) that references it and
 * adds the difference to what the entry should have been (`points`, an
 * integer as typed), dated at the corrected entry's time; a reason is
 * required; an entry is corrected once (DJ_CONFLICT). Staff covering the
 * member with perm_points_correct. Audited. */
enum dj_result points_correct(db *d, const struct actor *a, int64_t entry_id, const char *points, const char *reason, int64_t now, int64_t *id_out,
			      struct field_errors *e);

/* Makes what a source has earned under a rule right after the record
 * changed: the award (points_award) when there is none, else a correction
 * (points_correct, with reason) of the last entry of the source's chain so
 * that the source's entries add up to the award's rule version × qty under
 * its caps. qty 0: the source earns nothing (a correction to 0). Nothing is
 * written when the ledger is already right. Audited as points_correct is. */
enum dj_result points_source_set(db *d, const struct actor *a, int64_t member_id, const char *event, const char *source_kind, int64_t source_id,
				 int64_t qty, int64_t at, const char *reason, int64_t now, struct field_errors *e);

/* ---- rankings ---- */
struct points_rank {
	int64_t rank, member_id, points, entries;
	char name[64], org_name[168];
};
typedef void (*points_rank_fn)(void *ctx, const struct points_rank *row);
/* The members of an org's subtree (a branch; staff also any org they cover)
 * ranked by their points of a year (month 0) or of one month (1..12), ties
 * sharing a rank, at most limit rows from offset; *total: how many members.
 * org_code NULL or "": the actor's own branch. The org's name goes to
 * org_name. DJ_NOT_FOUND for an org outside what the actor may see,
 * DJ_INVALID for a month out of 0..12 or a year out of 2000..2100. */
enum dj_result points_ranking(db *d, const struct actor *a, const char *org_code, int year, int month, int64_t limit, int64_t offset, int64_t *total,
			      char org_name[168], points_rank_fn fn, void *ctx, struct field_errors *e);
struct points_branch_rank {
	int64_t rank, org_id, members, points;
	double average;
	char code[40], name[168];
};
typedef void (*points_branch_fn)(void *ctx, const struct points_branch_rank *row);
/* The branches of the actor's town (or of the town org_code names) ranked by
 * their members' average points of a year, with the totals. */
enum dj_result points_town_ranking(db *d, const struct actor *a, const char *org_code, int year, char town_name[168], points_branch_fn fn, void *ctx,
				   struct field_errors *e);
/* A ranking (points_ranking without a limit) as .xlsx, audited as points.export. */
enum dj_result points_ranking_export(db *d, const struct actor *a, const char *org_code, int year, int month, const char *path, int64_t *rows,
				     struct field_errors *e);

/* ---- manual adjustments ---- */
extern const char *const points_adjustment_states[]; /* key, label pairs: pending approved rejected */
struct points_adjustment {
	int64_t id, member_id, points, proposed_by, decided_by, ledger_id, proposed_at, decided_at;
	char member_name[64], org_name[168], reason[512], state[16], proposer[200], decider[200], decision_note[512];
};
typedef void (*points_adjustment_fn)(void *ctx, const struct points_adjustment *adj);
/* Proposes an adjustment of a member's points (an integer in -50..50, not 0,
 * as typed) with a reason (required, at most 200 characters). Audited. */
enum dj_result points_adjust_propose(db *d, const struct actor *a, int64_t member_id, const char *points, const char *reason, int64_t now, int64_t *id_out,
				     struct field_errors *e);
/* Approves (writing its ledger entry) or rejects a pending adjustment. The
 * proposer may never decide its own (DJ_FORBIDDEN); a decided one is
 * DJ_CONFLICT. A rejection needs a note. Audited. */
enum dj_result points_adjust_decide(db *d, const struct actor *a, int64_t id, bool approve, const char *note, int64_t now, struct field_errors *e);
/* The adjustments the actor may see (its subtree), newest first; state NULL or "": all. */
enum dj_result points_adjustments_each(db *d, const struct actor *a, const char *state, points_adjustment_fn fn, void *ctx, struct field_errors *e);
bool points_adjustment_load(db *d, const struct actor *a, int64_t id, struct points_adjustment *out);

/* The members of the actor's subtree on the roster (not 停止党籍), by org,
 * at most 1000: the choice of the adjustment form. */
typedef void (*points_member_fn)(void *ctx, int64_t id, const char *name, const char *org_name);
void points_members_each(db *d, const struct actor *a, points_member_fn fn, void *ctx);
/* The orgs a ranking may be asked for in the actor's subtree: its committees,
 * branches and general branches (not the 党小组), by path, at most 300. */
typedef void (*points_org_fn)(void *ctx, int64_t id, const char *code, const char *name);
void points_rank_orgs_each(db *d, const struct actor *a, points_org_fn fn, void *ctx);
/* The member an entry belongs to, or 0. */
int64_t points_entry_member(db *d, int64_t entry_id);

/* The demo town's year of points (demo_points.c, the module's .demo hook). */
int demo_points(db *d, const struct actor *cli, FILE *out);
/* ---- the dashboard's figures (points_figures.c, issue 17) ---- */
struct figure_scope;
int64_t points_fig_entries(db *d, const struct figure_scope *s); /* ledger entries of the period in the subtree */
int64_t points_fig_awarded(db *d, const struct figure_scope *s); /* the points they add */
void points_href_entries(const struct figure_scope *s, char *out, size_t n);
/* One ledger entry as /points/entries lists it (the dashboard's drill-down); strings live until fn returns. */
struct points_ledger_row {
	int64_t id, at, qty, points, source_id;
	const char *member, *org, *code, *kind, *reason, *source_kind;
};
/* The entries of the subtree at prefix with at in [t0, t1), newest first, at
 * most limit; *total and *sum: all of them, as the two figures count them. */
enum dj_result points_entries_each(db *d, const char *prefix, int64_t t0, int64_t t1, int64_t limit,
				   void (*fn)(void *ctx, const struct points_ledger_row *e), void *ctx, int64_t *total, int64_t *sum);

#endif
