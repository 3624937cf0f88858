/* main — the dangjian command: init, serve, user, demo, check (SPEC §3). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sodium.h>

#include "auth.h"
#include "db.h"
#include "demo.h"
#include "export.h"
#include "import.h"
#include "members.h"
#include "module.h"
#include "roles.h"
#include "order_summary.h"
#include "points.h"
#include "orgs.h"
#include "server.h"
#include "settings.h"
#include "users.h"
#include "util.h"

#ifndef DJ_VERSION
#define DJ_VERSION "0.1.0"
#endif

static const char *usage_main = "usage: dangjian [--db URL] COMMAND [OPTIONS]\n"
				"\n"
				"A grassroots party-building work platform (基层党建工作平台).\n"
				"\n"
				"commands:\n"
				"  init        create the database, or bring its schema up to date\n"
				"  serve       run the web server (public site, console, JSON API)\n"
				"  user        add, change the password of, or list accounts\n"
				"  demo        fill an empty database with a demo town (or county, province)\n"
				"  check       check the database's integrity and count the rows of every table\n"
				"  backup      copy the SQLite database into a new file while it is in use\n"
				"  import      import a member roster (花名册) from .xlsx or .csv\n"
				"  config      list or set the site's settings (time limits of orders, …)\n"
				"  tick        run the minute's background work once (auto-closing orders)\n"
				"  export      write the member roster (花名册) of an org subtree to .xlsx\n"
				"  routes      print the route table merged from the modules\n"
				"\n"
				"options:\n"
				"  --db URL    a SQLite file (default dangjian.db, or $DANGJIAN_DB) or\n"
				"              postgres://user@host:port/dbname\n"
				"  --help      this text; COMMAND --help tells about one command\n"
				"  --version   print the version\n";

static const char *usage_serve = "usage: dangjian [--db URL] serve [OPTIONS]\n"
				 "\n"
				 "Runs the web server until SIGINT or SIGTERM, then finishes the requests in\n"
				 "flight and stops. Applies pending migrations first.\n"
				 "\n"
				 "  --listen ADDR        IP address to listen on (default 127.0.0.1)\n"
				 "  --port N             TCP port (default 8080)\n"
				 "  --threads N          worker threads, each with its own database connection (default 4)\n"
				 "  --per-ip-limit N     open connections allowed per client address (default 256, 0: none);\n"
				 "                       behind nginx on loopback, requests in flight per X-Real-IP\n"
				 "  --idle-timeout S     seconds before an idle connection is closed, and before a\n"
				 "                       waiting connection must have sent its request line (default 30)\n"
				 "  --header-timeout S   seconds from the request line to the end of the headers, not\n"
				 "                       restarted by each byte; a body must then come at 1 KiB/s (default 10)\n"
				 "  --max-connections N  connection slots (default 4000)\n"
				 "  --access-log FILE    where to write the access log: a file, - for stderr (default), off\n";

static const char *usage_user = "usage: dangjian [--db URL] user add USERNAME --name NAME --role ROLE --org CODE\n"
				"       dangjian [--db URL] user passwd USERNAME\n"
				"       dangjian [--db URL] user list\n"
				"\n"
				"The password is read from standard input (one line), so scripts can pipe it.\n"
				"ROLE is one of admin, committee, branch, member, grid, reviewer.\n"
				"CODE is an organisation code (see `user list` or the 组织架构 page).\n";

static const char *usage_demo = "usage: dangjian [--db URL] demo [--scale town|county|province] [OPTIONS]\n"
				"\n"
				"Creates the schema and fills an empty database with demo data, and prints\n"
				"logins (password " DEMO_PASSWORD " for every demo account):\n"
				"\n"
				"  --scale town       (default) the demo town 陈集镇: 32 organisations, 7 logins\n"
				"                     (one per role), ~600 members, 9 grids, 96 orders\n"
				"  --scale county     a generated county: 20 towns × 15 branches (villages,\n"
				"                     communities, schools, an enterprise, the 机关) with\n"
				"                     their 党小组, ~300,000 members, ~1,000 grids with ~44,000\n"
				"                     households, ~1,500 accounts, 1,000,000 orders over three\n"
				"                     years in every state with their history, notifications\n"
				"                     and audit rows; the last year's meetings (三会一课,\n"
				"                     红色七点半) with attendance and leave, decisions, volunteer\n"
				"                     service, theme days, micro-lessons and their orders,\n"
				"                     四议两公开, 两优一先, dues, and the points they earn\n"
				"                     (~7 GB on SQLite; tens of minutes to build)\n"
				"  --scale province   10 such counties: 200 towns, ~3,000,000 members,\n"
				"                     10,000,000 orders (~20 GB; about ten times a county)\n"
				"\n"
				"For county and province:\n"
				"  --towns N          towns per county (default 20)\n"
				"  --members N        members in all (default 15,000 a town)\n"
				"  --orders N         orders in all (default 50,000 a town)\n"
				"  --record-months N  months of meetings, decisions, volunteer service, theme\n"
				"                     days and dues, back from now (default 12; 36: the orders'\n"
				"                     three years, three times the rows and time of those)\n"
				"  --seed N           the generator's seed (default 20260101): the same seed and\n"
				"                     clock (DANGJIAN_NOW) give the same database\n"
				"  --via-rules        write every record through the domain functions instead of\n"
				"                     batched INSERTs (slow: to check the batched rows against)\n";

static const char *usage_init = "usage: dangjian [--db URL] init\n"
				"\n"
				"Creates the database if needed and applies every pending migration.\n";

static const char *usage_routes = "usage: dangjian routes [--nav]\n"
				  "\n"
				  "Prints the route table the server serves, merged from every module's record:\n"
				  "one route a line, tab-separated: METHOD, PATH, ROLES (role keys, or public),\n"
				  "MODULE, NAME. Fails when two modules declare the same route. Needs no database.\n"
				  "With --nav, the navigation instead: for each role (and public), its links in\n"
				  "the order they are shown (by group, then within it), one a line: ROLE, HREF,\n"
				  "LABEL, GROUP (the menu it is under: 常用 for a link of its own in the bar,\n"
				  "更多 for an entry that names no group).\n";

/* The navigation each role sees, as layout.c draws it from the modules' entries. */
static int cmd_nav(void)
{
	static const int roles[] = {R_ADMIN, R_COMMITTEE, R_BRANCH, R_MEMBER, R_GRID, R_REVIEWER, NAV_PUBLIC};
	size_t n;
	const struct nav_entry *const *items = nav_table(&n);
	for (size_t r = 0; r < sizeof roles / sizeof roles[0]; r++)
		for (size_t i = 0; i < n; i++)
			if (items[i]->roles & roles[r])
				printf("%s\t%s\t%s\t%s\n", roles[r] == NAV_PUBLIC ? "public" : role_key(roles[r]), items[i]->href, items[i]->label,
				       nav_group_label(items[i]->group));
	return 0;
}

static int cmd_routes(void)
{
	char err[256];
	const struct merged_routes *t = routes_table(err, sizeof err);
	if (!t) {
		fprintf(stderr, "dangjian: %s\n", err);
		return 1;
	}
	routes_print(t, stdout);
	return 0;
}

static const char *usage_backup = "usage: dangjian [--db URL] backup FILE\n"
				  "\n"
				  "Copies a SQLite database into FILE (which must not exist) with SQLite's online\n"
				  "backup API: the server may keep running, the copy is one consistent moment.\n"
				  "To restore, stop the server and copy FILE over the database file (or serve it\n"
				  "with --db FILE); `dangjian --db FILE check` checks a copy.\n"
				  "On PostgreSQL use pg_dump --format=custom and pg_restore instead.\n";

static const char *usage_check = "usage: dangjian [--db URL] check\n"
				 "\n"
				 "Runs the engine's integrity check and the application's own consistency\n"
				 "checks (org paths, accounts' organisations, the statistics' summary against a\n"
				 "recount of the orders, every differing row printed), and prints the number of\n"
				 "rows of every table (to compare a restored backup with its original). Exits 1\n"
				 "when anything is wrong.\n";

static int bad_usage(const char *msg, const char *usage)
{
	fprintf(stderr, "dangjian: %s\n\n%s", msg, usage);
	return 2;
}

static bool want_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

static db *open_migrated(const char *url)
{
	char err[512];
	db *d = db_open(url, err, sizeof err);
	if (!d) {
		fprintf(stderr, "dangjian: cannot open database: %s\n", err);
		return NULL;
	}
	if (db_migrate(d, err, sizeof err) < 0) {
		fprintf(stderr, "dangjian: %s\n", err);
		db_close(d);
		return NULL;
	}
	return d;
}

static bool parse_int_opt(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v = s ? strtol(s, &end, 10) : 0;
	if (!s || !*s || *end || v < lo || v > hi)
		return false;
	*out = (int)v;
	return true;
}

static int cmd_serve(const char *url, int argc, char **argv)
{
	struct serve_opts o = {url, "127.0.0.1", 8080, 4, 256, 30, "-", 10, 4000};
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		char msg[200];
		if (!strcmp(a, "--listen") && v)
			o.listen = v, i++;
		else if (!strcmp(a, "--port") && v) {
			if (!parse_int_opt(v, 1, 65535, &o.port))
				return snprintf(msg, sizeof msg, "--port: not a port number: %s", v), bad_usage(msg, usage_serve);
			i++;
		} else if (!strcmp(a, "--threads") && v) {
			if (!parse_int_opt(v, 1, 64, &o.threads))
				return snprintf(msg, sizeof msg, "--threads: want 1 to 64, got %s", v), bad_usage(msg, usage_serve);
			i++;
		} else if (!strcmp(a, "--per-ip-limit") && v) {
			if (!parse_int_opt(v, 0, 100000, &o.per_ip_limit))
				return snprintf(msg, sizeof msg, "--per-ip-limit: want 0 to 100000, got %s", v), bad_usage(msg, usage_serve);
			i++;
		} else if (!strcmp(a, "--idle-timeout") && v) {
			if (!parse_int_opt(v, 1, 3600, &o.idle_timeout))
				return snprintf(msg, sizeof msg, "--idle-timeout: want 1 to 3600 seconds, got %s", v), bad_usage(msg, usage_serve);
			i++;
		} else if (!strcmp(a, "--header-timeout") && v) {
			if (!parse_int_opt(v, 1, 3600, &o.header_timeout))
				return snprintf(msg, sizeof msg, "--header-timeout: want 1 to 3600 seconds, got %s", v), bad_usage(msg, usage_serve);
			i++;
		} else if (!strcmp(a, "--max-connections") && v) {
			if (!parse_int_opt(v, 16, 1000000, &o.max_connections))
				return snprintf(msg, sizeof msg, "--max-connections: want 16 to 1000000, got %s", v), bad_usage(msg, usage_serve);
			i++;
		} else if (!strcmp(a, "--access-log") && v)
			o.access_log = v, i++;
		else
			return snprintf(msg, sizeof msg, "serve: unknown or incomplete option %s", a), bad_usage(msg, usage_serve);
	}
	db *d = open_migrated(url);
	if (!d)
		return 1;
	settings_load(d);
	db_close(d);
	return serve_run(&o);
}

/* One line from stdin, without echo when it is a terminal. */
static bool read_password(char *out, size_t n)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	if (tty) {
		fprintf(stderr, "Password: ");
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	bool ok = fgets(out, (int)n, stdin) != NULL;
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (ok)
		out[strcspn(out, "\r\n")] = 0;
	return ok && *out;
}

static void user_line(const struct user *u, void *ctx)
{
	(void)ctx;
	printf("%-16s %-10s %-12s %-6s %s（%s）\n", u->username, u->role, u->org_code, u->active ? "yes" : "no", u->name, u->org_name);
}

static int cmd_user(const char *url, int argc, char **argv)
{
	if (argc < 1)
		return bad_usage("user: which action? add, passwd or list", usage_user);
	const char *action = argv[0];
	if (!strcmp(action, "list")) {
		if (argc != 1)
			return bad_usage("user list takes no arguments", usage_user);
		db *d = open_migrated(url);
		if (!d)
			return 1;
		struct actor cli;
		actor_cli(&cli);
		printf("%-16s %-10s %-10s %-12s %s\n", "USERNAME", "ROLE", "ORG", "ACTIVE", "NAME");
		int rc = users_each(d, &cli, user_line, NULL) == DJ_OK ? DB_OK : DB_ERR;
		db_close(d);
		return rc == DB_OK ? 0 : 1;
	}
	if (!strcmp(action, "add")) {
		const char *username = NULL, *name = NULL, *role = NULL, *org = NULL;
		for (int i = 1; i < argc; i++) {
			const char *v = i + 1 < argc ? argv[i + 1] : NULL;
			if (!strcmp(argv[i], "--name") && v)
				name = v, i++;
			else if (!strcmp(argv[i], "--role") && v)
				role = v, i++;
			else if (!strcmp(argv[i], "--org") && v)
				org = v, i++;
			else if (argv[i][0] != '-' && !username)
				username = argv[i];
			else {
				char msg[200];
				snprintf(msg, sizeof msg, "user add: unknown or incomplete argument %s", argv[i]);
				return bad_usage(msg, usage_user);
			}
		}
		if (!username || !name || !role || !org)
			return bad_usage("user add needs USERNAME, --name, --role and --org", usage_user);
		if (!role_from_key(role)) {
			char msg[200];
			snprintf(msg, sizeof msg, "user add: --role must be one of admin, committee, branch, member, grid, reviewer (got %s)", role);
			return bad_usage(msg, usage_user);
		}
		char pw[256];
		if (!read_password(pw, sizeof pw)) {
			fprintf(stderr, "dangjian: user add: no password on standard input\n");
			return 2;
		}
		db *d = open_migrated(url);
		if (!d)
			return 1;
		int64_t org_id = orgs_id_by_code(d, org);
		if (!org_id) {
			fprintf(stderr, "dangjian: user add: no organisation with code %s\n", org);
			db_close(d);
			return 1;
		}
		struct actor cli;
		actor_cli(&cli);
		struct field_errors e = {0};
		int64_t id = 0;
		enum dj_result res = db_begin(d, true) == DB_OK ? users_create(d, &cli, username, name, role, org_id, pw, &id, &e)
								: dj_fail(&e, DJ_DB_ERROR, "%s", db_errmsg(d));
		if (res != DJ_OK || db_commit(d) != DB_OK) {
			const char *why = res != DJ_OK ? dj_message(res, &e) : db_errmsg(d);
			fprintf(stderr, "dangjian: user add: %s\n", why);
			db_rollback(d);
			db_close(d);
			return 1;
		}
		printf("created user %s (id %lld)\n", username, (long long)id);
		db_close(d);
		return 0;
	}
	if (!strcmp(action, "passwd")) {
		if (argc != 2)
			return bad_usage("user passwd needs exactly one USERNAME", usage_user);
		char pw[256];
		if (!read_password(pw, sizeof pw)) {
			fprintf(stderr, "dangjian: user passwd: no password on standard input\n");
			return 2;
		}
		const char *weak = password_weak(pw);
		if (weak) {
			fprintf(stderr, "dangjian: user passwd: %s\n", weak);
			return 1;
		}
		db *d = open_migrated(url);
		if (!d)
			return 1;
		int64_t id = users_id_by_username(d, argv[1]);
		int rc = 1;
		if (!id)
			fprintf(stderr, "dangjian: user passwd: no user %s\n", argv[1]);
		else {
			struct actor cli;
			actor_cli(&cli);
			struct field_errors e = {0};
			enum dj_result res = db_begin(d, true) == DB_OK ? users_set_password(d, &cli, id, pw, &e)
									: dj_fail(&e, DJ_DB_ERROR, "%s", db_errmsg(d));
			if (res == DJ_OK && db_commit(d) == DB_OK) {
				printf("password of %s changed; its sessions were ended\n", argv[1]);
				rc = 0;
			} else {
				fprintf(stderr, "dangjian: user passwd: %s\n", res != DJ_OK ? dj_message(res, &e) : db_errmsg(d));
				db_rollback(d);
			}
		}
		db_close(d);
		return rc;
	}
	char msg[200];
	snprintf(msg, sizeof msg, "user: unknown action %s", action);
	return bad_usage(msg, usage_user);
}

static const char *usage_tick = "usage: dangjian [--db URL] tick [--now UNIX_SECONDS]\n"
				"\n"
				"Runs once the work `serve` does every minute: closes delivered orders that\n"
				"nobody answered within the configured days (销单). --now sets the clock, for\n"
				"tests and for catching up.\n";

static int cmd_tick(const char *url, int argc, char **argv)
{
	int64_t now = now_unix();
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--now") && i + 1 < argc) {
			char *end;
			long long v = strtoll(argv[++i], &end, 10);
			if (*end || v <= 0)
				return bad_usage("tick: --now wants Unix seconds", usage_tick);
			now = (int64_t)v;
		} else
			return bad_usage("tick: unknown argument", usage_tick);
	}
	db *d = open_migrated(url);
	if (!d)
		return 1;
	int total = 0, rc = modules_run_tasks(d, now, &total) ? 1 : 0;
	db_close(d);
	printf("tick: %d record(s) changed\n", total);
	return rc;
}

static const char *usage_config = "usage: dangjian [--db URL] config list\n"
				  "       dangjian [--db URL] config set KEY VALUE\n"
				  "\n"
				  "Settings of the site, e.g.:\n"
				  "  site_name                              the name in every page's header\n"
				  "  order_auto_close_days                  days before an unanswered delivered order is closed (7)\n"
				  "  request_timeout                        seconds a request may take before it is answered 503 (5; at restart)\n"
				  "  order_limit.URGENCY.accept|deliver     seconds to take / to deliver an order of that urgency\n"
				  "                                         (normal, urgent, complex)\n"
				  "  order_limit.KIND.URGENCY.accept|deliver  the same for one kind (need, wish, proxy_medical, …)\n";

static int cmd_config(const char *url, int argc, char **argv)
{
	if (argc == 1 && !strcmp(argv[0], "list")) {
		db *d = open_migrated(url);
		if (!d)
			return 1;
		db_stmt *s = db_query(d, "SELECT key, value FROM settings ORDER BY key", "");
		while (db_next(s))
			printf("%s=%s\n", db_str(s, 0), db_str(s, 1));
		int rc = db_done(s);
		db_close(d);
		return rc == DB_OK ? 0 : 1;
	}
	if (argc != 3 || strcmp(argv[0], "set"))
		return bad_usage("config: list, or set KEY VALUE", usage_config);
	const char *key = argv[1], *value = argv[2];
	struct field_errors e = {0};
	/* checked before the database is opened, so a mistyped command creates nothing */
	enum dj_result res = settings_check(key, value, &e);
	if (res != DJ_OK) {
		char msg[300];
		snprintf(msg, sizeof msg, "config set: %s", dj_message(res, &e));
		return bad_usage(msg, usage_config);
	}
	db *d = open_migrated(url);
	if (!d)
		return 1;
	struct actor cli;
	actor_cli(&cli);
	res = db_begin(d, true) == DB_OK ? settings_set(d, &cli, key, value, &e) : dj_fail(&e, DJ_DB_ERROR, "%s", db_errmsg(d));
	if (res != DJ_OK || db_commit(d) != DB_OK) {
		fprintf(stderr, "dangjian: config set: %s\n", res != DJ_OK ? dj_message(res, &e) : db_errmsg(d));
		db_rollback(d);
		db_close(d);
		return 1;
	}
	db_close(d);
	printf("%s=%s\n", key, value);
	return 0;
}

static int cmd_backup(const char *url, const char *file)
{
	const char *path = !strncmp(url, "sqlite:", 7) ? url + 7 : url;
	if (strncmp(url, "postgres", 8) && access(path, F_OK) != 0) {
		/* opening would create an empty database and back that up */
		fprintf(stderr, "dangjian: backup: no database at %s\n", path);
		return 1;
	}
	char err[1024];
	db *d = db_open(url, err, sizeof err);
	if (!d) {
		fprintf(stderr, "dangjian: cannot open database: %s\n", err);
		return 1;
	}
	int rc = db_backup(d, file, err, sizeof err);
	db_close(d);
	if (rc != DB_OK) {
		fprintf(stderr, "dangjian: backup: %s\n", err);
		return 1;
	}
	printf("backup written: %s\n", file);
	return 0;
}

static int cmd_check(const char *url)
{
	db *d = open_migrated(url);
	if (!d)
		return 1;
	char msg[4096];
	int problems = 0;
	if (db_integrity(d, msg, sizeof msg) != DB_OK) {
		printf("engine: %s\n", msg);
		problems++;
	} else
		printf("engine integrity: ok\n");
	/* An org's path must be its parent's path plus its own id. */
	db_stmt *s = db_query(d, "SELECT o.code, o.path, p.path, o.id FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id", "");
	int64_t orgs = 0;
	while (db_next(s)) {
		char want[320];
		snprintf(want, sizeof want, "%s%lld/", db_isnull(s, 2) ? "/" : db_str(s, 2), (long long)db_int(s, 3));
		if (strcmp(want, db_str(s, 1))) {
			printf("org %s: path %s should be %s\n", db_str(s, 0), db_str(s, 1), want);
			problems++;
		}
		orgs++;
	}
	db_done(s);
	/* every table's rows, by name: a restored backup prints the same lines */
	s = db_query(d,
		     db_kind(d) == DB_SQLITE ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
					     : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
					       "AND table_type = 'BASE TABLE' ORDER BY table_name",
		     "");
	/* as many as there are: every mechanism adds its own (a fixed 64 once
	 * left the orders out of a restored backup's comparison) */
	char(*tables)[64] = NULL;
	size_t ntables = 0, cap = 0;
	while (db_next(s)) {
		const char *name = db_str(s, 0);
		if (strlen(name) >= 64 || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(name))
			continue;
		if (ntables == cap) {
			void *grown = realloc(tables, (cap = cap ? 2 * cap : 64) * sizeof *tables);
			if (!grown)
				break;
			tables = grown;
		}
		snprintf(tables[ntables++], sizeof tables[0], "%s", name);
	}
	db_done(s);
	for (size_t t = 0; t < ntables; t++) {
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %.63s", tables[t]);
		printf("rows %s: %lld\n", tables[t], (long long)db_int1(d, -1, sql, ""));
	}
	free(tables);
	int64_t admins = db_int1(d, 0, "SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1", "");
	printf("organisations: %lld, active admins: %lld\n", (long long)orgs, (long long)admins);
	if (orgs > 0 && admins == 0) {
		printf("no active admin account: create one with `dangjian user add`\n");
		problems++;
	}
	/* The statistics' summary (issue 9 §2) against a recount from the orders. */
	int diffs = order_summary_check(d, stdout);
	if (diffs < 0)
		problems++;
	else if (diffs > 0) {
		printf("order summary: %d (org, day, kind) row(s) differ from a recount of the orders\n", diffs);
		problems += diffs;
	} else
		printf("order summary: equal to a recount of the orders (the daily rows, the subtree rollups, the histogram of times to close)\n");
	/* the points' totals (issue 11) against a recount from the ledger */
	diffs = points_totals_check(d, stdout);
	if (diffs < 0)
		problems++;
	else if (diffs > 0) {
		printf("points totals: %d row(s) differ from a recount of the ledger\n", diffs);
		problems += diffs;
	} else
		printf("points totals: equal to a recount of the ledger\n");
	/* the roster's counts per org (migration 043) against a recount of the members */
	diffs = member_counts_check(d, stdout);
	if (diffs < 0)
		problems++;
	else if (diffs > 0) {
		printf("member counts: %d org(s) differ from a recount of the members\n", diffs);
		problems += diffs;
	} else
		printf("member counts: equal to a recount of the members\n");
	db_close(d);
	printf(problems ? "%d problem(s) found\n" : "ok\n", problems);
	return problems ? 1 : 0;
}

/* ---- import (issue 3): `dangjian import members FILE --org CODE [--dry-run]` ---- */
static const char *usage_import = "usage: dangjian [--db URL] import members FILE [--org CODE] [--dry-run]\n"
				  "\n"
				  "Imports a member roster (花名册) from an .xlsx workbook (its first sheet) or a\n"
				  "CSV file in UTF-8 (with or without BOM) or GBK. Row 1 is the header: 姓名,\n"
				  "身份证号 and 入党日期 are required; 性别, 民族, 出生日期, 学历, 手机号, 住址,\n"
				  "转正日期, 党员类别, 党籍状态, 组织编码, 在职党员, 报到社区, 职务 are optional.\n"
				  "Every row is checked first; if any row is bad, the report lists each problem\n"
				  "(row, column, reason), nothing is imported and the exit status is 1.\n"
				  "Otherwise all rows are imported in one transaction.\n"
				  "\n"
				  "  --org CODE   the 党支部 or 党小组 for rows without a 组织编码\n"
				  "  --dry-run    check and report only; write nothing\n";

static const char *usage_export = "usage: dangjian [--db URL] export members --org CODE FILE.xlsx [--masked]\n"
				  "\n"
				  "Writes the roster (花名册) of the organisation CODE and everything under it\n"
				  "to FILE.xlsx, one member a row, with the columns the importer reads. The\n"
				  "command line is the operator's: ID and phone numbers are written in full\n"
				  "unless --masked is given.\n";

static int cmd_export(const char *url, int argc, char **argv)
{
	if (argc < 1 || strcmp(argv[0], "members"))
		return bad_usage("export: what to export? only `members` for now", usage_export);
	const char *org = NULL, *file = NULL;
	bool masked = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--org") && i + 1 < argc)
			org = argv[++i];
		else if (!strcmp(argv[i], "--masked"))
			masked = true;
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else {
			char msg[200];
			snprintf(msg, sizeof msg, "export members: unknown or incomplete argument %s", argv[i]);
			return bad_usage(msg, usage_export);
		}
	}
	if (!org || !file)
		return bad_usage("export members needs --org CODE and FILE.xlsx", usage_export);
	db *d = open_migrated(url);
	if (!d)
		return 1;
	int64_t org_id = db_int1(d, 0, "SELECT id FROM orgs WHERE code = ?", "t", org);
	if (!org_id) {
		fprintf(stderr, "dangjian: export members: no organisation with code %s\n", org);
		db_close(d);
		return 1;
	}
	/* the operator's export is audited as the console's is, as 'cli' */
	struct actor a;
	actor_cli(&a);
	struct field_errors e = {0};
	int rows = 0;
	enum dj_result res = db_begin(d, true) == DB_OK ? export_members(d, &a, org_id, masked, file, &rows, &e)
							: dj_fail(&e, DJ_DB_ERROR, "%s", db_errmsg(d));
	if (res == DJ_OK && db_commit(d) != DB_OK) {
		res = dj_fail(&e, DJ_DB_ERROR, "%s", db_errmsg(d));
		unlink(file);
	}
	if (res != DJ_OK)
		db_rollback(d);
	db_close(d);
	if (res != DJ_OK) {
		fprintf(stderr, "dangjian: export members: %s\n", dj_message(res, &e));
		return 1;
	}
	printf("exported %d members of %s to %s%s\n", rows, org, file, masked ? " (masked)" : "");
	return 0;
}

static int cmd_import(const char *url, int argc, char **argv)
{
	const char *what = NULL, *file = NULL, *org = NULL;
	bool dry = false;
	for (int i = 0; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(argv[i], "--org") && v)
			org = v, i++;
		else if (!strcmp(argv[i], "--dry-run"))
			dry = true;
		else if (argv[i][0] != '-' && !what)
			what = argv[i];
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else {
			char msg[200];
			snprintf(msg, sizeof msg, "import: unknown or incomplete argument %s", argv[i]);
			return bad_usage(msg, usage_import);
		}
	}
	if (!what || strcmp(what, "members"))
		return bad_usage("import: what to import? only `members` for now", usage_import);
	if (!file)
		return bad_usage("import members needs a FILE", usage_import);
	db *d = open_migrated(url);
	if (!d)
		return 1;
	int rc = import_cli(d, file, org, dry, stdout);
	db_close(d);
	return rc;
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fprintf(stderr, "dangjian: libsodium failed to start\n");
		return 1;
	}
	const char *url = getenv("DANGJIAN_DB");
	if (!url || !*url)
		url = "dangjian.db";
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--version")) {
			printf("dangjian %s\n", DJ_VERSION);
			return 0;
		}
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage_main, stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			url = argv[++i];
		else {
			char msg[200];
			snprintf(msg, sizeof msg, "unknown option %s", argv[i]);
			return bad_usage(msg, usage_main);
		}
	}
	if (i >= argc)
		return bad_usage("which command?", usage_main);
	const char *cmd = argv[i++];
	int rest = argc - i;
	char **rv = argv + i;
	/* --db may also follow the command */
	for (int k = 0; k + 1 < rest; k++)
		if (!strcmp(rv[k], "--db")) {
			url = rv[k + 1];
			memmove(rv + k, rv + k + 2, (size_t)(rest - k - 2) * sizeof *rv);
			rest -= 2;
			break;
		}
	if (!strcmp(cmd, "serve"))
		return want_help(rest, rv) ? (fputs(usage_serve, stdout), 0) : cmd_serve(url, rest, rv);
	if (!strcmp(cmd, "user"))
		return want_help(rest, rv) ? (fputs(usage_user, stdout), 0) : cmd_user(url, rest, rv);
	if (!strcmp(cmd, "init")) {
		if (want_help(rest, rv))
			return fputs(usage_init, stdout), 0;
		if (rest)
			return bad_usage("init takes no arguments", usage_init);
		db *d = open_migrated(url);
		if (!d)
			return 1;
		db_close(d);
		printf("database ready: %s\n", strncmp(url, "postgres", 8) ? url : "postgresql");
		return 0;
	}
	if (!strcmp(cmd, "demo")) {
		if (want_help(rest, rv))
			return fputs(usage_demo, stdout), 0;
		struct demo_opts o;
		const char *scale = "town";
		bool town = true;
		for (int k = 0; k < rest; k++) {
			const char *a = rv[k], *v = k + 1 < rest ? rv[k + 1] : NULL;
			if (!strcmp(a, "--scale") && v) {
				scale = v, k++;
				if (strcmp(scale, "town") && demo_scale_opts(scale, &o) != 0)
					return bad_usage("--scale is town, county or province", usage_demo);
				town = !strcmp(scale, "town");
			} else if (!town && !strcmp(a, "--via-rules"))
				o.via_rules = true;
			else if (!town && v &&
				 (!strcmp(a, "--towns") || !strcmp(a, "--members") || !strcmp(a, "--orders") || !strcmp(a, "--seed") ||
				  !strcmp(a, "--record-months"))) {
				char *end;
				long long n = strtoll(v, &end, 10);
				if (*end || n < (strcmp(a, "--seed") ? 1 : 0) || (!strcmp(a, "--towns") && n > 99) ||
				    (!strcmp(a, "--record-months") && n > 120))
					return bad_usage("expected a positive number (towns: at most 99; record months: at most 120)", usage_demo);
				if (!strcmp(a, "--towns"))
					o.towns = (int)n;
				else if (!strcmp(a, "--members"))
					o.members = n;
				else if (!strcmp(a, "--orders"))
					o.orders = n;
				else if (!strcmp(a, "--record-months"))
					o.record_months = (int)n;
				else
					o.seed = n;
				k++;
			} else
				return bad_usage(town ? "the demo town takes no options but --scale (give --scale first)" : "unknown option", usage_demo);
		}
		db *d = open_migrated(url);
		if (!d)
			return 1;
		int rc = town ? demo_fill(d, stdout) : demo_fill_scale(d, &o, stdout);
		db_close(d);
		return rc;
	}
	if (!strcmp(cmd, "config"))
		return want_help(rest, rv) ? (fputs(usage_config, stdout), 0) : cmd_config(url, rest, rv);
	if (!strcmp(cmd, "tick"))
		return want_help(rest, rv) ? (fputs(usage_tick, stdout), 0) : cmd_tick(url, rest, rv);
	if (!strcmp(cmd, "export"))
		return want_help(rest, rv) ? (fputs(usage_export, stdout), 0) : cmd_export(url, rest, rv);
	if (!strcmp(cmd, "import"))
		return want_help(rest, rv) ? (fputs(usage_import, stdout), 0) : cmd_import(url, rest, rv);
	if (!strcmp(cmd, "routes")) {
		if (want_help(rest, rv))
			return fputs(usage_routes, stdout), 0;
		if (rest == 1 && !strcmp(rv[0], "--nav"))
			return cmd_nav();
		if (rest)
			return bad_usage("routes takes no arguments but --nav", usage_routes);
		return cmd_routes();
	}
	if (!strcmp(cmd, "backup")) {
		if (want_help(rest, rv))
			return fputs(usage_backup, stdout), 0;
		if (rest != 1)
			return bad_usage("backup needs exactly one FILE", usage_backup);
		return cmd_backup(url, rv[0]);
	}
	if (!strcmp(cmd, "check")) {
		if (want_help(rest, rv))
			return fputs(usage_check, stdout), 0;
		if (rest)
			return bad_usage("check takes no arguments", usage_check);
		return cmd_check(url);
	}
	char msg[200];
	snprintf(msg, sizeof msg, "unknown command %s", cmd);
	return bad_usage(msg, usage_main);
}
