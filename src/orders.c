/* orders — the closed loop of SPEC M2 (seeds 000, 001). */
#include "orders.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <time.h>

#include "audit.h"
#include "buf.h"
#include "notify.h"
#include "order_stats_memo.h"
#include "order_summary.h"
#include "points.h"
#include "settings.h"
#include "util.h"

#define STAFF_B (R_BRANCH)
#define ASSIGNEE (R_MEMBER | R_GRID | R_BRANCH)

/* THE state machine. Every state change anywhere goes through this table. */
const struct order_transition order_transitions[] = {
	{"submitted", "accept", R_BRANCH | R_GRID, "accepted"},
	{"submitted", "reject", R_BRANCH, "rejected"},
	{"submitted", "claim", R_MEMBER, "assigned"}, /* 认领 a micro-wish: the claim is the assignment */
	{"accepted", "claim", R_MEMBER, "assigned"},
	{"accepted", "assign", R_BRANCH | R_GRID, "assigned"},
	{"assigned", "assign", R_BRANCH, "assigned"}, /* reassign */
	{"accepted", "escalate", R_BRANCH, "escalated"},
	{"assigned", "escalate", R_BRANCH, "escalated"},
	{"escalated", "dispatch", R_COMMITTEE, "assigned"},
	{"assigned", "start", ASSIGNEE, "in_progress"},
	{"assigned", "deliver", ASSIGNEE, "delivered"},
	{"in_progress", "deliver", ASSIGNEE, "delivered"},
	{"delivered", "confirm", A_PUBLIC, "closed"},
	{"delivered", "reopen", A_PUBLIC, "assigned"},
	{"delivered", "auto_close", A_SYSTEM, "closed"},
	{"accepted", "close", R_BRANCH, "closed"},
	{"assigned", "close", R_BRANCH, "closed"},
	{"in_progress", "close", R_BRANCH, "closed"},
	{"escalated", "close", R_COMMITTEE, "closed"},
	{"submitted", "withdraw", A_PUBLIC, "withdrawn"},
	{"accepted", "withdraw", A_PUBLIC, "withdrawn"},
	{"assigned", "withdraw", A_PUBLIC, "withdrawn"},
	{"in_progress", "withdraw", A_PUBLIC, "withdrawn"},
	{"escalated", "withdraw", A_PUBLIC, "withdrawn"},
	{"delivered", "withdraw", A_PUBLIC, "withdrawn"},
	/* not a change of state, but in the table so that who may do it is written once */
	{"submitted", "add_info", A_PUBLIC, "submitted"},
	{"accepted", "add_info", A_PUBLIC, "accepted"},
	{"assigned", "add_info", A_PUBLIC, "assigned"},
	{"in_progress", "add_info", A_PUBLIC, "in_progress"},
	{"escalated", "add_info", A_PUBLIC, "escalated"},
	{"submitted", "remind", R_COMMITTEE, "submitted"}, /* 催办, by the level above */
	{"accepted", "remind", R_COMMITTEE, "accepted"},
	{"assigned", "remind", R_COMMITTEE, "assigned"},
	{"in_progress", "remind", R_COMMITTEE, "in_progress"},
};
const int order_transitions_count = sizeof order_transitions / sizeof order_transitions[0];

const char *const order_states[] = {"submitted", "accepted", "assigned", "in_progress", "escalated", "delivered", "closed", "rejected", "withdrawn", NULL};
const char *const order_actions[] = {"accept",  "reject", "claim",      "assign", "escalate", "dispatch", "start",  "deliver",
				     "confirm", "reopen", "auto_close", "close",  "withdraw", "add_info", "remind", NULL};

static const char *const state_labels[] = {
	"submitted", "已点单", "accepted", "已接单", "assigned", "已派单",   "in_progress", "办理中", "escalated", "向上反馈",
	"delivered", "已送单", "closed",   "已销单", "rejected", "不予受理", "withdrawn",   "已撤回", NULL,
};
static const char *const action_labels[] = {
	"create",  "点单", "accept",   "接单",     "reject",   "不予受理",         "claim",      "认领心愿",
	"assign",  "派单", "escalate", "向上反馈", "dispatch", "党委派单",         "start",      "开始办理",
	"deliver", "送单", "confirm",  "确认销单", "reopen",   "未解决，重新办理", "auto_close", "逾期未评价，自动销单",
	"close",   "办结", "withdraw", "撤回",     "add_info", "补充信息",         "remind",     "催办",
	NULL,
};
const char *const order_kinds[] = {
	"need",           "需求",    "wish",     "微心愿", "proxy_medical", "代办：医疗代办", "proxy_power", "代办：电费代缴", "proxy_goods",
	"代办：物资代购", "opinion", "社情民意", NULL,
};
static const char *const close_labels[] = {
	"resolved", "已解决", "unresolvable", "无法解决", "not_ours", "不属于本级职责", "duplicate", "重复诉求", NULL,
};

static const char *label(const char *const *map, const char *key)
{
	for (const char *const *p = map; key && *p; p += 2)
		if (!strcmp(p[0], key))
			return p[1];
	return key ? key : "";
}

const char *order_state_label(const char *s) { return label(state_labels, s); }
const char *order_action_label(const char *a) { return label(action_labels, a); }
const char *order_kind_label(const char *k) { return label(order_kinds, k); }
const char *order_close_label(const char *r) { return label(close_labels, r); }

bool order_state_open(const char *s) { return strcmp(s, "closed") && strcmp(s, "rejected") && strcmp(s, "withdrawn"); }

bool order_org_takes_orders(const char *type, const char *kind)
{
	return type && kind && !strcmp(type, "branch") && (!strcmp(kind, "农村") || !strcmp(kind, "社区"));
}

const struct order_transition *order_find(const char *from, const char *action, int actor)
{
	for (int i = 0; i < order_transitions_count; i++) {
		const struct order_transition *t = &order_transitions[i];
		if (!strcmp(t->from, from) && !strcmp(t->action, action) && (t->actors & actor))
			return t;
	}
	return NULL;
}

/* The time limits read for every order placed (two settings lookups) are
 * kept for the rest of the transaction they were read in, by thread: the
 * group-commit writer places tens of orders in one. Exact on SQLite, whose
 * transaction reads one snapshot (a `dangjian config set` commits before
 * or after it); a settings write in the same process (settings_generation)
 * drops them. Outside a transaction nothing is kept. */
#define LIMIT_CACHE 16
static _Thread_local struct {
	uint64_t tx;
	unsigned gen;
	int n;
	struct {
		char key[96];
		int64_t v;
	} e[LIMIT_CACHE];
} t_limits;

/* 12345 pattern (SPEC M2): dispatch within 1 h for emergencies, 24 h
 * normally; feedback within 24 h / 7 days / 15 days for complex matters. */
int64_t order_limit(db *d, const char *kind, const char *urgency, bool accepted)
{
	/* configurable in the settings table, most specific first:
	 * order_limit.<kind>.<urgency>.<accept|deliver>, then order_limit.<urgency>.<step> (seconds) */
	const char *step = accepted ? "deliver" : "accept";
	char k1[96], k2[96];
	snprintf(k1, sizeof k1, "order_limit.%s.%s.%s", kind, urgency, step);
	uint64_t tx = db_tx_serial(d);
	unsigned gen = settings_generation();
	if (tx && (t_limits.tx != tx || t_limits.gen != gen))
		t_limits.tx = tx, t_limits.gen = gen, t_limits.n = 0;
	for (int i = 0; tx && i < t_limits.n; i++)
		if (!strcmp(t_limits.e[i].key, k1))
			return t_limits.e[i].v;
	snprintf(k2, sizeof k2, "order_limit.%s.%s", urgency, step);
	int64_t v = db_int1(d, 0, "SELECT CAST(value AS BIGINT) FROM settings WHERE key = ?", "t", k1);
	if (v <= 0)
		v = db_int1(d, 0, "SELECT CAST(value AS BIGINT) FROM settings WHERE key = ?", "t", k2);
	if (v <= 0) {
		bool urgent = !strcmp(urgency, "urgent"), complex = !strcmp(urgency, "complex");
		v = !accepted ? (urgent ? 3600 : 24 * 3600) : urgent ? 24 * 3600 : complex ? 15 * 86400 : 7 * 86400;
	}
	if (tx && t_limits.n < LIMIT_CACHE) {
		snprintf(t_limits.e[t_limits.n].key, sizeof t_limits.e[0].key, "%s", k1);
		t_limits.e[t_limits.n++].v = v;
	}
	return v;
}

static bool in_list(const char *const *pairs, const char *v)
{
	for (const char *const *p = pairs; *p; p += 2)
		if (!strcmp(*p, v))
			return true;
	return false;
}

/* The one column list of an order, read by position in order_fill alone. */
#define ORDER_SELECT                                                                                                        \
	"SELECT o.id, o.code, o.kind, o.urgency, o.content, o.org_id, g.code, g.name, g.path, COALESCE(o.grid_id, 0), "     \
	"COALESCE(gr.code, ''), o.state, o.level, o.escalated, COALESCE(o.assignee_user_id, 0), COALESCE(u.username, ''), " \
	"COALESCE(u.name, ''), o.result, COALESCE(o.close_reason, ''), o.close_note, o.comment, COALESCE(o.rating, 0), "    \
	"o.created_at, o.updated_at, o.due_at, COALESCE(o.delivered_at, 0), COALESCE(o.closed_at, 0), "                     \
	"COALESCE(o.reminded_at, 0), o.contact_name, o.contact_phone, o.address, o.decided_by, o.refer_to "
#define ORDER_COLS                                                                                                  \
	ORDER_SELECT "FROM orders o JOIN orgs g ON g.id = o.org_id LEFT JOIN users u ON u.id = o.assignee_user_id " \
		     "LEFT JOIN grids gr ON gr.id = o.grid_id "

#define COPY(dst, col) copy_col(dst, sizeof dst, s, col)

/* A text column into a fixed field, cut as snprintf would cut it (a
 * list's 25 rows copy ~500 columns: snprintf's formatting was felt). */
static void copy_col(char *dst, size_t n, db_stmt *s, int col)
{
	const char *v = db_str(s, col);
	size_t len = strlen(v);
	if (len >= n)
		len = n - 1;
	memcpy(dst, v, len);
	dst[len] = 0;
}

static void order_fill(db_stmt *s, struct order *o)
{
	o->id = db_int(s, 0);
	COPY(o->code, 1);
	COPY(o->kind, 2);
	COPY(o->urgency, 3);
	COPY(o->content, 4);
	o->org_id = db_int(s, 5);
	COPY(o->org_code, 6);
	COPY(o->org_name, 7);
	COPY(o->org_path, 8);
	o->grid_id = db_int(s, 9);
	COPY(o->grid_code, 10);
	COPY(o->state, 11);
	COPY(o->level, 12);
	o->escalated = db_int(s, 13) != 0;
	o->assignee_user_id = db_int(s, 14);
	COPY(o->assignee_username, 15);
	COPY(o->assignee_name, 16);
	COPY(o->result, 17);
	COPY(o->close_reason, 18);
	COPY(o->close_note, 19);
	COPY(o->comment, 20);
	o->rating = (int)db_int(s, 21);
	o->created_at = db_int(s, 22);
	o->updated_at = db_int(s, 23);
	o->due_at = db_int(s, 24);
	o->delivered_at = db_int(s, 25);
	o->closed_at = db_int(s, 26);
	o->reminded_at = db_int(s, 27);
	COPY(o->contact_name, 28);
	COPY(o->contact_phone, 29);
	COPY(o->address, 30); /* issue 10 §4, §6 */
	COPY(o->decided_by, 31);
	COPY(o->refer_to, 32);
}
#undef COPY

bool order_load(db *d, int64_t id, const char *code, struct order *o)
{
	char norm[40]; /* typed by a resident: case, spaces and dashes do not matter (issue 10 §5) */
	if (code)
		order_code_normalize(code, norm);
	db_stmt *s = code ? db_query(d, ORDER_COLS "WHERE o.code = ?", "t", norm) : db_query(d, ORDER_COLS "WHERE o.id = ?", "I", id);
	bool found = db_next(s);
	if (found)
		order_fill(s, o);
	db_done(s);
	return found;
}

static bool open_wish(const struct order *o) { return !strcmp(o->kind, "wish") && (!strcmp(o->state, "submitted") || !strcmp(o->state, "accepted")); }

void order_town(db *d, const struct actor *a, char out[256])
{
	/* the nearest 镇党委 at or above the actor's org; without one, its own subtree */
	const char *scope = actor_scope(a);
	db_stmt *s = db_query(d, "SELECT path FROM orgs WHERE type = 'committee' AND ? LIKE path || '%' ORDER BY LENGTH(path) DESC LIMIT 1", "t", scope);
	snprintf(out, 256, "%s", db_next(s) ? db_str(s, 0) : scope);
	db_done(s);
}

static bool under(const char *path, const char *prefix) { return *prefix && !strncmp(path, prefix, strlen(prefix)); }

/* THE rule of who sees an order, written twice: here for one order and as
 * VISIBLE below for the lists; tests/unit/test_orders.c checks that the two
 * agree for every role. */
bool order_visible(db *d, const struct actor *a, const struct order *o)
{
	if (a->role == A_PUBLIC || a->role == A_SYSTEM)
		return true;
	if (a->user_id && o->assignee_user_id == a->user_id)
		return true; /* a 头雁 of another branch, a claimed wish of another village */
	if (a->role == R_MEMBER && open_wish(o)) {
		char town[256];
		order_town(d, a, town);
		if (under(o->org_path, town))
			return true; /* members claim the open wishes of their own town */
	}
	if (!actor_covers(a, o->org_path))
		return false;
	/* a grid worker: the orders of its grids (SPEC §1 "its grid(s)") */
	return a->role != R_GRID ||
	       (o->grid_id && db_int1(d, 0, "SELECT COUNT(*) FROM grids WHERE id = ? AND worker_user_id = ?", "II", o->grid_id, a->user_id) > 0);
}

bool order_overdue(const struct order *o, int64_t now) { return order_state_open(o->state) && strcmp(o->state, "delivered") && o->due_at < now; }

const char *const order_sorts[] = {"new", "最新提交", "old", "最早提交", "due", "时限最近", NULL};

/* The half-open range of org paths under prefix: paths are ASCII digits and
 * '/' compared bytewise (SQLite's BINARY, PostgreSQL's C collation), so
 * "/1/4/" covers ["/1/4/", "/1/40"): an index range on orgs.path, where
 * LIKE ? || '%' would read every org. */
static void path_range(const char *prefix, char lo[256], char hi[256])
{
	snprintf(lo, 256, "%s", prefix);
	snprintf(hi, 256, "%s", prefix);
	size_t n = strlen(hi);
	if (n)
		hi[n - 1]++;
}

/* order_visible as SQL, for the lists, one piece per kind of actor. Each
 * takes the same six parameters (scope lo, scope hi, me, town lo, town hi,
 * me), so the call binds them the same way whichever is chosen; a piece that
 * needs fewer uses the others in conditions that are always true. The
 * visible ids are a union of index searches (the subtree's orgs through
 * orders_org_created, the actor's own through orders_assignee): an OR of the two
 * would read every order. SQLite walks that id list in order, so newest
 * first needs no sort. */
#define VIS_ALL                                                                                                                    \
	"(CAST(? AS TEXT) IS NOT NULL AND CAST(? AS TEXT) IS NOT NULL AND CAST(? AS BIGINT) >= 0 AND CAST(? AS TEXT) IS NOT NULL " \
	"AND CAST(? AS TEXT) IS NOT NULL AND CAST(? AS BIGINT) >= 0) "
#define IN_PATHS "org_id IN (SELECT id FROM orgs WHERE path >= ? AND path < ?)"
#define VIS_STAFF                                                                                                        \
	"o.id IN (SELECT id FROM orders WHERE " IN_PATHS " UNION ALL SELECT id FROM orders WHERE assignee_user_id = ?) " \
	"AND CAST(? AS TEXT) IS NOT NULL AND CAST(? AS TEXT) IS NOT NULL AND CAST(? AS BIGINT) >= 0 "
/* staff with nothing assigned outside their subtree (the usual case): the
 * subtree alone, which SQLite counts from orders_org_created and pages by walking the
 * primary key newest first until the page is full (no id list to build) */
#define VIS_SUBTREE                                                                                                  \
	"o." IN_PATHS " AND CAST(? AS BIGINT) >= 0 AND CAST(? AS TEXT) IS NOT NULL AND CAST(? AS TEXT) IS NOT NULL " \
	"AND CAST(? AS BIGINT) >= 0 "
#define VIS_MEMBER                                                                                                      \
	"o.id IN (SELECT id FROM orders WHERE " IN_PATHS " UNION ALL SELECT id FROM orders WHERE assignee_user_id = ? " \
	"UNION ALL SELECT id FROM orders WHERE kind = 'wish' AND state IN ('submitted', 'accepted') AND " IN_PATHS ") " \
	"AND CAST(? AS BIGINT) >= 0 "
#define VIS_GRID                                                                                                            \
	"o.id IN (SELECT id FROM orders WHERE " IN_PATHS " AND grid_id IN (SELECT id FROM grids WHERE worker_user_id = ?) " \
	"AND CAST(? AS TEXT) IS NOT NULL AND CAST(? AS TEXT) IS NOT NULL UNION ALL SELECT id FROM orders WHERE assignee_user_id = ?) "
#define OFF_T " AND CAST(? AS TEXT) IS NULL"
#define COUNT_LIMIT "10001" /* ORDER_COUNT_CAP + 1 */
_Static_assert(ORDER_COUNT_CAP + 1 == 10001, "COUNT_LIMIT is ORDER_COUNT_CAP + 1");
#define OFF_I " AND CAST(? AS BIGINT) = 0"
/* the open states a time limit runs in (order_overdue) */
#define RUNNING "('submitted', 'accepted', 'assigned', 'in_progress', 'escalated')"
#define PHONE_TAIL "substr(o.contact_phone, length(o.contact_phone) - 3)"

/* Which of the pieces above an actor's lists use, and their six parameters
 * (scope lo, hi, me, town lo, hi, me): one visibility rule for the list, its
 * count and the workbench's figures. */
struct order_vis {
	const char *sql;
	bool subtree; /* VIS_SUBTREE */
	char lo[256], hi[256], tlo[256], thi[256];
	int64_t me;
};

static void order_vis_of(db *d, const struct actor *a, struct order_vis *v)
{
	v->me = a->user_id;
	v->subtree = false;
	*v->tlo = *v->thi = 0;
	path_range(actor_scope(a), v->lo, v->hi);
	if (a->role == R_MEMBER) {
		char town[256];
		order_town(d, a, town);
		path_range(town, v->tlo, v->thi);
	}
	bool staff = a->role != R_MEMBER && a->role != R_GRID && strcmp(actor_scope(a), "/");
	v->sql = a->role == R_MEMBER ? VIS_MEMBER : a->role == R_GRID ? VIS_GRID : staff ? VIS_STAFF : VIS_ALL;
	if (staff && !db_int1(d, 0,
			      "SELECT COUNT(*) FROM orders WHERE assignee_user_id = ? "
			      "AND org_id NOT IN (SELECT id FROM orgs WHERE path >= ? AND path < ?)",
			      "Itt", v->me, v->lo, v->hi))
		v->sql = VIS_SUBTREE, v->subtree = true;
}

static bool digits(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

enum dj_result order_list(db *d, const struct actor *a, const struct order_filter *f, int64_t now, int64_t *total, order_row_fn fn, void *ctx,
			  struct field_errors *e)
{
	*total = 0;
	if (a->role == A_PUBLIC || !*actor_scope(a))
		return DJ_FORBIDDEN;
	const char *state = f->state && *f->state ? f->state : NULL, *kind = f->kind && *f->kind ? f->kind : NULL;
	const char *urgency = f->urgency && *f->urgency ? f->urgency : NULL, *grid = f->grid && *f->grid ? f->grid : NULL;
	const char *sort = f->sort && *f->sort ? f->sort : "new";
	bool bad_state = false;
	if (state) {
		bad_state = true;
		for (const char *const *st = order_states; *st; st++)
			bad_state &= strcmp(*st, state) != 0;
	}
	if (bad_state)
		ferr_add(e, "state", "状态不存在");
	if (kind && !in_list(order_kinds, kind))
		ferr_add(e, "kind", "类型不存在");
	if (urgency && strcmp(urgency, "urgent") && strcmp(urgency, "normal") && strcmp(urgency, "complex"))
		ferr_add(e, "urgency", "紧急程度只能是 urgent、normal 或 complex");
	const char *reason = f->reason && *f->reason ? f->reason : NULL;
	bool bad_reason = reason != NULL;
	for (int i = 0; reason && i < 4; i++)
		bad_reason &= strcmp(order_close_reasons[i], reason) != 0;
	if (bad_reason)
		ferr_add(e, "reason", "办结方式只能是 resolved、unresolvable、not_ours 或 duplicate");
	if (!in_list(order_sorts, sort))
		ferr_add(e, "sort", "排序只能是 new、old 或 due");
	int64_t from = 0, to = 0;
	if (f->from && *f->from) {
		if (!day_start(f->from, &from))
			ferr_add(e, "from", "开始日期应为 YYYY-MM-DD");
	}
	if (f->to && *f->to) {
		if (!day_start(f->to, &to))
			ferr_add(e, "to", "结束日期应为 YYYY-MM-DD");
		else
			to += 86400;
	}
	if (from && to && from >= to)
		ferr_add(e, "to", "结束日期早于开始日期");
	int64_t grid_id = 0;
	if (grid && !e->n) {
		grid_id = db_int1(d, 0, "SELECT id FROM grids WHERE code = ?", "t", grid);
		if (!grid_id)
			ferr_add(e, "grid", "网格不存在");
	}
	if (e->n)
		return DJ_INVALID;

	struct order_vis v;
	order_vis_of(d, a, &v);
	int64_t me = v.me;
	const char *lo = v.lo, *hi = v.hi, *tlo = v.tlo, *thi = v.thi;
	char flo[256], fhi[256];
	/* the search: a tracking code, a phone number's last 4 digits (an
	 * expression index) or the whole of it, else words of the content */
	char q[200] = "", code[64] = "", like[420] = "";
	if (f->q) {
		const char *p = f->q;
		while (*p == ' ')
			p++;
		snprintf(q, sizeof q, "%s", p);
		for (size_t n = strlen(q); n && q[n - 1] == ' '; n--)
			q[n - 1] = 0;
	}
	const char *qsql = " AND CAST(? AS TEXT) IS NULL AND CAST(? AS TEXT) IS NULL AND CAST(? AS TEXT) IS NULL", *q1 = NULL, *q2 = NULL, *q3 = NULL;
	if (*q && digits(q, 4))
		qsql = " AND " PHONE_TAIL " = ? AND CAST(? AS TEXT) IS NOT NULL AND CAST(? AS TEXT) IS NOT NULL", q1 = q, q2 = q3 = "";
	else if (*q && digits(q, 11))
		qsql = " AND o.contact_phone = ? AND CAST(? AS TEXT) IS NOT NULL AND CAST(? AS TEXT) IS NOT NULL", q1 = q, q2 = q3 = "";
	else if (*q) {
		/* the code as people type it: any case, spaces and dashes as they come */
		size_t k = 0;
		for (const char *p = q; *p && k + 1 < sizeof code; p++)
			code[k++] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : *p;
		char *w = like;
		*w++ = '%';
		for (const char *p = q; *p && w < like + sizeof like - 3; p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				*w++ = '\\';
			*w++ = *p;
		}
		*w++ = '%';
		*w = 0;
		qsql = " AND (o.code = ? OR o.code = ? OR o.content LIKE ? ESCAPE '\\')";
		q1 = q, q2 = code, q3 = like;
	}
	if (f->org_path && *f->org_path)
		path_range(f->org_path, flo, fhi);

	buf where = {0};
	/* the conditions name only orders (o) and subqueries: the count reads no joined table */
	buf_puts(&where, v.sql);
	/* the branch filter and overdue as id lists from their indexes, so they can lead */
	buf_puts(&where, f->org_path && *f->org_path ? " AND o.id IN (SELECT id FROM orders WHERE " IN_PATHS ")" : OFF_T OFF_T);
	buf_puts(&where, state ? " AND o.state = ?" : OFF_T);
	buf_puts(&where, kind ? " AND o.kind = ?" : OFF_T);
	buf_puts(&where, urgency ? " AND o.urgency = ?" : OFF_T);
	buf_puts(&where, grid_id ? " AND o.grid_id = ?" : OFF_I);
	buf_puts(&where, f->mine ? " AND o.assignee_user_id = ?" : OFF_I);
	buf_puts(&where, f->escalated ? " AND o.escalated = ?" : OFF_I);
	buf_puts(&where, f->direct ? " AND o.escalated = 0 AND CAST(? AS BIGINT) = 1" : OFF_I);
	buf_puts(&where, f->open ? " AND o.state NOT IN ('closed', 'rejected', 'withdrawn') AND CAST(? AS BIGINT) = 1" : OFF_I);
	buf_puts(&where, reason ? " AND o.close_reason = ?" : OFF_T);
	buf_puts(&where, f->overdue ? " AND o.id IN (SELECT id FROM orders WHERE state IN " RUNNING " AND due_at < ?)" : OFF_I);
	buf_puts(&where, from ? " AND o.created_at >= ?" : OFF_I);
	buf_puts(&where, to ? " AND o.created_at < ?" : OFF_I);
	buf_puts(&where, qsql);
	size_t keyset_at = where.len;
	const char *order = !strcmp(sort, "old") ? " ORDER BY o.id" : !strcmp(sort, "due") ? " ORDER BY o.due_at, o.id" : " ORDER BY o.id DESC";
	bool keyed = f->before > 0 && strcmp(sort, "due");
	buf_puts(&where, !keyed ? OFF_I : !strcmp(sort, "old") ? " AND o.id > ?" : " AND o.id < ?");

#define LIST_TYPES \
	"ttIttI"   \
	"tt"       \
	"ttt"      \
	"IIIII"    \
	"t"        \
	"III"      \
	"ttt"      \
	"I"
#define LIST_VALS(key)                                                                                                                                 \
	lo, hi, me, tlo, thi, me, f->org_path && * f->org_path ? flo : NULL, f->org_path && * f->org_path ? fhi : NULL, state, kind, urgency, grid_id, \
		f->mine ? me : 0, (int64_t)f->escalated, (int64_t)f->direct, (int64_t)f->open, reason, f->overdue ? now : 0, from, to, q1, q2, q3, (key)
	/* A large subtree read newest (or oldest) first with nothing else to
	 * narrow it: the page walks the primary key and stops when it is full
	 * (+o.org_id keeps SQLite from reading the subtree org by org and
	 * sorting it all: 1.9 s for a town of 50,000 orders in a 20-town
	 * county). Walking costs (limit + offset) / share rows, sorting the
	 * subtree its n rows: the walk when n^2 > (limit + offset) x all,
	 * counted from the statistics' rollups of the subtree and the roots.
	 * The same n is the list's total (the rollups count every order of
	 * the subtree once, `dangjian check` recounts them): no count of
	 * 10,001 index entries per page. */
	int64_t lim = f->limit > 0 ? f->limit : 50, off = keyed ? 0 : f->offset > 0 ? f->offset : 0;
	bool narrowed = state || kind || urgency || grid_id || f->mine || f->escalated || f->direct || f->open || reason || f->overdue || from || to ||
			*q || (f->org_path && *f->org_path) || !strcmp(sort, "due");
	bool walk = false, counted = false;
	if (v.subtree && !narrowed) {
		int64_t n = db_int1(d, -1,
				    "SELECT COALESCE(SUM(collected), 0) FROM order_rollup WHERE org_id = (SELECT id FROM orgs WHERE path = ?) "
				    "AND grain = 'm'",
				    "t", v.lo);
		int64_t all = db_int1(d, -1,
				      "SELECT COALESCE(SUM((SELECT SUM(r.collected) FROM order_rollup r WHERE r.org_id = g.id AND r.grain = 'm')), 0) "
				      "FROM orgs g WHERE g.parent_id IS NULL",
				      "");
		if (n >= 0 && all >= 0) {
			walk = (double)n * (double)n > (double)(lim + off) * (double)all;
			*total = n > ORDER_COUNT_CAP ? ORDER_COUNT_CAP + 1 : n;
			counted = !f->exact_total;
		}
	}
	/* the total without the keyset, counted up to the cap (an exact count of a town's years is not worth reading) */
	buf cnt = {0};
	buf_puts(&cnt, "SELECT COUNT(*) FROM (SELECT o.id FROM orders o WHERE ");
	buf_append(&cnt, where.p, keyset_at);
	/* the cap as a literal: PostgreSQL's generic plan takes a LIMIT
	 * parameter for a tenth of the rows and then prefers walking a whole
	 * index in the hope of stopping early; 10001 it knows is no such hope */
	buf_puts(&cnt, OFF_I " LIMIT " COUNT_LIMIT ") x");
	if (!counted)
		*total = db_int1(d, -1, buf_str(&cnt), LIST_TYPES, LIST_VALS((int64_t)0));
	buf_free(&cnt);
	if (*total < 0) {
		buf_free(&where);
		*total = 0;
		return DJ_DB_ERROR;
	}
	buf sql = {0};
	/* the walk: orders first (CROSS JOIN keeps SQLite's order; an index led
	 * by org_id otherwise makes it read the orgs first and sort) */
	buf_puts(&sql, walk ? ORDER_SELECT "FROM orders o CROSS JOIN orgs g LEFT JOIN users u ON u.id = o.assignee_user_id "
					   "LEFT JOIN grids gr ON gr.id = o.grid_id WHERE g.id = o.org_id AND "
			    : ORDER_COLS "WHERE ");
	if (walk)
		buf_puts(&sql, "+");
	buf_puts(&sql, buf_str(&where));
	buf_puts(&sql, order);
	buf_puts(&sql, " LIMIT ? OFFSET ?");
	buf_free(&where);
	db_stmt *s = db_query(d, buf_str(&sql), LIST_TYPES "II", LIST_VALS(keyed ? f->before : 0), lim, off);
	buf_free(&sql);
	struct order o;
	while (db_next(s)) {
		order_fill(s, &o);
		fn(ctx, &o);
	}
	return db_done(s) == DB_OK ? DJ_OK : DJ_DB_ERROR;
#undef LIST_TYPES
#undef LIST_VALS
}

void order_each_open_wish(db *d, const struct actor *a, order_row_fn fn, void *ctx)
{
	/* a member sees the wishes it may claim: its town's; everyone else the whole wall */
	char town[256] = "/";
	if (a->role == R_MEMBER)
		order_town(d, a, town);
	/* only what the wall shows (id, content, org, time): the full row of
	 * ORDER_COLS with its joins of users and grids, and order_fill's copies
	 * of 30 columns, were most of the wall's CPU on the county (issue 9 §2);
	 * the other fields stay empty. The open wishes are read newest first
	 * from their own partial index, orders_open_wishes (migration 044),
	 * which holds nothing else: the wall stops at its 100th row and no
	 * longer reads every open order of the county by state to keep its
	 * wishes (the WHERE repeats the index's condition word for word, as
	 * both engines need to use a partial index) */
	db_stmt *s = db_query(
		d,
		"SELECT o.id, o.content, g.name, g.path, o.created_at, o.state FROM orders o JOIN orgs g ON g.id = o.org_id "
		"WHERE o.kind = 'wish' AND o.state IN ('submitted', 'accepted') AND g.path LIKE ? || '%' ORDER BY o.created_at DESC LIMIT 100",
		"t", town);
	struct order o;
	memset(&o, 0, sizeof o);
	snprintf(o.kind, sizeof o.kind, "wish");
	while (db_next(s)) {
		o.id = db_int(s, 0);
		snprintf(o.content, sizeof o.content, "%s", db_str(s, 1));
		snprintf(o.org_name, sizeof o.org_name, "%s", db_str(s, 2));
		snprintf(o.org_path, sizeof o.org_path, "%s", db_str(s, 3));
		o.created_at = db_int(s, 4);
		snprintf(o.state, sizeof o.state, "%s", db_str(s, 5));
		fn(ctx, &o);
	}
	db_done(s);
}

void order_events(db *d, int64_t id, bool public_only, order_event_fn fn, void *ctx)
{
	db_stmt *s = db_query(d,
			      "SELECT at, action, from_state, to_state, actor, note, public FROM order_events WHERE order_id = ? "
			      "AND (public = 1 OR ? = 0) ORDER BY id",
			      "II", id, (int64_t)public_only);
	while (db_next(s)) {
		struct order_event ev = {db_int(s, 0), db_str(s, 1), db_str(s, 2), db_str(s, 3), db_str(s, 4), db_str(s, 5), db_int(s, 6) != 0};
		fn(ctx, &ev);
	}
	db_done(s);
}

#define PLACE_PER_HOUR 10 /* orders one address may place in an hour */

static bool key_used(db *d, const char *idempotency_key)
{
	return db_int1(d, 0, "SELECT COUNT(*) FROM orders WHERE idempotency_key = ?", "t", idempotency_key) > 0;
}

/* key_free: set to the transaction in which the key was last seen unused
 * (0 when it was not looked up, or was used), for order_create. */
static bool place_allowed(db *d, const char *ip, const char *idempotency_key, int64_t now, uint64_t *key_free)
{
	*key_free = 0;
	/* a repeated key answers with the first order and costs no quota */
	bool keyed = idempotency_key && *idempotency_key;
	if (keyed && key_used(d, idempotency_key))
		return true;
	char key[96];
	snprintf(key, sizeof key, "place:%.80s", ip ? ip : "");
	/* One statement (it was a DELETE of the hour gone by, then this upsert:
	 * one statement less per order in the group-commit writer): a window
	 * older than an hour starts again at 1 from now, else it counts on. Both
	 * engines read the old row in every SET expression. A database that
	 * cannot count refuses (n = 0 is never returned by a count that worked),
	 * as a limit should. On PostgreSQL the requests of one address take turns
	 * here: the row stays locked until the request that counted commits. */
	int64_t n = db_int1(d, 0,
			    "INSERT INTO order_rate (key, count, window_start) VALUES (?, 1, ?) "
			    "ON CONFLICT (key) DO UPDATE SET "
			    "count = CASE WHEN order_rate.window_start < ? THEN 1 ELSE order_rate.count + 1 END, "
			    "window_start = CASE WHEN order_rate.window_start < ? THEN excluded.window_start ELSE order_rate.window_start END "
			    "RETURNING count",
			    "tIII", key, now, now - 3600, now - 3600);
	if (n <= 0)
		return false;
	/* A retry that waited its turn behind its own first attempt now reads that
	 * order (each statement reads what was committed before it): it costs
	 * nothing, so 20 retries at once are not 20 orders of the hour. In a
	 * transaction on SQLite (the writer's batch) nothing can have committed
	 * since the lookup above: it reads one snapshot, and only the writer
	 * writes, so the second lookup is not made there. */
	bool one_snapshot = db_kind(d) == DB_SQLITE && db_in_tx(d);
	if (keyed && !one_snapshot && key_used(d, idempotency_key))
		return db_run(d, "UPDATE order_rate SET count = count - 1 WHERE key = ?", "t", key) == DB_OK;
	if (keyed)
		*key_free = db_tx_serial(d);
	return n <= PLACE_PER_HOUR;
}

bool order_place_allowed(db *d, const char *ip, const char *idempotency_key, int64_t now)
{
	uint64_t key_free;
	return place_allowed(d, ip, idempotency_key, now, &key_free);
}

bool order_place_admit(db *d, const char *ip, struct order_new *o, int64_t now) { return place_allowed(d, ip, o->idempotency_key, now, &o->key_free_tx); }

bool order_key_reusable(db *d, const char *key, int64_t now, bool *used)
{
	int64_t at = db_int1(d, -1, "SELECT created_at FROM orders WHERE idempotency_key = ?", "t", key);
	*used = at >= 0;
	return at < 0 || at >= now - ORDER_KEY_REUSE;
}

/* The request an Idempotency-Key is bound to: a SHA-256 of the normalised
 * order, each field with its length in front so that no two orders meet. */
static void order_request_hash(const struct order_new *o, char out[65])
{
	const char *f[] = {o->kind, o->urgency, o->content, o->org_code, o->grid_code, o->contact_name, o->contact_phone};
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		size_t n = strlen(f[i]);
		unsigned char len[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16), (unsigned char)(n >> 8), (unsigned char)n};
		crypto_hash_sha256_update(&st, len, sizeof len);
		crypto_hash_sha256_update(&st, (const unsigned char *)f[i], n);
	}
	if (*o->address) { /* issue 10 §4: only when given, so that earlier keys stay bound as they were */
		size_t n = strlen(o->address);
		unsigned char len[5] = {'a', (unsigned char)(n >> 24), (unsigned char)(n >> 16), (unsigned char)(n >> 8), (unsigned char)n};
		crypto_hash_sha256_update(&st, len, sizeof len);
		crypto_hash_sha256_update(&st, (const unsigned char *)o->address, n);
	}
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, 65, h, sizeof h);
}

/* The order already placed with this key: DJ_OK and its code when it was the
 * same request, DJ_INVALID when it was another (or one placed before keys were
 * bound: refused, never another resident's code), DJ_NOT_FOUND when none. */
static enum dj_result order_by_key(db *d, const char *key, const char *hash, char code_out[24], struct field_errors *errs)
{
	enum dj_result res = DJ_NOT_FOUND;
	db_stmt *s = db_query(d, "SELECT code, COALESCE(idempotency_hash, '') FROM orders WHERE idempotency_key = ?", "t", key);
	if (db_next(s)) {
		res = strcmp(db_str(s, 1), hash) ? DJ_INVALID : DJ_OK;
		if (res == DJ_OK)
			snprintf(code_out, 24, "%s", db_str(s, 0));
	}
	db_done(s);
	if (res == DJ_INVALID)
		ferr_add(errs, "Idempotency-Key",
			 "此 Idempotency-Key 已用于另一份内容不同的诉求：重试时内容须完全相同，新的诉求请使用新的 Idempotency-Key");
	return res;
}

enum dj_result order_create(db *d, const struct actor *a, struct order_new *o, char code_out[24], bool *repeated, struct field_errors *errs)
{
	*repeated = false;
	str_trim(o->content);
	str_trim(o->contact_name);
	str_trim(o->address);
	if (!*o->urgency)
		snprintf(o->urgency, sizeof o->urgency, "normal");
	char hash[65];
	order_request_hash(o, hash);
	/* order_place_admit has just found the key unused in this transaction:
	 * not looked up again (one statement less an order in the writer). Should
	 * another transaction place it since (PostgreSQL), the INSERT below does
	 * nothing and the order is read after it, as for a race. */
	bool key_free = o->key_free_tx && o->key_free_tx == db_tx_serial(d);
	if (*o->idempotency_key && !key_free) {
		enum dj_result res = order_by_key(d, o->idempotency_key, hash, code_out, errs);
		*repeated = res == DJ_OK;
		if (res != DJ_NOT_FOUND)
			return res;
	}
	if (!in_list(order_kinds, o->kind))
		ferr_add(errs, "kind", "请选择诉求类型：需求、微心愿、代办（医疗代办、电费代缴、物资代购）或社情民意");
	if (strcmp(o->urgency, "normal") && strcmp(o->urgency, "urgent") && strcmp(o->urgency, "complex"))
		ferr_add(errs, "urgency", "紧急程度应为 normal、urgent 或 complex");
	if (!*o->content)
		ferr_add(errs, "content", "请写下您的诉求");
	else if (!utf8_valid(o->content) || utf8_len(o->content) > 500)
		ferr_add(errs, "content", "诉求内容不能超过 500 个字");
	if (!*o->contact_name)
		ferr_add(errs, "contact_name", "请填写联系人姓名");
	else if (!utf8_valid(o->contact_name) || utf8_len(o->contact_name) > 20)
		ferr_add(errs, "contact_name", "联系人姓名不能超过 20 个字");
	if (!phone_valid(o->contact_phone))
		ferr_add(errs, "contact_phone", "请填写 11 位手机号码，以便支部与您联系");
	if (*o->address && (!utf8_valid(o->address) || utf8_len(o->address) > 80)) /* issue 10 §4: optional */
		ferr_add(errs, "address", "地址不能超过 80 个字");
	int64_t org = 0, grid = 0, worker = 0;
	if (*o->grid_code) {
		db_stmt *s = db_query(d, "SELECT id, org_id, COALESCE(worker_user_id, 0) FROM grids WHERE code = ?", "t", o->grid_code);
		if (db_next(s))
			grid = db_int(s, 0), org = db_int(s, 1), worker = db_int(s, 2);
		db_done(s);
		if (!grid)
			ferr_add(errs, "grid", "网格编码不存在");
	} else if (*o->org_code) {
		db_stmt *s = db_query(d, "SELECT id, type, kind FROM orgs WHERE code = ? AND dissolved_at IS NULL", "t", o->org_code);
		if (db_next(s) && order_org_takes_orders(db_str(s, 1), db_str(s, 2)))
			org = db_int(s, 0);
		db_done(s);
		if (!org)
			ferr_add(errs, "org", "请选择您所在的村（社区）");
	} else
		ferr_add(errs, "org", "请选择您所在的村（社区）");
	if (errs->n)
		return DJ_INVALID;
	int64_t now = o->at ? o->at : now_unix();
	for (int attempt = 0; attempt < 3; attempt++) {
		char code[24];
		order_new_code(code); /* issue 10 §5: K7QM-4XWP */
		/* DO NOTHING on a taken code or key: on PostgreSQL a failed INSERT would
		 * abort the request's transaction. A request that placed the same key
		 * at the same moment is waited for, then its order is read below. */
		int64_t id = db_int1(d, 0,
				     "INSERT INTO orders (code, kind, urgency, content, org_id, grid_id, contact_name, contact_phone, state, "
				     "idempotency_key, idempotency_hash, ip, created_at, updated_at, due_at) "
				     "VALUES (?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?, 'submitted', NULLIF(?, ''), ?, ?, ?, ?, ?) "
				     "ON CONFLICT DO NOTHING RETURNING id",
				     "ttttIItttt"
				     "tIII",
				     code, o->kind, o->urgency, o->content, org, grid, o->contact_name, o->contact_phone, o->idempotency_key, hash, a->ip,
				     now, now, now + order_limit(d, o->kind, o->urgency, false));
		if (!id && *o->idempotency_key) {
			enum dj_result res = order_by_key(d, o->idempotency_key, hash, code_out, errs);
			*repeated = res == DJ_OK;
			if (res != DJ_NOT_FOUND)
				return res;
		}
		if (!id)
			continue; /* the code was taken: another one */
		/* issue 10 §4: the optional address */
		if (*o->address && db_run(d, "UPDATE orders SET address = ? WHERE id = ?", "tI", o->address, id) != DB_OK)
			break;
		/* the history, the notices and the audit row are part of the order:
		 * any of them failing fails it (the caller rolls back) */
		if (db_run(d,
			   "INSERT INTO order_events (order_id, at, action, from_state, to_state, actor, note, public) "
			   "VALUES (?, ?, 'create', '', 'submitted', ?, '', 1)",
			   "IIt", id, now, a->role == A_PUBLIC ? "群众" : a->label) != DB_OK)
			break;
		/* the statistics' summary counts it (issue 9 §2) */
		if (order_summary_created(d, org, now, o->kind) != DB_OK)
			break;
		/* the branch hears of it, and the grid worker when the resident named a grid */
		char text[200];
		snprintf(text, sizeof text, "新的群众诉求 %s：%.90s", code, o->content);
		if (notify_org_role(d, org, "branch", "new_order", "order", id, text, now) != DB_OK ||
		    (grid && notify_user(d, worker, "new_order", "order", id, text, now) != DB_OK) ||
		    audit_write(d, a, "order.create", "order", id, org, code) != DB_OK)
			break;
		snprintf(code_out, 24, "%s", code);
		return DJ_OK;
	}
	return dj_fail(errs, DJ_DB_ERROR, "提交失败，请稍后再试");
}

/* A user of role member, grid or branch inside the given subtree, by username. */
static int64_t assignee_in(db *d, const char *username, const char *scope, struct field_errors *errs)
{
	int64_t uid = 0;
	db_stmt *s = db_query(d, "SELECT u.id, u.role, o.path FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.username = ? AND u.active = 1", "t",
			      username ? username : "");
	if (db_next(s)) {
		if (!(role_from_key(db_str(s, 1)) & ORDER_ASSIGNEE_ROLES))
			ferr_add(errs, "assignee", "只能派给党员、网格员或支部书记");
		else if (strncmp(db_str(s, 2), scope, strlen(scope)))
			ferr_add(errs, "assignee", "办理人不在本组织范围内");
		else
			uid = db_int(s, 0);
	} else
		ferr_add(errs, "assignee", "请选择办理人（用户名）");
	db_done(s);
	return uid;
}

/* issue 10 §6: whether the user is in the org's subtree (the handler of a dispatch and its branch) */
static bool dispatch_fits(db *d, int64_t org_id, int64_t user_id)
{
	return db_int1(d, 0,
		       "SELECT COUNT(*) FROM users u JOIN orgs uo ON uo.id = u.org_id JOIN orgs g ON g.id = ? "
		       "WHERE u.id = ? AND uo.path LIKE g.path || '%'",
		       "II", org_id, user_id) > 0;
}

/* The history's note of a dispatch: the branch, the handler, the committee's instruction. */
static void dispatch_note(db *d, int64_t org_id, int64_t user_id, const char *instruction, char *out, size_t n)
{
	char org[128] = "", who[64] = "";
	db_stmt *s = db_query(d, "SELECT name FROM orgs WHERE id = ?", "I", org_id);
	if (db_next(s))
		snprintf(org, sizeof org, "%s", db_str(s, 0));
	db_done(s);
	if (user_id) {
		s = db_query(d, "SELECT name FROM users WHERE id = ?", "I", user_id);
		if (db_next(s))
			snprintf(who, sizeof who, "%s", db_str(s, 0));
		db_done(s);
	}
	snprintf(out, n, "派往%s%s%s%s%s", org, *who ? "，办理人：" : "", who, *instruction ? "。党委意见：" : "", instruction);
}

static bool text_ok(const char *s, int max) { return s && *s && utf8_valid(s) && (int)utf8_len(s) <= max; }

static bool is(const char *a, const char *b) { return !strcmp(a, b); }

enum dj_result order_transition(db *d, const struct actor *a, int64_t id, const char *code, const char *action, const struct order_act *act, int64_t now,
				struct field_errors *errs)
{
	struct order o;
	action = action ? action : "";
	/* out of the caller's view the order does not exist for it */
	if (!order_load(d, id, code, &o) || !order_visible(d, a, &o))
		return dj_fail(errs, DJ_NOT_FOUND, code ? "查询码不存在，请核对" : "诉求不存在或不在您的管辖范围内");
	id = o.id;
	const struct order_transition *t = order_find(o.state, action, a->role);
	if (!t) {
		bool exists = false;
		for (int i = 0; i < order_transitions_count; i++)
			exists |= is(order_transitions[i].from, o.state) && is(order_transitions[i].action, action);
		return exists ? dj_fail(errs, DJ_FORBIDDEN, "您的角色不能对“%s”的诉求执行“%s”", order_state_label(o.state), order_action_label(action))
			      : dj_fail(errs, DJ_CONFLICT, "诉求处于“%s”状态，不能执行“%s”", order_state_label(o.state), order_action_label(action));
	}
	if (is(action, "claim") && !is(o.kind, "wish"))
		return dj_fail(errs, DJ_CONFLICT, "只有微心愿可以认领");
	/* the people an order is assigned to act on their own orders only */
	if ((is(action, "start") || is(action, "deliver")) && a->role != R_BRANCH && o.assignee_user_id != a->user_id)
		return dj_fail(errs, DJ_FORBIDDEN, "只有被派单的办理人才能办理此诉求");
	const char *note = act->note ? act->note : "";
	int64_t new_assignee = o.assignee_user_id, new_org = o.org_id, ldue = 0, dup = 0;
	const char *level = NULL, *close_reason = NULL;
	bool need_note = is(action, "reject") || is(action, "escalate") || is(action, "deliver") || is(action, "reopen") || is(action, "close") ||
			 is(action, "add_info");
	if (need_note && !text_ok(note, 500))
		ferr_add(errs, "note", is(action, "deliver") ? "请填写办理结果" : "请填写理由或说明（500 字以内）");
	else if (*note && !text_ok(note, 500))
		ferr_add(errs, "note", "说明不能超过 500 个字");
	if (is(action, "assign")) {
		new_assignee = assignee_in(d, act->assignee, a->role == R_GRID ? actor_scope(a) : o.org_path, errs);
		if (a->role == R_GRID && new_assignee && new_assignee != a->user_id)
			ferr_add(errs, "assignee", "网格员接单时派给自己");
	} else if (is(action, "dispatch")) {
		level = "committee";
		bool to_org = act->to_org && *act->to_org, to_person = act->assignee && *act->assignee;
		if (to_org) {
			db_stmt *g = db_query(d, "SELECT id, path, type FROM orgs WHERE code = ? AND dissolved_at IS NULL", "t", act->to_org);
			if (db_next(g) && actor_covers(a, db_str(g, 1)) && is(db_str(g, 2), "branch"))
				new_org = db_int(g, 0);
			else
				ferr_add(errs, "to_org", "请选择本镇范围内的党支部");
			db_done(g);
		}
		new_assignee = to_person ? assignee_in(d, act->assignee, actor_scope(a), errs) : 0;
		if (!to_org && !to_person)
			ferr_add(errs, "to_org", "请选择派往的支部或党员（头雁）");
		/* issue 10 §6: the handler belongs to the branch the order goes to */
		if (new_assignee && !dispatch_fits(d, new_org, new_assignee))
			ferr_add(errs, "assignee", "办理人不属于派往的支部：请选择该支部的党员、网格员，或先选择办理人所在的支部");
	} else if (is(action, "confirm")) {
		if (act->rating < 1 || act->rating > 5)
			ferr_add(errs, "rating", "请给出 1 到 5 星的评价");
		close_reason = "resolved";
	} else if (is(action, "auto_close"))
		close_reason = "resolved";
	else if (is(action, "close")) {
		close_reason = act->reason ? act->reason : "";
		if (!is(close_reason, "unresolvable") && !is(close_reason, "not_ours") && !is(close_reason, "duplicate"))
			ferr_add(errs, "reason", "办结原因应为：无法解决、不属于本级职责、重复诉求");
		else if (is(close_reason, "duplicate")) {
			dup = db_int1(d, 0, "SELECT id FROM orders WHERE code = ? AND id <> ?", "tI", act->duplicate_of ? act->duplicate_of : "", id);
			if (!dup)
				ferr_add(errs, "duplicate_of", "请填写原诉求的查询码");
		}
	} else if ((is(action, "accept") && a->role == R_GRID) || is(action, "claim"))
		new_assignee = a->user_id; /* 网格员接单: the grid worker takes it; a claim is the assignment */
	/* issue 10 §6: 不予受理 and 不属于本级职责 say who decided and where to turn */
	bool decides = is(action, "reject") || (close_reason && is(close_reason, "not_ours"));
	const char *decided_by = act->decided_by && *act->decided_by ? act->decided_by : a->label, *refer_to = act->refer_to ? act->refer_to : "";
	if (decides) {
		if (!utf8_valid(decided_by) || utf8_len(decided_by) > 40)
			ferr_add(errs, "decided_by", "认定人（单位）不能超过 40 个字");
		if (is(action, "close") && !text_ok(refer_to, 100))
			ferr_add(errs, "refer_to", "请写明群众应向何处反映（100 字以内），如：镇综治中心、县信访局");
		else if (*refer_to && !text_ok(refer_to, 100))
			ferr_add(errs, "refer_to", "建议反映渠道不能超过 100 个字");
	}
	if (errs->n)
		return DJ_INVALID;
	if (is(action, "accept") || is(action, "claim") || is(action, "dispatch") || is(action, "reopen"))
		ldue = now + order_limit(d, o.kind, o.urgency, true);
	/* one statement, every column decided by the action; the WHERE on the old
	 * state makes two clerks acting at once safe: the second changes nothing */
	int rc = db_run(d,
			"UPDATE orders SET state = ?, updated_at = ?, assignee_user_id = NULLIF(CAST(? AS BIGINT), 0), org_id = ?, "
			"level = COALESCE(CAST(? AS TEXT), level), "
			"escalated = CASE WHEN CAST(? AS TEXT) = 'escalate' THEN 1 ELSE escalated END, "
			"due_at = CASE WHEN CAST(? AS BIGINT) > 0 THEN CAST(? AS BIGINT) ELSE due_at END, "
			"result = CASE WHEN CAST(? AS TEXT) = 'deliver' THEN CAST(? AS TEXT) ELSE result END, "
			"delivered_at = CASE WHEN CAST(? AS TEXT) = 'delivered' THEN CAST(? AS BIGINT) ELSE delivered_at END, "
			"close_reason = COALESCE(CAST(? AS TEXT), close_reason), "
			"close_note = CASE WHEN CAST(? AS TEXT) IN ('close', 'reject') THEN CAST(? AS TEXT) ELSE close_note END, "
			"duplicate_of = CASE WHEN CAST(? AS BIGINT) > 0 THEN CAST(? AS BIGINT) ELSE duplicate_of END, "
			"rating = CASE WHEN CAST(? AS TEXT) = 'confirm' THEN CAST(? AS BIGINT) ELSE rating END, "
			"comment = CASE WHEN CAST(? AS TEXT) = 'confirm' THEN CAST(? AS TEXT) ELSE comment END, "
			"closed_at = CASE WHEN CAST(? AS TEXT) IN ('closed', 'rejected', 'withdrawn') THEN CAST(? AS BIGINT) ELSE closed_at END, "
			"reminded_at = CASE WHEN CAST(? AS TEXT) = 'remind' THEN CAST(? AS BIGINT) ELSE reminded_at END "
			"WHERE id = ? AND state = ?",
			"tIII"
			"t"
			"t"
			"II"
			"tt"
			"tI"
			"t"
			"tt"
			"II"
			"tI"
			"tt"
			"tI"
			"tI"
			"It",
			t->to, now, new_assignee, new_org, level, action, ldue, ldue, action, note, t->to, now, close_reason, action, note, dup, dup,
			action, (int64_t)act->rating, action, note, t->to, now, action, now, id, o.state);
	if (rc != DB_OK && rc != DB_CONSTRAINT)
		return dj_fail(errs, DJ_DB_ERROR, "数据库暂时无法完成操作，请稍后再试");
	if (rc != DB_OK || db_changes(d) != 1)
		return dj_fail(errs, DJ_CONFLICT, "诉求刚被他人处理，请刷新后重试");
	/* issue 10 §6: who decided and where to turn, as fields */
	if (decides && db_run(d, "UPDATE orders SET decided_by = ?, refer_to = ? WHERE id = ?", "ttI", decided_by, refer_to, id) != DB_OK)
		return dj_fail(errs, DJ_DB_ERROR, "数据库暂时无法完成操作，请稍后再试");
	/* issue 10 §6: the history says where a dispatch went and what the committee asked */
	char dnote[1024];
	if (is(action, "dispatch")) {
		dispatch_note(d, new_org, new_assignee, note, dnote, sizeof dnote);
		note = dnote;
	}
	/* the statistics' summary: the old state's figures out, the new ones in,
	 * under the org that holds it now (issue 9 §2) */
	if (order_summary_step(d, &o, action, t->to, new_org, close_reason, act->rating, now) != DB_OK)
		return dj_fail(errs, DJ_DB_ERROR, "数据库暂时无法完成操作，请稍后再试");
	/* 催办 is for staff; the resident sees everything else. The history row,
	 * the notice and the audit row are part of the transition: any of them
	 * failing fails it (the caller rolls back). */
	if (db_run(d,
		   "INSERT INTO order_events (order_id, at, action, from_state, to_state, actor_user_id, actor, note, public) "
		   "VALUES (?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?)",
		   "IItttIttI", id, now, action, o.state, t->to, a->user_id, a->label, note, (int64_t)!is(action, "remind")) != DB_OK)
		return dj_fail(errs, DJ_DB_ERROR, "数据库暂时无法完成操作，请稍后再试");
	/* who hears of it */
	char text[200];
	int nrc = DB_OK;
	if (is(action, "escalate")) {
		snprintf(text, sizeof text, "诉求 %s 向上反馈：%.90s", o.code, note);
		nrc = notify_committee_above(d, new_org, "escalated", "order", id, text, now);
	} else if ((is(action, "assign") || is(action, "dispatch")) && new_assignee && new_assignee != a->user_id) {
		snprintf(text, sizeof text, "诉求 %s 已派给您办理", o.code);
		nrc = notify_user(d, new_assignee, "assigned", "order", id, text, now);
	} else if (is(action, "reopen")) {
		snprintf(text, sizeof text, "诉求 %s 群众反映未解决，请重新办理：%.80s", o.code, note);
		nrc = notify_user(d, new_assignee, "reopened", "order", id, text, now);
	}
	/* issue 10 §6: a low rating or a reopen is the branch's business too */
	if (nrc == DB_OK && (is(action, "reopen") || (is(action, "confirm") && act->rating <= 2))) {
		if (is(action, "reopen"))
			snprintf(text, sizeof text, "诉求 %s 群众反映未解决，已重新办理：%.80s", o.code, note);
		else
			snprintf(text, sizeof text, "诉求 %s 群众评价 %d 星%s%.80s", o.code, act->rating, *note ? "：" : "", note);
		nrc = notify_org_role(d, new_org, "branch", is(action, "reopen") ? "reopened" : "low_rating", "order", id, text, now);
	}
	if (nrc != DB_OK || audit_write(d, a, "order.action", "order", id, new_org, order_action_label(action)) != DB_OK)
		return dj_fail(errs, DJ_DB_ERROR, "数据库暂时无法完成操作，请稍后再试");
	/* issue 11: the member who delivered earns the rule's points, once per
	 * order (a reopened order delivered again does not pay twice); an account
	 * that is not on the roster earns nothing */
	int64_t member = is(action, "deliver") ? points_member_of_user(d, a->user_id) : 0;
	if (member < 0)
		return dj_fail(errs, DJ_DB_ERROR, "数据库暂时无法完成操作，请稍后再试");
	if (member) {
		struct field_errors pe = {0};
		if (points_award(d, a, member, is(o.kind, "wish") ? "wish_fulfilled" : "order_delivered", "order", id, 1, now, &pe) == DJ_DB_ERROR)
			return dj_fail(errs, DJ_DB_ERROR, "数据库暂时无法完成操作，请稍后再试");
	}
	return DJ_OK;
}

int orders_auto_close(db *d, int64_t now, int days)
{
	int n = 0;
	int64_t ids[256];
	int k = 0;
	db_stmt *s = db_query(d, "SELECT id FROM orders WHERE state = 'delivered' AND delivered_at < ? ORDER BY id LIMIT 256", "I",
			      now - (int64_t)days * 86400);
	while (db_next(s) && k < 256)
		ids[k++] = db_int(s, 0);
	db_done(s);
	struct actor sys;
	actor_system(&sys);
	for (int i = 0; i < k; i++) {
		struct order_act a = {0};
		struct field_errors e = {0};
		enum dj_result res = order_transition(d, &sys, ids[i], NULL, "auto_close", &a, now, &e);
		if (res == DJ_DB_ERROR)
			return -1; /* half a transition: the batch's transaction rolls back */
		if (res == DJ_OK)
			n++;
		/* the task runs inside BEGIN IMMEDIATE: commit every 32, so order
		 * placement waits for one short batch, not for 256 transitions
		 * (seconds on a county whose pages are not all in memory) */
		if ((i + 1) % 32 == 0 && i + 1 < k && (db_commit(d) != DB_OK || db_begin(d, true) != DB_OK))
			return -1;
	}
	return n;
}

int orders_tick(db *d, int64_t now)
{
	int64_t days = db_int1(d, 7, "SELECT CAST(value AS BIGINT) FROM settings WHERE key = 'order_auto_close_days'", "");
	if (days < 1 || days > 365)
		days = 7;
	/* the rate windows past their hour (placing orders, codes by SMS): a key
	 * asked once would otherwise stay for good */
	if (db_run(d, "DELETE FROM order_rate WHERE window_start < ?", "I", now - 3600) != DB_OK)
		return -1;
	return orders_auto_close(d, now, (int)days);
}

/* Days as Asia/Shanghai dates → Unix seconds at that day's start. */
bool day_start(const char *date, int64_t *out)
{
	if (!date_valid(date))
		return false;
	struct tm tm = {0};
	tm.tm_year = atoi(date) - 1900;
	tm.tm_mon = atoi(date + 5) - 1;
	tm.tm_mday = atoi(date + 8);
	*out = (int64_t)timegm(&tm) - 8 * 3600;
	return true;
}

/* The open states, listed (not NOT IN) so that the index orders_open_due
 * (state, due_at, …) answers with a range per state: O(open orders), never
 * a scan of every order (issue 9 §4). */
#define OPEN_STATES "'submitted', 'accepted', 'assigned', 'in_progress', 'escalated', 'delivered'"
#define LATE_STATES "'submitted', 'accepted', 'assigned', 'in_progress', 'escalated'" /* delivered: the resident's turn */

int64_t orders_count_open(db *d, bool overdue, int64_t now)
{
	if (overdue)
		return db_int1(d, 0, "SELECT COUNT(*) FROM orders WHERE state IN (" LATE_STATES ") AND due_at < ?", "I", now);
	/* the open orders are a maintained figure: the roots' monthly rollups
	 * (a few hundred rows, whatever the orders; `dangjian check` recounts
	 * them), not ~7,000 index entries of a county per scrape */
	return db_int1(d, 0,
		       "SELECT CAST(COALESCE(SUM(r.open_orders), 0) AS BIGINT) FROM orgs g JOIN order_rollup r ON r.org_id = g.id AND r.grain = 'm' "
		       "WHERE g.parent_id IS NULL",
		       "");
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

const char *const order_close_reasons[] = {"resolved", "unresolvable", "not_ours", "duplicate"};

/* The median time to close (hours) and the closed count of the orders
 * placed in [t0, t1) under prefix, of one kind (NULL: all), from the closing
 * times of every one of them (sorted here, the same on both engines): the
 * statistics of one kind (the export), or where the rollups name no org. */
#define SUBTREE "org_id IN (SELECT id FROM orgs WHERE path LIKE ? || '%') "
#define KIND "AND (CAST(? AS TEXT) IS NULL OR kind = ?)"
static void order_median_by_scan(db *d, const char *prefix, const char *kind, int64_t t0, int64_t t1, struct order_stats *st)
{
	size_t n = 0, cap = 64;
	int64_t *dur = malloc(cap * sizeof *dur);
	db_stmt *s = db_query(
		d, "SELECT closed_at - created_at FROM orders WHERE " SUBTREE "AND state = 'closed' AND created_at >= ? AND created_at < ? " KIND, "tIItt",
		prefix, t0, t1, kind, kind);
	while (db_next(s)) {
		if (n == cap)
			dur = realloc(dur, (cap *= 2) * sizeof *dur);
		dur[n++] = db_int(s, 0);
	}
	db_done(s);
	qsort(dur, n, sizeof *dur, cmp_i64);
	st->closed = (int64_t)n;
	st->median_hours_to_close = n == 0 ? 0 : (n % 2 ? (double)dur[n / 2] : (double)(dur[n / 2 - 1] + dur[n / 2]) / 2.0) / 3600.0;
	free(dur);
}
#undef SUBTREE
#undef KIND

/* The figures of the orders placed in [t0, t1) under an org path (t0 and t1
 * start Asia/Shanghai days, as day_start gives them). Issue 9 §2: the counts
 * are sums over the maintained order_summary, one row per org, day and kind
 * (O(days × orgs) rows, read through its primary key org by org); what
 * depends on the clock or needs every value comes from the orders through
 * the index orders_org_state (org_id, state, created_at, closed_at, due_at),
 * org by org and state by state: the overdue figure reads the subtree's
 * unfinished orders of the period, the median the closing times of its
 * closed orders of the period (exact, at the cost of one index entry per
 * closed order: see docs/performance.md). */
void order_stats_compute(db *d, const char *prefix, int64_t t0, int64_t t1, int64_t now, struct order_stats *st)
{
	order_stats_compute_kind(d, prefix, NULL, t0, t1, now, st);
}

/* The figures of a period; with median also the median time to close
 * (the dashboard's figures need none of it: order_stats_counts_kind). */
static void stats_count(db *d, const char *prefix, const char *kind, int64_t t0, int64_t t1, int64_t now, struct order_stats *st, bool median);
static void stats_kind(db *d, const char *prefix, const char *kind, int64_t t0, int64_t t1, int64_t now, struct order_stats *st, bool median)
{
	/* remembered while the figures' generation and the second stand
	 * (order_stats_memo.c says how stale it can be: a second) */
	struct order_stats_key k;
	bool memo = order_stats_memo_key(d, prefix, kind, t0, t1, now, median, &k);
	if (memo && order_stats_memo_get(&k, st))
		return;
	stats_count(d, prefix, kind, t0, t1, now, st, median);
	if (memo && !db_interrupted(d))
		order_stats_memo_put(&k, st);
}

static void stats_count(db *d, const char *prefix, const char *kind, int64_t t0, int64_t t1, int64_t now, struct order_stats *st, bool median)
{
	memset(st, 0, sizeof *st);
#define SUBTREE "org_id IN (SELECT id FROM orgs WHERE path LIKE ? || '%') "
#define KIND "AND (CAST(? AS TEXT) IS NULL OR kind = ?)"
/* the figures, summed over the rows of the period (sums are NUMERIC on PostgreSQL) */
#define STATS_SUMS                                                                                             \
	"CAST(COALESCE(SUM(collected), 0) AS BIGINT), CAST(COALESCE(SUM(accepted), 0) AS BIGINT), "            \
	"CAST(COALESCE(SUM(rejected), 0) AS BIGINT), CAST(COALESCE(SUM(escalated), 0) AS BIGINT), "            \
	"CAST(COALESCE(SUM(dispatched), 0) AS BIGINT), CAST(COALESCE(SUM(resolved_by_branch), 0) AS BIGINT), " \
	"CAST(COALESCE(SUM(resolved_by_committee), 0) AS BIGINT), "                                            \
	"CAST(COALESCE(SUM(withdrawn), 0) AS BIGINT), CAST(COALESCE(SUM(open_orders), 0) AS BIGINT), "         \
	"CAST(COALESCE(SUM(reason_resolved), 0) AS BIGINT), "                                                  \
	"CAST(COALESCE(SUM(reason_unresolvable), 0) AS BIGINT), "                                              \
	"CAST(COALESCE(SUM(reason_not_ours), 0) AS BIGINT), "                                                  \
	"CAST(COALESCE(SUM(reason_duplicate), 0) AS BIGINT), CAST(COALESCE(SUM(rated), 0) AS BIGINT), "        \
	"CAST(COALESCE(SUM(rating_sum), 0) AS BIGINT)"
	int64_t rating_sum = 0;
	/* the subtree's own rows (issue 9 §2): O(months + edge days) rows of
	 * one org, whatever the subtree holds */
	struct order_rollup_figures rf;
	bool rolled = order_rollup_read(d, prefix, kind, t0, t1, &rf);
	if (rolled) {
		const int64_t *v = rf.v;
		st->collected = v[0], st->accepted = v[1], st->rejected = v[2], st->escalated = v[3], st->dispatched = v[4];
		st->resolved_by_branch = v[5], st->resolved_by_committee = v[6], st->withdrawn = v[7], st->open = v[8];
		for (int i = 0; i < 4; i++)
			st->by_reason[i] = v[10 + i];
		st->rated = v[14], rating_sum = v[15];
	} else {
		db_stmt *q = db_query(d, "SELECT " STATS_SUMS " FROM order_summary WHERE " SUBTREE "AND day >= ? AND day < ? " KIND, "tIItt", prefix, t0,
				      t1, kind, kind);
		if (db_next(q)) {
			st->collected = db_int(q, 0), st->accepted = db_int(q, 1), st->rejected = db_int(q, 2), st->escalated = db_int(q, 3);
			st->dispatched = db_int(q, 4), st->resolved_by_branch = db_int(q, 5), st->resolved_by_committee = db_int(q, 6);
			st->withdrawn = db_int(q, 7), st->open = db_int(q, 8);
			for (int i = 0; i < 4; i++)
				st->by_reason[i] = db_int(q, 9 + i);
			st->rated = db_int(q, 13), rating_sum = db_int(q, 14);
		}
		db_done(q);
	}
	/* overdue: the orders past their time limit now, read through
	 * orders_late (state, due_at, org_id, created_at, kind), the subtree a
	 * filter (+org_id: SQLite is not to walk the subtree org by org and
	 * state by state, 1,500 seeks for a county) — O(orders overdue now) */
	char lo[256], hi[256];
	order_path_range(prefix, lo, hi);
	st->overdue = db_int1(d, 0,
			      "SELECT COUNT(*) FROM orders WHERE state IN (" LATE_STATES ") AND due_at < ? AND created_at >= ? AND created_at < ? "
			      "AND (CAST(? AS BIGINT) = 1 OR +org_id IN " ORDER_SUBTREE_ORGS ") " KIND,
			      "IIIItt"
			      "tt",
			      now, t0, t1, (int64_t)(rolled && rf.whole), lo, hi, kind, kind);
	st->average_satisfaction = st->rated ? (double)rating_sum / (double)st->rated : 0;
	/* the sentence of the monthly bulletin (seed 004) */
	snprintf(st->summary, sizeof st->summary, "共收集需求清单%lld项，支部有效解决及时销单%lld项，向上反馈%lld项", (long long)st->collected,
		 (long long)st->resolved_by_branch, (long long)st->escalated);
	if (!median)
		return;
	if (rolled && !kind) {
		/* the histogram's median, exact (order_rollup_read) */
		st->closed = rf.v[9];
		st->median_hours_to_close = rf.median_hours;
	} else
		order_median_by_scan(d, prefix, kind, t0, t1, st);
#undef STATS_SUMS
#undef SUBTREE
#undef KIND
}

void order_stats_counts_kind(db *d, const char *prefix, const char *kind, int64_t t0, int64_t t1, int64_t now, struct order_stats *st)
{
	stats_kind(d, prefix, kind, t0, t1, now, st, false);
}

void order_stats_compute_kind(db *d, const char *prefix, const char *kind, int64_t t0, int64_t t1, int64_t now, struct order_stats *st)
{
	stats_kind(d, prefix, kind, t0, t1, now, st, true);
}

/* The workbench's figures (issue 10 §2), counted over what the actor may see
 * (order_visible's rule, as in order_list) in one pass: new orders waiting to
 * be accepted, those past their time limit, those escalated (the committee's
 * to-do), those given to the actor and still open, and the open wishes of the
 * wall. */
enum dj_result order_counts(db *d, const struct actor *a, int64_t now, struct order_counts *c)
{
	memset(c, 0, sizeof *c);
	if (a->role == A_PUBLIC || !*actor_scope(a))
		return DJ_FORBIDDEN;
	/* over what the lists show: order_list's visibility */
	struct order_vis v;
	order_vis_of(d, a, &v);
	buf sql = {0};
	buf_puts(&sql, "SELECT COALESCE(SUM(CASE WHEN o.state = 'submitted' THEN 1 ELSE 0 END), 0), "
		       "COALESCE(SUM(CASE WHEN o.state IN " RUNNING " AND o.due_at < ? THEN 1 ELSE 0 END), 0), "
		       "COALESCE(SUM(CASE WHEN o.state = 'escalated' THEN 1 ELSE 0 END), 0), "
		       "COALESCE(SUM(CASE WHEN o.assignee_user_id = ? AND o.state IN ('assigned', 'in_progress') THEN 1 ELSE 0 END), 0), "
		       "COALESCE(SUM(CASE WHEN o.kind = 'wish' AND o.state IN ('submitted', 'accepted') THEN 1 ELSE 0 END), 0) "
		       "FROM orders o WHERE ");
	buf_puts(&sql, v.sql);
	db_stmt *s = db_query(d, buf_str(&sql),
			      "II"
			      "ttIttI",
			      now, v.me, v.lo, v.hi, v.me, v.tlo, v.thi, v.me);
	buf_free(&sql);
	if (db_next(s)) {
		c->waiting = db_int(s, 0);
		c->overdue = db_int(s, 1);
		c->escalated = db_int(s, 2);
		c->mine = db_int(s, 3);
		c->wishes = db_int(s, 4);
	}
	return db_done(s) == DB_OK ? DJ_OK : DJ_DB_ERROR;
}

/* ---- reaching the resident, tracking codes people keep (issue 10 §4, §5) ---- */

const struct permission perm_order_reveal = {"order.reveal_phone", "查看群众完整手机号和地址（办理人及本支部以上工作人员，留痕）",
					     R_ADMIN | R_COMMITTEE | R_BRANCH | R_MEMBER | R_GRID};

/* No 0/O, 1/I/L: what is read aloud or copied by hand stays one code. */
static const char code_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/* One randombytes_buf for the eight characters (libsodium's default source
 * is a getrandom() system call per call: eight randombytes_uniform calls were
 * 3 % of the group-commit writer's time per order); a byte at or above the
 * largest multiple of 31 is skipped, so every character stays uniform. */
void order_new_code(char out[24])
{
	enum { N = sizeof code_alphabet - 1, LIMIT = 256 - 256 % N };
	char c[8];
	unsigned char rb[16];
	for (int n = 0; n < 8;) {
		randombytes_buf(rb, sizeof rb);
		for (size_t i = 0; i < sizeof rb && n < 8; i++)
			if (rb[i] < LIMIT)
				c[n++] = code_alphabet[rb[i] % N];
	}
	snprintf(out, 24, "%.4s-%.4s", c, c + 4);
}

void order_code_normalize(const char *in, char out[40])
{
	char t[40];
	size_t n = 0;
	bool fresh = true; /* of the new alphabet, once upper-cased */
	for (const unsigned char *p = (const unsigned char *)(in ? in : ""); *p && n < sizeof t - 1; p++) {
		if (*p == ' ' || *p == '-' || *p == '\t' || *p == '\n' || *p == '\r')
			continue;
		if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80) { /* the full-width space of a Chinese keyboard */
			p += 2;
			continue;
		}
		t[n++] = (char)*p;
		char u = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
		fresh &= u != 0 && strchr(code_alphabet, u) != NULL;
	}
	t[n] = 0;
	if (n == 8 && fresh) {
		for (size_t i = 0; i < n; i++)
			if (t[i] >= 'a' && t[i] <= 'z')
				t[i] = (char)(t[i] - 32);
		snprintf(out, 40, "%.4s-%.4s", t, t + 4);
	} else
		snprintf(out, 40, "%s", t); /* an old code: case-sensitive, as issued */
}

bool order_contact_allowed(const struct actor *a, const struct order *o)
{
	if (a->user_id && o->assignee_user_id == a->user_id)
		return true; /* the handler: a member only for what is assigned to it */
	return (a->role & (R_ADMIN | R_COMMITTEE | R_BRANCH)) && actor_covers(a, o->org_path);
}

enum dj_result order_reveal_phone(db *d, const struct actor *a, int64_t id, struct order *out, struct field_errors *e)
{
	if (!order_load(d, id, NULL, out) || !order_visible(d, a, out))
		return dj_fail(e, DJ_NOT_FOUND, "诉求不存在或不在您的管辖范围内");
	if (!permission_allows(&perm_order_reveal, a) || !order_contact_allowed(a, out))
		return dj_fail(e, DJ_FORBIDDEN, "只有此诉求的办理人和所在支部的工作人员可以查看群众的完整手机号");
	if (audit_write(d, a, "order.reveal_phone", "order", out->id, out->org_id, out->code) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "数据库暂时无法完成操作，请稍后再试");
	return DJ_OK;
}

enum dj_result order_list_by_phone(db *d, const char *phone, const char *code, order_row_fn fn, void *ctx, struct field_errors *e)
{
	if (!phone_valid(phone))
		ferr_add(e, "phone", "请填写提交诉求时留的 11 位手机号");
	if (!code || !*code)
		ferr_add(e, "code", "请填写您最近一次的查询码");
	if (e->n)
		return DJ_INVALID;
	char norm[40];
	order_code_normalize(code, norm);
	/* the same answer for a wrong code and a wrong phone: nothing is learnt from it */
	if (db_int1(d, 0, "SELECT COUNT(*) FROM orders WHERE code = ? AND contact_phone = ?", "tt", norm, phone) == 0)
		return dj_fail(e, DJ_NOT_FOUND, "手机号与查询码不匹配，请核对");
	db_stmt *s = db_query(d, ORDER_COLS "WHERE o.contact_phone = ? ORDER BY o.id DESC LIMIT 50", "t", phone);
	struct order o;
	while (db_next(s)) {
		order_fill(s, &o);
		fn(ctx, &o);
	}
	return db_done(s) == DB_OK ? DJ_OK : DJ_DB_ERROR;
}

/* One more request in this hour's window of key; its count, or -1 when the
 * database failed (a limit that cannot count refuses). */
static int64_t rate_count(db *d, const char *key, int64_t now)
{
	if (db_run(d, "DELETE FROM order_rate WHERE key = ? AND window_start < ?", "tI", key, now - 3600) != DB_OK)
		return -1;
	return db_int1(d, -1,
		       "INSERT INTO order_rate (key, count, window_start) VALUES (?, 1, ?) "
		       "ON CONFLICT (key) DO UPDATE SET count = order_rate.count + 1 RETURNING count",
		       "tI", key, now);
}

enum dj_result order_send_codes(db *d, const struct actor *a, const char *phone, int64_t now, struct field_errors *e)
{
	if (!phone_valid(phone)) {
		ferr_add(e, "phone", "请填写提交诉求时留的 11 位手机号");
		return DJ_INVALID;
	}
	/* counted before anything is looked up: a phone with orders and one
	 * without are limited alike */
	char kp[64], ka[96];
	snprintf(kp, sizeof kp, "codes:phone:%s", phone);
	snprintf(ka, sizeof ka, "codes:ip:%.63s", a->ip);
	int64_t np = rate_count(d, kp, now), na = rate_count(d, ka, now);
	if (np < 0 || na < 0)
		return dj_fail(e, DJ_DB_ERROR, "系统繁忙，请稍后再试");
	if (np > ORDER_CODES_PER_PHONE || na > ORDER_CODES_PER_ADDRESS)
		return dj_fail(e, DJ_CONFLICT, "发送过于频繁，请一小时后再试；也可以直接联系村（社区）党支部");
	buf text = {0};
	int n = 0;
	int64_t newest = 0, org = 0;
	db_stmt *s = db_query(d, "SELECT id, code, kind, created_at, org_id FROM orders WHERE contact_phone = ? ORDER BY id DESC LIMIT ?", "tI", phone,
			      (int64_t)ORDER_CODES_SENT);
	while (db_next(s)) {
		char day[20];
		fmt_time(db_int(s, 3), day);
		day[10] = 0;
		if (!n) {
			newest = db_int(s, 0), org = db_int(s, 4);
			buf_printf(&text, "【%s】您提交过的诉求查询码：", settings_site_name());
		}
		buf_printf(&text, "%s%s（%s，%s）", n ? "；" : "", db_str(s, 1), order_kind_label(db_str(s, 2)), day);
		n++;
	}
	if (db_done(s) != DB_OK) {
		buf_free(&text);
		return dj_fail(e, DJ_DB_ERROR, "系统繁忙，请稍后再试");
	}
	char masked[24], sum[120];
	mask_phone(phone, masked);
	snprintf(sum, sizeof sum, n ? "向 %s 发送查询码 %d 个" : "%s 查询码找回：无此手机号的诉求，未发送", masked, n);
	if (n)
		buf_puts(&text, "。请在“查询办理进度”输入查询码查看。");
	int rc = n ? notify_sms(d, phone, buf_str(&text), now) : DB_OK;
	buf_free(&text);
	if (rc != DB_OK || audit_write(d, a, "order.codes_sent", "order", newest, org, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "系统繁忙，请稍后再试");
	return DJ_OK;
}
