/* transfers — 组织关系转接 (issue 18 §5, SPEC M12, M1): a member's relation
 * moved to another branch of the committee (the receiving branch confirms)
 * or to an outside org with a letter (介绍信) that lapses after its validity;
 * incoming letters from outside recorded by their number. The member's org,
 * roster history, account and unpaid dues follow on the day of receipt,
 * through the members domain. Knows nothing of HTTP: transfers_web.c. */
#ifndef DJ_TRANSFERS_H
#define DJ_TRANSFERS_H
#include <stdbool.h>
#include <stdint.h>

#include "actor.h"
#include "buf.h"
#include "db.h"
#include "permission.h"
#include "result.h"

extern const struct permission perm_transfer_view, perm_transfer_edit;

/* The state table: from a state, an action, who may take it, the next state.
 * The code and the tests read the same rows. */
struct transfer_step {
	const char *from, *action;
	int roles;
	const char *to;
};
extern const struct transfer_step transfer_steps[];
extern const size_t transfer_steps_n;
/* The row for (state, action) open to role, or NULL. */
const struct transfer_step *transfer_step_find(const char *state, const char *action, int role);
const char *transfer_state_label(const char *state);
const char *transfer_kind_label(const char *kind);

#define TRANSFER_VALID_MONTHS 3

struct transfer {
	int64_t id, member_id, from_org_id, to_org_id;
	char letter_no[64], kind[16], state[16], person_name[96];
	char from_org_name[168], to_org_name[168];
	char issued_on[11], valid_until[11], dues_paid_to[8], decided_on[11];
	char reason[400], note[400];
};
/* A transfer whose sending or receiving side lies in the actor's subtree. */
enum dj_result transfer_load(db *d, const struct actor *a, int64_t id, struct transfer *t, struct field_errors *e);

/* The letter with its stub (存根) as a PDF (transfers_pdf.c), appended to
 * out; letter_no gets its number. Incoming letters have none (DJ_CONFLICT). */
enum dj_result transfer_letter_pdf(db *d, const struct actor *a, int64_t id, buf *out, char letter_no[64], struct field_errors *e);

/* Issues a transfer. kind "internal": to_org_code names a branch (or group)
 * of the same committee, not the member's own; "outside": to_org_name the
 * receiving org. valid_until: "" for three months from today. */
struct transfer_new {
	int64_t member_id;
	const char *kind, *to_org_code, *to_org_name, *valid_until, *reason;
};
enum dj_result transfer_issue(db *d, const struct actor *a, const struct transfer_new *t, int64_t *id, struct field_errors *e);
/* receive | return, by the state table; a receipt past the validity is refused. */
enum dj_result transfer_act(db *d, const struct actor *a, int64_t id, const char *action, const char *note, struct field_errors *e);
/* An incoming letter from outside, recorded by its number (state received). */
enum dj_result transfer_incoming(db *d, const struct actor *a, const char *letter_no, const char *person_name, const char *from_org_name,
				 const char *to_org_code, const char *issued_on, int64_t *id, struct field_errors *e);

/* The transfers of the actor's subtree (either side), newest first; state NULL: any. */
void transfers_each(db *d, const struct actor *a, const char *state, void (*fn)(void *ctx, const struct transfer *t), void *ctx);
/* Lapsed letters on either side of the actor's subtree (the workbench flag). */
int64_t transfers_lapsed_count(db *d, const struct actor *a);

/* The background task: letters issued and not received within their
 * validity become lapsed, both sides told. Returns how many, -1 on failure. */
int transfers_lapse(db *d, int64_t now);

/* The demo's transfers (demo_dues.c). */
int demo_transfers(db *d, const struct actor *cli);

/* what the dashboard counts of this mechanism (transfers_figures.c, SPEC M11) */
#include "figures.h"
#define TRANSFERS_FIGURES_N 2
extern const struct figure transfers_figures[TRANSFERS_FIGURES_N];

#endif
