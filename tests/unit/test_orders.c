/* Unit tests: the closed loop's domain (SPEC M2) on SQLite with the real
 * migrations — conflicting transitions from many threads have exactly one
 * winner, a transition reads its order once and leaves one audit row, and
 * the result of a refused one is a message of its own (no shared buffer). */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "actor.h"
#include "db.h"
#include "unit_db.h"
#include "unit_orders.h"
#include "orders.h"
#include "orgs.h"
#include "settings.h"
#include "util.h"

static db *d;
static char path[96];
static int64_t branch_id;
static char branch_path[256];

static void setup(void)
{
	d = unit_db_open("orders", path);
	branch_id = unit_cjc_branch(d, branch_path);
}

static void teardown(void) { unit_db_close(d, path); }

TestSuite(orders_db, .init = setup, .fini = teardown);

/* The branch secretary of the test branch, as the session code would fill it. */
static void branch_actor(struct actor *a)
{
	memset(a, 0, sizeof *a);
	a->role = R_BRANCH;
	a->user_id = 0;
	a->org_id = branch_id;
	snprintf(a->org_path, sizeof a->org_path, "%s", branch_path);
	snprintf(a->org_name, sizeof a->org_name, "陈集村党支部");
	snprintf(a->name, sizeof a->name, "张建国");
	snprintf(a->username, sizeof a->username, "chenji");
	snprintf(a->ip, sizeof a->ip, "127.0.0.1");
	actor_set_label(a);
}

static int64_t place(db *c)
{
	struct order_new o;
	unit_order_new(&o, "need", "CJZ-CJC", "路灯坏了");
	char code[24];
	cr_assert_eq(db_begin(c, true), DB_OK);
	int64_t id = unit_place(c, "192.0.2.7", &o, code);
	cr_assert_eq(db_commit(c), DB_OK);
	return id;
}

static int64_t audit_rows(const char *action, int64_t id)
{
	return db_int1(d, -1, "SELECT COUNT(*) FROM audit WHERE action = ? AND entity = 'order' AND entity_id = ?", "tI", action, id);
}

Test(orders_db, create_and_transition_each_leave_one_audit_row)
{
	int64_t id = place(d);
	cr_assert_eq(audit_rows("order.create", id), 1);
	struct actor a;
	branch_actor(&a);
	struct order_act act = {0};
	struct field_errors e = {0};
	cr_assert_eq(db_begin(d, true), DB_OK);
	cr_assert_eq(order_transition(d, &a, id, NULL, "accept", &act, now_unix(), &e), DJ_OK);
	cr_assert_eq(db_commit(d), DB_OK);
	cr_assert_eq(audit_rows("order.action", id), 1);
	cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM audit WHERE entity_id = ? AND username = 'chenji' AND ip = '127.0.0.1'", "I", id), 1);
	/* an illegal one is refused with its own message, and changes nothing */
	e = (struct field_errors){0};
	cr_assert_eq(db_begin(d, true), DB_OK);
	cr_assert_eq(order_transition(d, &a, id, NULL, "accept", &act, now_unix(), &e), DJ_CONFLICT);
	db_rollback(d);
	cr_assert_str_eq(dj_message(DJ_CONFLICT, &e), "诉求处于“已接单”状态，不能执行“接单”");
	cr_assert_eq(audit_rows("order.action", id), 1);
	/* out of the caller's subtree the order does not exist */
	struct actor other = a;
	snprintf(other.org_path, sizeof other.org_path, "/999/");
	e = (struct field_errors){0};
	cr_assert_eq(order_transition(d, &other, id, NULL, "assign", &act, now_unix(), &e), DJ_NOT_FOUND);
}

/* ---- 32 clerks at once ---- */

#define RACE_THREADS 32
#define RACE_ORDERS 12

static int64_t race_ids[RACE_ORDERS];
static atomic_int race_wins[RACE_ORDERS];
static char race_msgs[RACE_THREADS][RACE_ORDERS][160];
static atomic_int race_bad;

static void *race_clerk(void *arg)
{
	int idx = (int)(intptr_t)arg;
	char err[256];
	db *c = db_open(path, err, sizeof err);
	if (!c) {
		atomic_fetch_add(&race_bad, 1);
		return NULL;
	}
	struct actor a;
	branch_actor(&a);
	/* half accept, half refuse: two different transitions out of the same state */
	const char *action = idx % 2 ? "accept" : "reject";
	struct order_act act = {.note = "经核实，不属于群众诉求"};
	for (int k = 0; k < RACE_ORDERS; k++) {
		if (db_begin(c, true) != DB_OK) {
			atomic_fetch_add(&race_bad, 1);
			continue;
		}
		struct field_errors e = {0};
		enum dj_result res = order_transition(c, &a, race_ids[k], NULL, action, &act, now_unix(), &e);
		if (res == DJ_OK && db_commit(c) == DB_OK)
			atomic_fetch_add(&race_wins[k], 1);
		else if (res == DJ_CONFLICT) {
			db_rollback(c);
			snprintf(race_msgs[idx][k], sizeof race_msgs[idx][k], "%s", dj_message(res, &e));
		} else {
			db_rollback(c);
			atomic_fetch_add(&race_bad, 1);
		}
	}
	db_close(c);
	return NULL;
}

Test(orders_db, conflicting_transitions_from_32_threads_have_one_winner_each, .timeout = 120)
{
	for (int k = 0; k < RACE_ORDERS; k++)
		race_ids[k] = place(d);
	pthread_t t[RACE_THREADS];
	for (int i = 0; i < RACE_THREADS; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, race_clerk, (void *)(intptr_t)i), 0);
	for (int i = 0; i < RACE_THREADS; i++)
		pthread_join(t[i], NULL);
	cr_assert_eq(atomic_load(&race_bad), 0, "every loser is refused as a conflict");
	for (int k = 0; k < RACE_ORDERS; k++) {
		cr_assert_eq(atomic_load(&race_wins[k]), 1, "order %d: exactly one winner", k);
		struct order o;
		cr_assert(order_load(d, race_ids[k], NULL, &o));
		cr_assert(!strcmp(o.state, "accepted") || !strcmp(o.state, "rejected"));
		cr_assert_eq(audit_rows("order.action", race_ids[k]), 1, "one audit row: the winner's");
		cr_assert_eq(db_int1(d, 0, "SELECT COUNT(*) FROM order_events WHERE order_id = ? AND action <> 'create'", "I", race_ids[k]), 1);
		/* each loser's message is its own and names the state the winner left */
		char want[160];
		snprintf(want, sizeof want, "诉求处于“%s”状态", order_state_label(o.state));
		int losers = 0;
		for (int i = 0; i < RACE_THREADS; i++) {
			if (!race_msgs[i][k][0])
				continue;
			losers++;
			cr_assert(strstr(race_msgs[i][k], want) || strstr(race_msgs[i][k], "刚被他人处理"), "thread %d order %d: %s", i, k,
				  race_msgs[i][k]);
		}
		cr_assert_eq(losers, RACE_THREADS - 1);
	}
}

/* ---- a transition reads its order once ---- */

struct trace {
	int order_reads, audit_writes, total;
};

static void count_sql(void *ctx, const char *sql)
{
	struct trace *t = ctx;
	t->total++;
	/* order_load's statement: the one column list of an order */
	if (!strncmp(sql, "SELECT o.id, o.code,", 20) && strstr(sql, "FROM orders o"))
		t->order_reads++;
	if (strstr(sql, "SELECT") && strstr(sql, "FROM orders") && !strstr(sql, "idempotency_key") && strncmp(sql, "SELECT o.id, o.code,", 20))
		t->order_reads += 100; /* any other read of the orders table would show here */
	if (!strncmp(sql, "INSERT INTO audit", 17))
		t->audit_writes++;
}

Test(orders_db, a_transition_reads_its_order_once_and_writes_one_audit_row)
{
	int64_t id = place(d);
	struct actor a;
	branch_actor(&a);
	static const struct {
		const char *action;
		struct order_act act;
	} steps[] = {
		{"accept", {0}},
		{"escalate", {.note = "需要镇里协调"}},
	};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		struct trace t = {0};
		struct field_errors e = {0};
		db_set_trace(d, count_sql, &t);
		cr_assert_eq(db_begin(d, true), DB_OK);
		enum dj_result res = order_transition(d, &a, id, NULL, steps[i].action, &steps[i].act, now_unix(), &e);
		cr_assert_eq(res, DJ_OK, "%s: %s", steps[i].action, dj_message(res, &e));
		cr_assert_eq(db_commit(d), DB_OK);
		db_set_trace(d, NULL, NULL);
		cr_assert_eq(t.order_reads, 1, "%s read the order %d times", steps[i].action, t.order_reads);
		cr_assert_eq(t.audit_writes, 1);
		cr_assert(t.total < 12, "%s ran %d statements", steps[i].action, t.total);
	}
	/* by tracking code, as the resident does, it is the same one read */
	struct trace t = {0};
	struct field_errors e = {0};
	struct actor resident;
	actor_public(&resident, "192.0.2.7");
	struct order o;
	cr_assert(order_load(d, id, NULL, &o));
	struct order_act info = {.note = "路灯在村口第三根电线杆"};
	db_set_trace(d, count_sql, &t);
	cr_assert_eq(db_begin(d, true), DB_OK);
	cr_assert_eq(order_transition(d, &resident, 0, o.code, "add_info", &info, now_unix(), &e), DJ_OK);
	cr_assert_eq(db_commit(d), DB_OK);
	db_set_trace(d, NULL, NULL);
	cr_assert_eq(t.order_reads, 1);
	cr_assert_eq(t.audit_writes, 1);
}

/* ---- who sees which order (issue 8 §5): order_visible for one order and
 * order_list's SQL say the same thing, for every role ---- */

static int64_t add_user(const char *username, const char *role, int64_t org)
{
	return db_int1(d, 0,
		       "INSERT INTO users (username, password_hash, name, role, org_id, created_at, updated_at) VALUES (?, 'x', ?, ?, ?, 0, 0) "
		       "RETURNING id",
		       "tttI", username, username, role, org);
}

static void user_actor(struct actor *a, int64_t uid, int role, int64_t org)
{
	memset(a, 0, sizeof *a);
	a->user_id = uid;
	a->role = role;
	a->org_id = org;
	db_stmt *s = db_query(d, "SELECT path, name FROM orgs WHERE id = ?", "I", org);
	cr_assert(db_next(s));
	snprintf(a->org_path, sizeof a->org_path, "%s", db_str(s, 0));
	snprintf(a->org_name, sizeof a->org_name, "%s", db_str(s, 1));
	db_done(s);
	snprintf(a->ip, sizeof a->ip, "127.0.0.1");
	actor_set_label(a);
}

static int64_t place_in(const char *kind, const char *org, const char *grid)
{
	char content[256], code[24];
	snprintf(content, sizeof content, "%s %s %s", kind, org, grid);
	struct order_new o;
	unit_order_new(&o, kind, org, content);
	snprintf(o.grid_code, sizeof o.grid_code, "%s", grid);
	return unit_place(d, "192.0.2.8", &o, code);
}

#define MAX_ORDERS 16
struct seen {
	bool in[MAX_ORDERS + 1];
};

static void mark(void *ctx, const struct order *o)
{
	struct seen *s = ctx;
	if (o->id > 0 && o->id <= MAX_ORDERS)
		s->in[o->id] = true;
}

Test(orders_db, order_visible_and_the_lists_follow_one_rule_for_every_role)
{
	cr_assert_eq(db_begin(d, true), DB_OK);
	int64_t county = db_int1(d, 0, "SELECT id FROM orgs WHERE code = 'XW'", "");
	int64_t town = db_int1(d, 0, "SELECT id FROM orgs WHERE code = 'CJZ'", "");
	int64_t other = orgs_create(d, town, "CJZ-XJC", "西街村党支部", "branch", "农村");
	int64_t town2 = orgs_create(d, county, "T2", "第二镇党委", "committee", "");
	int64_t branch2 = orgs_create(d, town2, "T2-A", "第二镇甲村党支部", "branch", "农村");
	cr_assert(other > 0 && town2 > 0 && branch2 > 0);
	int64_t worker = add_user("wangge", "grid", branch_id), member = add_user("dangyuan", "member", branch_id);
	int64_t member2 = add_user("tmember", "member", branch2), sec = add_user("chenji", "branch", branch_id);
	int64_t comm = add_user("zuzhi", "committee", town), admin = add_user("admin", "admin", town);
	cr_assert_eq(
		db_run(d, "INSERT INTO grids (org_id, code, name, worker_user_id, created_at) VALUES (?, 'G1', '一网格', ?, 0)", "II", branch_id, worker),
		DB_OK);
	cr_assert_eq(db_run(d, "INSERT INTO grids (org_id, code, name, created_at) VALUES (?, 'G2', '二网格', 0)", "I", branch_id), DB_OK);
	int64_t g1 = place_in("need", "", "G1"), g2 = place_in("need", "", "G2"), plain = place_in("need", "CJZ-CJC", "");
	int64_t given = place_in("need", "CJZ-CJC", ""), wish = place_in("wish", "CJZ-CJC", ""), wish_other = place_in("wish", "CJZ-XJC", "");
	int64_t wish2 = place_in("wish", "T2-A", ""), need2 = place_in("need", "T2-A", ""), done = place_in("wish", "CJZ-XJC", "");
	cr_assert_eq(db_run(d, "UPDATE orders SET state = 'assigned', assignee_user_id = ? WHERE id = ?", "II", worker, given), DB_OK);
	cr_assert_eq(db_run(d, "UPDATE orders SET state = 'closed' WHERE id = ?", "I", done), DB_OK);
	cr_assert_eq(db_commit(d), DB_OK);
	int64_t last = db_int1(d, 0, "SELECT MAX(id) FROM orders", "");
	cr_assert(last <= MAX_ORDERS);

	static const struct {
		const char *who;
		int role;
	} roles[] = {{"wangge", R_GRID}, {"dangyuan", R_MEMBER}, {"tmember", R_MEMBER}, {"chenji", R_BRANCH}, {"zuzhi", R_COMMITTEE}, {"admin", R_ADMIN}};
	int64_t uids[] = {worker, member, member2, sec, comm, admin}, orgs[] = {branch_id, branch_id, branch2, branch_id, town, town};
	struct seen want[6] = {0};
	/* what SPEC §1 says each sees */
	for (int64_t id = 1; id <= last; id++) {
		want[0].in[id] = id == g1 || id == given; /* its grid, and what it was given */
		want[1].in[id] = id == g1 || id == g2 || id == plain || id == given || id == wish ||
				 id == wish_other;                                                 /* its branch, its town's open wishes */
		want[2].in[id] = id == wish2 || id == need2;                                       /* its own town only */
		want[3].in[id] = id == g1 || id == g2 || id == plain || id == given || id == wish; /* its branch */
		want[4].in[id] = id != wish2 && id != need2;                                       /* its town */
		want[5].in[id] = true;
	}
	for (size_t r = 0; r < sizeof roles / sizeof roles[0]; r++) {
		struct actor a;
		user_actor(&a, uids[r], roles[r].role, orgs[r]);
		struct seen listed = {0};
		struct order_filter f = {.limit = 1000};
		int64_t total = 0;
		cr_assert_eq(db_begin(d, false), DB_OK);
		struct field_errors fe = {0};
		cr_assert_eq(order_list(d, &a, &f, now_unix(), &total, mark, &listed, &fe), DJ_OK);
		for (int64_t id = 1; id <= last; id++) {
			struct order o;
			cr_assert(order_load(d, id, NULL, &o));
			bool one = order_visible(d, &a, &o);
			cr_assert_eq(one, listed.in[id], "%s: order %lld is %s by id but %s in the list", roles[r].who, (long long)id,
				     one ? "visible" : "hidden", listed.in[id] ? "listed" : "not listed");
			cr_assert_eq(one, want[r].in[id], "%s: order %lld (%s) should be %s", roles[r].who, (long long)id, o.content,
				     want[r].in[id] ? "visible" : "hidden");
		}
		db_rollback(d);
	}
}

/* The placing limit: ten an hour from one address; an hour after its window
 * began, the address starts again at one (the window's reset and the count
 * are one upsert); a repeated Idempotency-Key costs nothing. */
Test(orders_db, placing_limit_counts_ten_an_hour_then_starts_again)
{
	int64_t t = 1800000000;
	cr_assert_eq(db_begin(d, true), DB_OK);
	for (int i = 0; i < 10; i++)
		cr_expect(order_place_allowed(d, "192.0.2.9", "", t + i), "order %d of the hour", i + 1);
	cr_expect_not(order_place_allowed(d, "192.0.2.9", "", t + 100), "the eleventh within the hour");
	cr_expect(order_place_allowed(d, "192.0.2.10", "", t + 100), "another address has its own count");
	cr_expect_not(order_place_allowed(d, "192.0.2.9", "", t + 3600), "the window began at t: still within it");
	cr_expect(order_place_allowed(d, "192.0.2.9", "", t + 3601), "an hour later it starts again");
	cr_expect_eq(db_int1(d, -1, "SELECT count FROM order_rate WHERE key = 'place:192.0.2.9'", ""), 1);
	cr_expect_eq(db_int1(d, -1, "SELECT window_start FROM order_rate WHERE key = 'place:192.0.2.9'", ""), t + 3601);
	for (int i = 0; i < 9; i++)
		cr_expect(order_place_allowed(d, "192.0.2.9", "", t + 3602 + i));
	cr_expect_not(order_place_allowed(d, "192.0.2.9", "", t + 3700), "ten again in the new window");
	cr_assert_eq(db_commit(d), DB_OK);
}

/* The placing path looks the Idempotency-Key up once in a transaction on
 * SQLite (the writer's batch): order_place_admit finds it unused and
 * order_create does not ask again; a repeated key is still answered with the
 * first order, and outside a transaction order_create looks it up itself. */
struct key_lookups {
	int n;
};
static void count_key_lookups(void *ctx, const char *sql)
{
	struct key_lookups *k = ctx;
	k->n += strstr(sql, "FROM orders WHERE idempotency_key") != NULL;
}

Test(orders_db, placing_looks_the_key_up_once_in_a_transaction)
{
	struct actor resident;
	actor_public(&resident, "192.0.2.8");
	struct order_new o;
	unit_order_new(&o, "need", "CJZ-CJC", "路灯坏了");
	snprintf(o.idempotency_key, sizeof o.idempotency_key, "unit-key-once-1");
	struct key_lookups k = {0};
	db_set_trace(d, count_key_lookups, &k);
	char code[24], again[24];
	bool repeated = true;
	struct field_errors e = {0};
	cr_assert_eq(db_begin(d, true), DB_OK);
	cr_assert(order_place_admit(d, "192.0.2.8", &o, now_unix()));
	cr_assert_neq(o.key_free_tx, 0, "the key was found unused in this transaction");
	cr_assert_eq(order_create(d, &resident, &o, code, &repeated, &e), DJ_OK);
	cr_expect_not(repeated);
	cr_expect_eq(k.n, 1, "one lookup of the key for a new order, not %d", k.n);
	cr_assert_eq(db_commit(d), DB_OK);
	/* the same request again, in a transaction of its own: the first order */
	struct order_new o2 = o;
	o2.key_free_tx = 0;
	cr_assert_eq(db_begin(d, true), DB_OK);
	cr_assert(order_place_admit(d, "192.0.2.8", &o2, now_unix()));
	cr_expect_eq(o2.key_free_tx, 0, "a used key is not free");
	cr_assert_eq(order_create(d, &resident, &o2, again, &repeated, &e), DJ_OK);
	cr_expect(repeated);
	cr_expect_str_eq(again, code);
	cr_assert_eq(db_commit(d), DB_OK);
	/* a mark of a transaction that ended is not trusted: order_create asks */
	k.n = 0;
	o.key_free_tx = o2.key_free_tx ? o2.key_free_tx : 1;
	cr_assert_eq(order_create(d, &resident, &o, again, &repeated, &e), DJ_OK);
	cr_expect(repeated);
	cr_expect_eq(k.n, 1);
	db_set_trace(d, NULL, NULL);
	cr_expect_eq(db_int1(d, -1, "SELECT COUNT(*) FROM orders WHERE idempotency_key = 'unit-key-once-1'", ""), 1);
}

/* The time limits are read once a transaction (the writer places a batch of
 * orders in one): a change through settings_set in that transaction is
 * seen at once; outside a transaction nothing is kept. */
Test(orders_db, time_limits_kept_for_a_transaction_and_dropped_by_a_settings_write)
{
	struct actor cli;
	actor_cli(&cli);
	struct field_errors e = {0};
	cr_assert_eq(db_begin(d, true), DB_OK);
	cr_expect_eq(order_limit(d, "need", "normal", false), 24 * 3600, "the default");
	cr_assert_eq(db_run(d, "INSERT INTO settings (key, value) VALUES ('order_limit.normal.accept', '600')", ""), DB_OK);
	cr_expect_eq(order_limit(d, "need", "normal", false), 24 * 3600, "kept for the transaction (a plain SQL write is not watched)");
	cr_expect_eq(order_limit(d, "need", "urgent", false), 3600, "another key is read");
	cr_assert_eq(settings_set(d, &cli, "order_limit.normal.accept", "7200", &e), DJ_OK);
	cr_expect_eq(order_limit(d, "need", "normal", false), 7200, "a settings write drops what was kept");
	cr_assert_eq(db_commit(d), DB_OK);
	cr_assert_eq(db_run(d, "UPDATE settings SET value = '900' WHERE key = 'order_limit.normal.accept'", ""), DB_OK);
	cr_expect_eq(order_limit(d, "need", "normal", false), 900, "outside a transaction: read each time");
	cr_assert_eq(db_begin(d, true), DB_OK);
	cr_expect_eq(order_limit(d, "need", "normal", false), 900, "a new transaction reads again");
	cr_assert_eq(db_commit(d), DB_OK);
}
