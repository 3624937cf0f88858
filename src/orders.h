/* orders — resident orders, the closed loop of SPEC M2:
 * 群众点单 → 支部接单 / 向上反馈 → 党委派单 → 送单 → 销单.
 * The state machine is one table (state, action, who, next state) that the
 * code, the API and the tests all read. Knows nothing of HTTP. */
#ifndef DJ_ORDERS_H
#define DJ_ORDERS_H
#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "valid.h"

/* Who acts: the roles of SPEC §1, plus the resident and the system. */
#define A_PUBLIC (1 << 8)
#define A_SYSTEM (1 << 9)

struct order_transition {
	const char *from, *action;
	int actors;
	const char *to;
};
extern const struct order_transition order_transitions[];
extern const int order_transitions_count;
extern const char *const order_states[];  /* NULL-terminated */
extern const char *const order_actions[]; /* NULL-terminated */

const char *order_state_label(const char *state);   /* 已点单 … */
const char *order_action_label(const char *action); /* 接单 … */
const char *order_kind_label(const char *kind);
const char *order_close_label(const char *reason);
bool order_state_open(const char *state);           /* Open311's coarse status */
extern const char *const order_kinds[];             /* key, label pairs, NULL-terminated */

/* The one transition of the table, or NULL. */
const struct order_transition *order_find(const char *from, const char *action, int actor);

struct order_new {
	char kind[24], urgency[16], content[2048], org_code[64], grid_code[64], contact_name[64], contact_phone[24];
	char idempotency_key[80], ip[64];
	int64_t at; /* when it was placed; 0: now (the demo backdates) */
};
/* Validates and stores a new order; returns its id (and code), 0 with errs. A
 * repeated idempotency key returns the first order's id with *repeated set. */
int64_t order_create(db *d, struct order_new *o, char code_out[24], bool *repeated, struct field_errors *errs);

/* What an action carries. */
struct order_act {
	const char *note;      /* reason, result, comment, information */
	const char *assignee;  /* username for assign and dispatch */
	const char *to_org;    /* org code for dispatch */
	const char *reason;    /* close: unresolvable not_ours duplicate */
	const char *duplicate_of; /* close duplicate: the original's code */
	int rating;            /* confirm: 1..5 */
};

struct order_actor {
	int actor;             /* a role bit, A_PUBLIC or A_SYSTEM */
	int64_t user_id;
	const char *label;     /* shown in the history: "陈集村党支部 张建国", "群众", "系统" */
	const char *scope_path; /* the caller's org subtree ('/' for all) */
};

/* Takes one transition in the caller's transaction: checks the table, the
 * actor's right to this order, the action's fields; writes the order and one
 * history row. Returns NULL, or the reason (and an HTTP-like status in *status:
 * 404 unknown, 403 not yours, 409 illegal from this state, 422 bad fields). */
const char *order_apply(db *d, int64_t id, const char *action, const struct order_act *a, const struct order_actor *who,
			int64_t now, int *status, struct field_errors *errs);

/* Time limits (12345 pattern): seconds to accept (dispatch within 1 h for
 * emergencies, 24 h normally) and to deliver (24 h / 7 days / 15 days for
 * complex matters); each can be set per kind and urgency in the settings. */
int64_t order_limit(db *d, const char *kind, const char *urgency, bool accepted);
/* Closes delivered orders left unanswered for days (auto_close); returns how many. */
int orders_auto_close(db *d, int64_t now, int days);
/* The background task: auto-closes after the configured days (setting
 * order_auto_close_days, default 7); returns how many, or -1. */
int orders_tick(db *d, int64_t now);

/* What became of the orders placed in a period (issue 4 §9). */
struct order_stats {
	int64_t collected, accepted, rejected, resolved_by_branch, resolved_by_committee, escalated, dispatched, withdrawn,
		open, overdue, rated, closed;
	int64_t by_reason[4]; /* in the order of order_close_reasons */
	double average_satisfaction, median_hours_to_close;
	char summary[300];    /* 共收集需求清单N项，支部有效解决及时销单M项，向上反馈K项 */
};
extern const char *const order_close_reasons[]; /* resolved unresolvable not_ours duplicate */
void order_stats_compute(db *d, const char *prefix, int64_t t0, int64_t t1, int64_t now, struct order_stats *st);
/* A date YYYY-MM-DD as the Unix time of its start in Asia/Shanghai. */
bool day_start(const char *date, int64_t *out);

#endif
