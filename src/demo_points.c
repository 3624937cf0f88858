/* demo_points — the demo town's points (issue 11 §6), the module's .demo
 * hook: runs after the orders, whose deliveries have already paid through
 * order_transition (each delivered order is checked once more here: the
 * award is idempotent, so this only fills what an older path missed), then
 * a year of manual adjustments through the domain — proposed by the two
 * branch secretaries, some approved by the town committee or the other
 * secretary, some rejected, some still waiting — and a correction. */
#include <stdio.h>
#include <string.h>

#include "points.h"
#include "util.h"

/* An account as the session code would make it its actor. */
static bool actor_of(db *d, const char *username, struct actor *a)
{
	memset(a, 0, sizeof *a);
	db_stmt *s = db_query(d, "SELECT u.id, u.role, u.org_id, o.path, o.name, u.name FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.username = ?",
			      "t", username);
	bool found = db_next(s);
	if (found) {
		a->user_id = db_int(s, 0);
		a->role = role_from_key(db_str(s, 1));
		a->org_id = db_int(s, 2);
		snprintf(a->org_path, sizeof a->org_path, "%s", db_str(s, 3));
		snprintf(a->org_name, sizeof a->org_name, "%s", db_str(s, 4));
		snprintf(a->name, sizeof a->name, "%s", db_str(s, 5));
		snprintf(a->username, sizeof a->username, "%s", username);
		snprintf(a->ip, sizeof a->ip, "demo");
		actor_set_label(a);
	}
	db_done(s);
	return found;
}

/* The n-th active member of a branch (by roster order), or 0. */
static int64_t nth_member(db *d, const char *branch, int n)
{
	return db_int1(d, 0,
		       "SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE (SELECT path FROM orgs WHERE code = ?) || '%' "
		       "AND m.status = 'active' ORDER BY m.id LIMIT 1 OFFSET ?",
		       "ti", branch, n);
}

static const struct {
	const char *branch, *proposer;
	int member; /* its place on the branch's roster */
	int points;
	const char *reason;
	int days_ago;        /* when proposed */
	const char *decider; /* NULL: still waiting */
	bool approve;
	const char *note;
} adjustments[] = {
	{"CJZ-CJC", "chenji", 3, 5, "汛期连续三昼夜参加河堤巡查抢险", 300, "zuzhi", true, "情况属实，同意"},
	{"CJZ-CJC", "chenji", 7, 3, "带头调解邻里宅基地纠纷，群众送锦旗", 210, "zuzhi", true, ""},
	{"CJZ-XJC", "xijie", 2, 4, "组织冬季送温暖活动，走访困难户 23 户", 150, "zuzhi", true, "同意"},
	{"CJZ-XJC", "xijie", 5, -3, "连续两次未按时交纳党费，经提醒未改正", 120, "zuzhi", true, "已核实"},
	{"CJZ-CJC", "chenji", 9, 5, "参加镇里组织的秸秆禁烧宣传", 90, "zuzhi", false, "属于日常工作，已按志愿服务计分，不再另加"},
	{"CJZ-XJC", "xijie", 8, 2, "为村史馆捐赠老物件", 60, "zuzhi", false, "与积分规则无关，建议予以表扬"},
	{"CJZ-CJC", "chenji", 12, 3, "协助网格员完成人口普查入户登记", 12, NULL, false, NULL},
	{"CJZ-XJC", "xijie", 11, 4, "疫情防控期间值守卡口 40 小时", 5, NULL, false, NULL},
	{"CJZ-CJC", "chenji", 15, -2, "无故缺席主题党日，事后未说明", 2, NULL, false, NULL},
};

int demo_points(db *d, const struct actor *cli, FILE *out)
{
	(void)cli;
	int64_t now = now_unix();
	/* every delivered order pays its deliverer (once) */
	int64_t ids[512], users[512], ats[512];
	const char *kinds[512];
	int n = 0;
	db_stmt *s = db_query(d,
			      "SELECT e.order_id, e.actor_user_id, e.at, CASE WHEN o.kind = 'wish' THEN 1 ELSE 0 END FROM order_events e "
			      "JOIN orders o ON o.id = e.order_id WHERE e.action = 'deliver' AND e.actor_user_id IS NOT NULL ORDER BY e.id",
			      "");
	while (db_next(s) && n < 512) {
		ids[n] = db_int(s, 0);
		users[n] = db_int(s, 1);
		ats[n] = db_int(s, 2);
		kinds[n] = db_int(s, 3) ? "wish_fulfilled" : "order_delivered";
		n++;
	}
	if (db_done(s) != DB_OK)
		return -1;
	for (int i = 0; i < n; i++) {
		int64_t member = points_member_of_user(d, users[i]);
		if (member <= 0)
			continue;
		struct actor a = {0};
		actor_system(&a);
		struct field_errors e = {0};
		if (points_award(d, &a, member, kinds[i], "order", ids[i], 1, ats[i], &e) != DJ_OK) {
			fprintf(stderr, "dangjian demo: points for order %lld: %s\n", (long long)ids[i], dj_message(DJ_INVALID, &e));
			return -1;
		}
	}
	/* adjustments in each state over the year */
	int counts[3] = {0};
	for (size_t i = 0; i < sizeof adjustments / sizeof adjustments[0]; i++) {
		struct actor p, q;
		int64_t member = nth_member(d, adjustments[i].branch, adjustments[i].member);
		if (!member || !actor_of(d, adjustments[i].proposer, &p))
			continue;
		char pts[8];
		snprintf(pts, sizeof pts, "%d", adjustments[i].points);
		int64_t at = now - (int64_t)adjustments[i].days_ago * 86400 + 9 * 3600, id;
		struct field_errors e = {0};
		enum dj_result res = points_adjust_propose(d, &p, member, pts, adjustments[i].reason, at, &id, &e);
		if (res == DJ_OK && adjustments[i].decider) {
			if (!actor_of(d, adjustments[i].decider, &q))
				continue;
			res = points_adjust_decide(d, &q, id, adjustments[i].approve, adjustments[i].note, at + 2 * 86400, &e);
		}
		if (res != DJ_OK) {
			fprintf(stderr, "dangjian demo: adjustment: %s\n", dj_message(res, &e));
			return -1;
		}
		counts[!adjustments[i].decider ? 0 : adjustments[i].approve ? 1 : 2]++;
	}
	/* a correction: an order recorded for the wrong person's day is set to 0 */
	struct actor sec;
	int64_t entry = db_int1(
		d, 0,
		"SELECT MIN(l.id) FROM points_ledger l JOIN orgs o ON o.id = l.org_id WHERE l.kind = 'award' AND l.code = 'order_delivered' "
		"AND o.path LIKE (SELECT path FROM orgs WHERE code = 'CJZ-CJC') || '%'",
		"");
	if (entry && actor_of(d, "chenji", &sec)) {
		struct field_errors e = {0};
		int64_t cid;
		enum dj_result res = points_correct(d, &sec, entry, "0", "经核实该诉求由网格员代为办结，此条不计分", now - 20 * 86400, &cid, &e);
		if (res != DJ_OK && res != DJ_NOT_FOUND) {
			fprintf(stderr, "dangjian demo: correction: %s\n", dj_message(res, &e));
			return -1;
		}
	}
	fprintf(out, "Points: %lld ledger entries; adjustments: %d pending, %d approved, %d rejected.\n",
		(long long)db_int1(d, 0, "SELECT COUNT(*) FROM points_ledger", ""), counts[0], counts[1], counts[2]);
	return 0;
}
