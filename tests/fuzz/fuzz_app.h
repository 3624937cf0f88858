/* The fuzz targets' application: an in-memory SQLite database with the
 * schema, a few orgs and one account of each role, each with a console
 * session and an API token of known value (fuzz_http.c, fuzz_json.c). */
#ifndef DJ_FUZZ_APP_H
#define DJ_FUZZ_APP_H
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "db.h"
#include "module.h"
#include "orgs.h"
#include "server.h"
#include "users.h"
#include "util.h"

static db *g_db;
static const char *const roles[] = {"admin", "committee", "branch", "member", "grid", "reviewer"};
#define NROLES (sizeof roles / sizeof roles[0])
static char web_token[NROLES][48], api_token[NROLES][48], csrf[NROLES][48];

static void die(const char *what)
{
	fprintf(stderr, "fuzz_http: setup: %s: %s\n", what, g_db ? db_errmsg(g_db) : "");
	abort();
}

static void session(int64_t user_id, const char *kind, char *token, const char *csrf_token)
{
	unsigned char h[32];
	char id[65];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(id, sizeof id, h, sizeof h);
	int64_t now = now_unix();
	if (db_run(g_db, "INSERT INTO sessions (id, user_id, kind, csrf, ip, created_at, last_seen, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		   "tItttIII", id, user_id, kind, csrf_token, "127.0.0.1", now, now, now + 100LL * 24 * 3600) != DB_OK)
		die("session");
}

static void setup(void)
{
	char err[256];
	if (sodium_init() < 0)
		die("sodium");
	g_db = db_open(":memory:", err, sizeof err);
	if (!g_db || db_migrate(g_db, err, sizeof err) < 0) {
		fprintf(stderr, "fuzz_http: %s\n", err);
		abort();
	}
	if (!routes_table(err, sizeof err)) {
		fprintf(stderr, "fuzz_http: %s\n", err);
		abort();
	}
	if (db_begin(g_db, true) != DB_OK)
		die("begin");
	int64_t county = orgs_create(g_db, 0, "DEX", "中共东阿县委", "county", "机关");
	int64_t town = orgs_create(g_db, county, "CJZ", "中共陈集镇委员会", "committee", "机关");
	int64_t dept = orgs_create(g_db, town, "CJZ-JW", "陈集镇纪委", "dept", "机关");
	int64_t branch = orgs_create(g_db, town, "CJZ-CJC", "陈集村党支部", "branch", "农村");
	int64_t other = orgs_create(g_db, town, "CJZ-XJC", "西街村党支部", "branch", "农村");
	if (!county || !town || !dept || !branch || !other || !orgs_create(g_db, branch, "CJZ-CJC-1", "陈集村第一党小组", "group", "农村"))
		die("orgs");
	const int64_t org_of[NROLES] = {town, town, branch, branch, branch, dept};
	struct actor cli;
	actor_cli(&cli);
	for (size_t i = 0; i < NROLES; i++) {
		char username[32];
		snprintf(username, sizeof username, "fz%s", roles[i]);
		struct field_errors e = {0};
		int64_t id = 0;
		if (users_create(g_db, &cli, username, "模糊测试", roles[i], org_of[i], "Fz-7391-qxv-Lm2k", &id, &e) != DJ_OK)
			die(dj_message(DJ_INVALID, &e));
		snprintf(web_token[i], sizeof web_token[i], "fuzz-web-session-token-%s-0000", roles[i]);
		snprintf(api_token[i], sizeof api_token[i], "fuzz-api-session-token-%s-0000", roles[i]);
		snprintf(csrf[i], sizeof csrf[i], "fuzz-csrf-%s", roles[i]);
		session(id, "web", web_token[i], csrf[i]);
		session(id, "api", api_token[i], csrf[i]);
	}
	if (db_commit(g_db) != DB_OK)
		die("commit");
}

#endif
