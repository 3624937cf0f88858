/* demo — 陈集镇, after seed 004: a town committee, village, community, school,
 * enterprise and government branches with their 党小组, and one login per role. */
#include "demo.h"

#include <stdio.h>
#include <string.h>

#include "module.h"
#include "notify.h"
#include "orgs.h"
#include "settings.h"
#include "users.h"
#include "util.h"

struct demo_org {
	const char *code, *parent, *name, *type, *kind;
};

static const struct demo_org demo_orgs[] = {
	{"DEX", NULL, "中共东阿县委", "county", "机关"},
	{"CJZ", "DEX", "中共陈集镇委员会", "committee", "机关"},
	{"CJZ-JW", "CJZ", "陈集镇纪委", "dept", "机关"},
	{"CJZ-JG", "CJZ", "陈集镇机关党总支", "general", "机关"},
	{"CJZ-JG-1", "CJZ-JG", "镇机关第一党支部", "branch", "机关"},
	{"CJZ-JG-2", "CJZ-JG", "镇机关第二党支部", "branch", "机关"},
	{"CJZ-CJC", "CJZ", "陈集村党支部", "branch", "农村"},
	{"CJZ-CJC-1", "CJZ-CJC", "陈集村第一党小组", "group", "农村"},
	{"CJZ-CJC-2", "CJZ-CJC", "陈集村第二党小组", "group", "农村"},
	{"CJZ-XJC", "CJZ", "西街村党支部", "branch", "农村"},
	{"CJZ-XJC-1", "CJZ-XJC", "西街村第一党小组", "group", "农村"},
	{"CJZ-HZC", "CJZ", "后赵村党支部", "branch", "农村"},
	{"CJZ-WZC", "CJZ", "王庄村党支部", "branch", "农村"},
	{"CJZ-LQC", "CJZ", "李桥村党支部", "branch", "农村"},
	{"CJZ-DSQ", "CJZ", "东升社区党支部", "branch", "社区"},
	{"CJZ-DSQ-1", "CJZ-DSQ", "东升社区第一党小组", "group", "社区"},
	{"CJZ-XYSQ", "CJZ", "幸福社区党支部", "branch", "社区"},
	{"CJZ-CJC-3", "CJZ-CJC", "陈集村第三党小组", "group", "农村"},
	{"CJZ-XJC-2", "CJZ-XJC", "西街村第二党小组", "group", "农村"},
	{"CJZ-HZC-1", "CJZ-HZC", "后赵村第一党小组", "group", "农村"},
	{"CJZ-HZC-2", "CJZ-HZC", "后赵村第二党小组", "group", "农村"},
	{"CJZ-WZC-1", "CJZ-WZC", "王庄村第一党小组", "group", "农村"},
	{"CJZ-WZC-2", "CJZ-WZC", "王庄村第二党小组", "group", "农村"},
	{"CJZ-LQC-1", "CJZ-LQC", "李桥村第一党小组", "group", "农村"},
	{"CJZ-LQC-2", "CJZ-LQC", "李桥村第二党小组", "group", "农村"},
	{"CJZ-DSQ-2", "CJZ-DSQ", "东升社区第二党小组", "group", "社区"},
	{"CJZ-XYSQ-1", "CJZ-XYSQ", "幸福社区第一党小组", "group", "社区"},
	{"CJZ-XYSQ-2", "CJZ-XYSQ", "幸福社区第二党小组", "group", "社区"},
	{"CJZ-ZX", "CJZ", "陈集镇中学党支部", "branch", "学校"},
	{"CJZ-XX", "CJZ", "陈集镇中心小学党支部", "branch", "学校"},
	{"CJZ-EJ", "CJZ", "东阿阿胶陈集分厂党支部", "branch", "企业"},
	{"CJZ-HZS", "CJZ", "陈集镇农业合作社联合党支部", "branch", "社会组织"},
};

struct demo_user {
	const char *username, *name, *role, *org, *what;
};

static const struct demo_user demo_users[] = {
	{"admin", "系统管理员", "admin", "CJZ", "系统管理员：用户、设置、备份"},
	{"zuzhi", "刘红梅", "committee", "CJZ", "镇党委组织委员：派单、考核、评选"},
	{"chenji", "张建国", "branch", "CJZ-CJC", "陈集村党支部书记：接单、会议、党员"},
	{"xijie", "王秀英", "branch", "CJZ-XJC", "西街村党支部书记（另一个支部，用来看权限边界）"},
	{"dangyuan", "李志强", "member", "CJZ-CJC", "陈集村党员：送单、认领心愿、积分"},
	{"wangge", "赵丽", "grid", "CJZ-CJC", "陈集村网格员：网格内接单"},
	{"jiwei", "孙立明", "reviewer", "CJZ-JW", "镇纪委（联审部门）：评选征询意见"},
};

int demo_fill(db *d, FILE *out)
{
	if (db_int1(d, 0, "SELECT COUNT(*) FROM orgs", "") > 0) {
		fprintf(stderr, "dangjian demo: the database already holds data; use an empty one\n");
		return 1;
	}
	if (db_begin(d, true) != DB_OK)
		return 1;
	for (size_t i = 0; i < sizeof demo_orgs / sizeof demo_orgs[0]; i++) {
		const struct demo_org *o = &demo_orgs[i];
		int64_t parent = o->parent ? orgs_id_by_code(d, o->parent) : 0;
		if (!orgs_create(d, parent, o->code, o->name, o->type, o->kind)) {
			fprintf(stderr, "dangjian demo: org %s: %s\n", o->code, db_errmsg(d));
			db_rollback(d);
			return 1;
		}
	}
	/* the demo is filled from the command line, and audited as such */
	struct actor cli;
	actor_cli(&cli);
	struct field_errors e = {0};
	settings_set(d, &cli, "site_name", "陈集镇党建工作平台", &e);
	for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++) {
		const struct demo_user *u = &demo_users[i];
		int64_t id;
		enum dj_result res = users_create_demo(d, &cli, u->username, u->name, u->role, orgs_id_by_code(d, u->org), DEMO_PASSWORD, &id, &e);
		if (res != DJ_OK) {
			fprintf(stderr, "dangjian demo: user %s: %s\n", u->username, dj_message(res, &e));
			db_rollback(d);
			return 1;
		}
	}
	if (demo_members(d, out) != 0 || demo_orders(d, out) != 0 || demo_member_accounts(d, out) != 0) {
		db_rollback(d);
		return 1;
	}
	/* each mechanism's part of the town, from its own module record */
	for (size_t i = 0; i < modules_count; i++) {
		if (modules[i]->demo && modules[i]->demo(d, &cli, out) != 0) {
			fprintf(stderr, "dangjian demo: %s: the demo data could not be made\n", modules[i]->name);
			db_rollback(d);
			return 1;
		}
	}
	/* the year of messages the modules wrote went out back then: only the
	 * last minutes' wait for the server's outbox task (a backlog of the
	 * whole year would take it minutes of 256 a run to send) */
	if (notify_history_sent(d, now_unix() - 300) != DB_OK) {
		db_rollback(d);
		return 1;
	}
	if (db_commit(d) != DB_OK)
		return 1;
	fprintf(out, "Demo town 陈集镇 created: %zu organisations, %zu users.\n", sizeof demo_orgs / sizeof demo_orgs[0],
		sizeof demo_users / sizeof demo_users[0]);
	fprintf(out, "Log in with any of these (password %s):\n", DEMO_PASSWORD);
	for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++)
		fprintf(out, "  %-9s %s\n", demo_users[i].username, demo_users[i].what);
	return 0;
}
