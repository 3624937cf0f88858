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

/* The roster member whose account this is (members.user_id), 0 when the
 * account is not on the roster, -1 when the database failed. */
int64_t points_member_of_user(db *d, int64_t user_id);
/* A member's total in a year (Asia/Shanghai calendar year), from the totals. */
int64_t points_total(db *d, int64_t member_id, int year);
/* The same, summed from the ledger entries themselves (for checks and tests). */
int64_t points_ledger_sum(db *d, int64_t member_id, int year);
/* The calendar year and month of a time in Asia/Shanghai. */
int points_year_of(int64_t at);
int points_month_of(int64_t at);

/* ---- the dashboard's figures (points_figures.c, issue 17) ---- */
struct figure_scope;
int64_t points_fig_entries(db *d, const struct figure_scope *s); /* ledger entries of the period in the subtree */
int64_t points_fig_awarded(db *d, const struct figure_scope *s); /* the points they add */
void points_href_entries(const struct figure_scope *s, char *out, size_t n);
/* One ledger entry as /points/entries lists it; strings live until fn returns. */
struct points_entry {
	int64_t id, at, qty, points, source_id;
	const char *member, *org, *code, *kind, *reason, *source_kind;
};
/* The entries of the subtree at prefix with at in [t0, t1), newest first, at
 * most limit; *total and *sum: all of them, as the two figures count them. */
enum dj_result points_entries_each(db *d, const char *prefix, int64_t t0, int64_t t1, int64_t limit, void (*fn)(void *ctx, const struct points_entry *e),
				   void *ctx, int64_t *total, int64_t *sum);

#endif
