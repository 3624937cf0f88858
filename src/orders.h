/* orders — resident orders, the closed loop of SPEC M2:
 * 群众点单 → 支部接单 / 向上反馈 → 党委派单 → 送单 → 销单.
 * The state machine is one table (state, action, who, next state) that the
 * code, the API and the tests all read. Knows nothing of HTTP: every function
 * takes the db and the actor; the pages are in orders_pages.c, the API in
 * orders_api.c. */
#ifndef DJ_ORDERS_H
#define DJ_ORDERS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "actor.h"
#include "db.h"
#include "permission.h"
#include "result.h"
#include "valid.h"

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
bool order_state_open(const char *state); /* Open311's coarse status */
extern const char *const order_kinds[];   /* key, label pairs, NULL-terminated */

/* Who an order may be given to (派单): party members, grid workers and branch secretaries. */
#define ORDER_ASSIGNEE_ROLES (R_MEMBER | R_GRID | R_BRANCH)
/* Whether residents place orders with an org: the 党支部 of a village or community. */
bool order_org_takes_orders(const char *type, const char *kind);

/* The one transition of the table, or NULL. */
const struct order_transition *order_find(const char *from, const char *action, int actor);

/* An order as every page, the API and the transitions read it: one column
 * list, filled by one function. */
struct order {
	int64_t id;
	char code[24];
	char kind[24], urgency[16];
	char content[2048];
	int64_t org_id;
	char org_code[64], org_name[128], org_path[256];
	int64_t grid_id;
	char grid_code[64];
	char state[16], level[16];
	bool escalated;
	int64_t assignee_user_id;
	char assignee_username[64], assignee_name[64];
	char result[2048], close_reason[16], close_note[2048], comment[2048];
	int rating; /* 0: not rated */
	int64_t created_at, updated_at, due_at, delivered_at, closed_at, reminded_at;
	char contact_name[64], contact_phone[24];
	/* issue 10 §4, §6 */
	char address[256];                   /* optional; shown with the revealed phone */
	char decided_by[128], refer_to[256]; /* 不予受理 / 不属于本级职责: who decided, where to turn */
};

/* Reads one order by id (code NULL) or by tracking code; false when there is none. */
bool order_load(db *d, int64_t id, const char *code, struct order *o);
/* Whether the actor may see the order: the resident (who holds its code) and
 * the system always; whoever it is assigned to; everyone with an account the
 * orders of its subtree (a member: its branch's, SPEC §1), but a grid worker
 * only those of its grids; and a member also the open wishes of its town (the
 * wall's, to claim them). order_list's lists follow the same rule. */
bool order_visible(db *d, const struct actor *a, const struct order *o);
/* The town of the actor: the path of the nearest 镇党委 (committee) at or
 * above its org, or its own subtree when there is none. */
void order_town(db *d, const struct actor *a, char out[256]);
/* Past its time limit and not yet delivered or closed. */
bool order_overdue(const struct order *o, int64_t now);

/* The lists: what the actor may see (order_visible's rule, as SQL), narrowed
 * by a filter, in one of a fixed list of orders. fn is called for each row;
 * *total gets the number of rows that match without the limit, counted up to
 * ORDER_COUNT_CAP + 1 (more shows as "10,000+"). Every filter is an indexed
 * condition of its own: the SQL is put together from fixed pieces (the
 * values are bound; user text never enters it). DJ_INVALID names the field of
 * an unknown state, kind, urgency, sort, grid or a wrong date range. */
#define ORDER_COUNT_CAP 10000
struct order_filter {
	const char *state, *kind, *urgency; /* NULL: any */
	bool overdue;                       /* only those past their time limit */
	bool mine;                          /* only those assigned to the actor */
	bool escalated;                     /* only those ever escalated (向上反馈) */
	bool direct;                        /* only those never escalated (the branch's own, 支部销单) */
	bool open;                          /* only those not closed, rejected or withdrawn (办理中) */
	const char *reason;                 /* closed with this reason (resolved unresolvable not_ours duplicate); NULL: any */
	const char *org_path;               /* NULL: the actor's whole view; else only under this path */
	const char *grid;                   /* grid code; NULL: any */
	const char *from, *to;              /* placed on or after / on or before, YYYY-MM-DD (Beijing time); NULL: open */
	const char *q;                      /* a tracking code, the last 4 digits or the whole of the phone, or words of the content */
	const char *sort;                   /* new (default) | old | due (earliest time limit first) */
	int64_t before;                     /* keyset: sort new, only ids below; sort old, only ids above; 0: from the start */
	int64_t limit, offset;
	bool exact_total; /* the total counted from the orders (up to the cap), never taken from the rollups (the export's cap) */
};
extern const char *const order_sorts[]; /* key, label pairs, NULL-terminated */
typedef void (*order_row_fn)(void *ctx, const struct order *o);
enum dj_result order_list(db *d, const struct actor *a, const struct order_filter *f, int64_t now, int64_t *total, order_row_fn fn, void *ctx,
			  struct field_errors *e);

/* The wall (微心愿墙): the open wishes, newest first, at most 100: for a
 * member those of its town (the ones it may claim), for anyone else all.
 * fn gets what the wall shows — id, kind, state, content, org name and path,
 * created_at; the order's other fields are empty. */
void order_each_open_wish(db *d, const struct actor *a, order_row_fn fn, void *ctx);

/* An order's history, oldest first; the resident sees the public entries. */
struct order_event {
	int64_t at;
	const char *action, *from, *to, *actor, *note;
	bool public;
};
typedef void (*order_event_fn)(void *ctx, const struct order_event *ev);
void order_events(db *d, int64_t id, bool public_only, order_event_fn fn, void *ctx);

struct order_new {
	char kind[24], urgency[16], content[2048], org_code[64], grid_code[64], contact_name[64], contact_phone[24];
	char idempotency_key[80];
	char address[256];    /* optional (issue 10 §4) */
	int64_t at;           /* when it was placed; 0: now (the demo backdates) */
	uint64_t key_free_tx; /* set by order_place_admit: the transaction that found the key unused */
};
/* The per-address limit on placing orders (10 an hour), kept in the database
 * for all nodes; a repeated idempotency key costs nothing. False: refused. */
bool order_place_allowed(db *d, const char *ip, const char *idempotency_key, int64_t now);
/* The same for the order about to be placed in the same transaction: when
 * the key is found unused, o->key_free_tx says so and order_create does not
 * look it up again. */
bool order_place_admit(db *d, const char *ip, struct order_new *o, int64_t now);
/* Validates and stores a new order placed by the actor (the resident, or the
 * demo), notifies the branch (and the grid worker), audits; fills code_out.
 * A repeated idempotency key answers DJ_OK with the first order's code and
 * *repeated set. */
enum dj_result order_create(db *d, const struct actor *a, struct order_new *o, char code_out[24], bool *repeated, struct field_errors *e);
/* Whether the web form's key (its hidden _key, kept in a cookie of the
 * device) may be handed out again with the form page (issue 10 §7): unused,
 * or used by an order placed in the last ORDER_KEY_REUSE seconds, so that
 * back + resubmit without JavaScript answers with that order. *used: an
 * order holds it. */
#define ORDER_KEY_REUSE 1800
bool order_key_reusable(db *d, const char *key, int64_t now, bool *used);

/* What an action carries. */
struct order_act {
	const char *note;         /* reason, result, comment, information */
	const char *assignee;     /* username for assign and dispatch */
	const char *to_org;       /* org code for dispatch */
	const char *reason;       /* close: unresolvable not_ours duplicate */
	const char *duplicate_of; /* close duplicate: the original's code */
	int rating;               /* confirm: 1..5, required */
	const char *decided_by;   /* reject, close not_ours: who decided (default: the actor) */
	const char *refer_to;     /* reject, close not_ours: where to turn (required for not_ours) */
};

/* Takes one transition of the table in the caller's transaction, on the order
 * with this id (or, id 0, this tracking code): reads the order once, checks
 * the table, the actor's right to this order and the action's fields; writes
 * the order, one history row, the notifications and one audit row. DJ_NOT_FOUND
 * (unknown or not visible), DJ_FORBIDDEN (not this role), DJ_CONFLICT (not from
 * this state, or someone acted first), DJ_INVALID (the fields). */
enum dj_result order_transition(db *d, const struct actor *a, int64_t id, const char *code, const char *action, const struct order_act *act, int64_t now,
				struct field_errors *e);

/* Time limits (12345 pattern): seconds to accept (dispatch within 1 h for
 * emergencies, 24 h normally) and to deliver (24 h / 7 days / 15 days for
 * complex matters); each can be set per kind and urgency in the settings. */
int64_t order_limit(db *d, const char *kind, const char *urgency, bool accepted);
/* Closes delivered orders left unanswered for days (auto_close), as the system; returns how many. */
int orders_auto_close(db *d, int64_t now, int days);
/* The background task: auto-closes after the configured days (setting
 * order_auto_close_days, default 7); returns how many, or -1. */
int orders_tick(db *d, int64_t now);

/* The open orders of the whole town, or (overdue) those past their time limit: for /metrics. */
int64_t orders_count_open(db *d, bool overdue, int64_t now);

/* What became of the orders placed in a period (issue 4 §9). */
struct order_stats {
	int64_t collected, accepted, rejected, resolved_by_branch, resolved_by_committee, escalated, dispatched, withdrawn, open, overdue, rated, closed;
	int64_t by_reason[4]; /* in the order of order_close_reasons */
	double average_satisfaction, median_hours_to_close;
	char summary[300]; /* 共收集需求清单N项，支部有效解决及时销单M项，向上反馈K项 */
};
extern const char *const order_close_reasons[]; /* resolved unresolvable not_ours duplicate */
void order_stats_compute(db *d, const char *prefix, int64_t t0, int64_t t1, int64_t now, struct order_stats *st);
/* The same for the orders of one kind (need, wish, proxy_*, opinion; NULL: all). */
void order_stats_compute_kind(db *d, const char *prefix, const char *kind, int64_t t0, int64_t t1, int64_t now, struct order_stats *st);
/* The same counts without the median time to close (closed and
 * median_hours_to_close stay 0): what the dashboard's figures read. */
void order_stats_counts_kind(db *d, const char *prefix, const char *kind, int64_t t0, int64_t t1, int64_t now, struct order_stats *st);
/* A date YYYY-MM-DD as the Unix time of its start in Asia/Shanghai. */
bool day_start(const char *date, int64_t *out);

/* The dashboard's figures of the orders (orders_figures.c, issue 17): the
 * counts of order_stats_compute for a figure_scope, and the order list of
 * exactly those orders. */
struct figure_scope;
int64_t order_fig_collected(db *d, const struct figure_scope *s);
int64_t order_fig_resolved(db *d, const struct figure_scope *s);
int64_t order_fig_escalated(db *d, const struct figure_scope *s);
int64_t order_fig_open(db *d, const struct figure_scope *s);
int64_t order_fig_overdue(db *d, const struct figure_scope *s);
int64_t order_fig_wishes(db *d, const struct figure_scope *s);
void order_href_collected(const struct figure_scope *s, char *out, size_t n);
void order_href_resolved(const struct figure_scope *s, char *out, size_t n);
void order_href_escalated(const struct figure_scope *s, char *out, size_t n);
void order_href_open(const struct figure_scope *s, char *out, size_t n);
void order_href_overdue(const struct figure_scope *s, char *out, size_t n);
void order_href_wishes(const struct figure_scope *s, char *out, size_t n);
/* An order linked to a campaign task (M10): -1 none, -2 the database failed,
 * 1 fulfilled (closed as 已解决), 0 not yet; fills the path of its org. */
int order_link_state(db *d, int64_t id, char org_path[256]);

/* The workbench's figures for the actor (issue 10 §2): submitted and waiting,
 * overdue, escalated, assigned to the actor and open, open wishes to claim. */
struct order_counts {
	int64_t waiting, overdue, escalated, mine, wishes;
};
enum dj_result order_counts(db *d, const struct actor *a, int64_t now, struct order_counts *c);

/* ---- reaching the resident, tracking codes people keep (issue 10 §4, §5) ---- */

extern const struct permission perm_order_reveal;
/* A new tracking code: 8 characters of an alphabet without look-alikes (no
 * 0/O/1/I/L), grouped for reading: "K7QM-4XWP" (31^8, about 40 bits; the
 * per-address limits keep guessing out of reach). */
void order_new_code(char out[24]);
/* What a resident typed, as the code to look up: spaces and dashes dropped,
 * upper case, regrouped "XXXX-XXXX" when it is a new code; an old 12-character
 * code (case-sensitive) as typed, without spaces. */
void order_code_normalize(const char *in, char out[40]);
/* Whether the actor may see the resident's full phone and address: whoever
 * the order is assigned to, and the staff (branch, committee, admin) whose
 * subtree holds it. A member only for the orders and wishes assigned to it. */
bool order_contact_allowed(const struct actor *a, const struct order *o);
/* Loads the order with its full phone for the actor, audited as
 * order.reveal_phone in the caller's (write) transaction. DJ_NOT_FOUND when
 * the order is not visible to the actor, DJ_FORBIDDEN when it may see the
 * order but not the phone. */
enum dj_result order_reveal_phone(db *d, const struct actor *a, int64_t id, struct order *out, struct field_errors *e);
/* The orders placed with this phone number, newest first (at most 50), for a
 * resident who proves it with one of their tracking codes; DJ_NOT_FOUND when
 * the code is not one of that phone's orders. */
enum dj_result order_list_by_phone(db *d, const char *phone, const char *code, order_row_fn fn, void *ctx, struct field_errors *e);
/* A resident who lost every code asks for them with the phone number: the
 * codes of that phone's orders (the newest ORDER_CODES_SENT) go to that phone
 * as one text message through the notification adapter's outbox (notify_sms),
 * audited as order.codes_sent. At most ORDER_CODES_PER_PHONE requests a phone
 * and ORDER_CODES_PER_ADDRESS an address in an hour (DJ_CONFLICT: the caller
 * answers 429), counted whether or not the phone has orders: the answer is
 * the same either way (nothing learnt of who placed orders). DJ_INVALID names
 * the field "phone". */
#define ORDER_CODES_SENT 8
#define ORDER_CODES_PER_PHONE 3
#define ORDER_CODES_PER_ADDRESS 10
enum dj_result order_send_codes(db *d, const struct actor *a, const char *phone, int64_t now, struct field_errors *e);

#endif
