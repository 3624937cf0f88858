/* settings — a few site-wide values kept in the settings table: the site's
 * name, the time limits of orders (SPEC M3), the /metrics token, where
 * backups go. Set by `dangjian config set` or the settings page
 * (settings_web.c); the backups of the database are made here too. */
#include "settings.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "orders.h"
#include "util.h"

const struct permission perm_setting_set = {"setting.set", "修改站点设置", R_ADMIN};
const struct permission perm_backup_run = {"backup.run", "备份数据库、查看备份", R_ADMIN};

static char g_site_name[128] = "党建工作平台";
static int g_request_timeout = 5; /* seconds */
static atomic_uint g_generation;

unsigned settings_generation(void) { return atomic_load(&g_generation); }

void settings_load(db *d)
{
	db_stmt *s = db_query(d, "SELECT key, value FROM settings WHERE key IN ('site_name', 'request_timeout')", "");
	while (db_next(s))
		if (!strcmp(db_str(s, 0), "site_name"))
			snprintf(g_site_name, sizeof g_site_name, "%s", db_str(s, 1));
		else
			g_request_timeout = atoi(db_str(s, 1)) > 0 ? atoi(db_str(s, 1)) : 5;
	db_done(s);
}

const char *settings_site_name(void) { return g_site_name; }
int settings_request_timeout(void) { return g_request_timeout; }

bool settings_metrics_token(db *d, char *out, size_t outlen)
{
	*out = 0;
	db_stmt *s = db_query(d, "SELECT value FROM settings WHERE key = 'metrics_token'", "");
	if (db_next(s))
		snprintf(out, outlen, "%s", db_str(s, 0));
	db_done(s);
	return *out != 0;
}

/* ---- the list of settings ---- */

static const char *const urgencies[] = {"normal", "一般", "urgent", "紧急", "complex", "较复杂", NULL};
/* the defaults of order_limit() in orders.c, in hours: accept, deliver */
static const int default_hours[][2] = {{24, 7 * 24}, {1, 24}, {24, 15 * 24}};

void settings_each_def(void (*fn)(const struct setting_def *s, void *ctx), void *ctx)
{
	struct setting_def d;
	memset(&d, 0, sizeof d);
	d = (struct setting_def){"site_name", "site_name", "站点", "站点名称（每页页头）", SU_TEXT, "党建工作平台"};
	fn(&d, ctx);
	for (int u = 0; urgencies[u]; u += 2)
		for (int step = 0; step < 2; step++) {
			snprintf(d.key, sizeof d.key, "order_limit.%s.%s", urgencies[u], step ? "deliver" : "accept");
			snprintf(d.field, sizeof d.field, "%.8s.%s", urgencies[u], step ? "deliver" : "accept"); /* the key without order_limit. */
			d.group = "诉求办理时限（小时）";
			snprintf(d.label, sizeof d.label, "%s诉求：%s", urgencies[u + 1], step ? "接单后办结送单" : "点单后接单");
			d.unit = SU_HOURS;
			snprintf(d.dflt, sizeof d.dflt, "%d", default_hours[u / 2][step]);
			fn(&d, ctx);
		}
	for (const char *const *k = order_kinds; *k; k += 2)
		for (int u = 0; urgencies[u]; u += 2)
			for (int step = 0; step < 2; step++) {
				snprintf(d.key, sizeof d.key, "order_limit.%s.%s.%s", k[0], urgencies[u], step ? "deliver" : "accept");
				snprintf(d.field, sizeof d.field, "%.14s.%.7s.%s", k[0], urgencies[u], step ? "deliver" : "accept");
				d.group = "按诉求类型的时限（小时，留空则按紧急程度）";
				snprintf(d.label, sizeof d.label, "%s · %s：%s", k[1], urgencies[u + 1], step ? "办结送单" : "接单");
				d.unit = SU_HOURS;
				snprintf(d.dflt, sizeof d.dflt, "同上");
				fn(&d, ctx);
			}
	d = (struct setting_def){
		"order_auto_close_days", "order_auto_close_days", "诉求办理时限（小时）", "送单后群众未评价，自动销单（天）", SU_DAYS, "7"};
	fn(&d, ctx);
	d = (struct setting_def){"metrics_token", "metrics_token",     "运行监控", "/metrics 访问令牌（16–200 位，留空不变）",
				 SU_SECRET,       "未设置：仅本机可读"};
	fn(&d, ctx);
	d = (struct setting_def){"backup_dir", "backup_dir", "备份", "备份目录（绝对路径）", SU_PATH, "数据库文件旁的 backups 目录"};
	fn(&d, ctx);
	d = (struct setting_def){"request_timeout", "request_timeout", "运行监控", "单个请求最长处理时间（秒，1–600，重启后生效）", SU_TEXT, "5"};
	fn(&d, ctx);
}

struct find_ctx {
	const char *key;
	struct setting_def def;
	bool found;
};
static void find_def(const struct setting_def *s, void *ctx)
{
	struct find_ctx *f = ctx;
	if (!f->found && !strcmp(s->key, f->key)) {
		f->def = *s;
		f->found = true;
	}
}
static bool setting_find(const char *key, struct setting_def *out)
{
	struct find_ctx f = {key, {{0}, {0}, NULL, {0}, SU_TEXT, {0}}, false};
	if (key)
		settings_each_def(find_def, &f);
	if (f.found)
		*out = f.def;
	return f.found;
}

enum dj_result settings_check(const char *key, const char *value, struct field_errors *e)
{
	if (!key || !value) {
		ferr_add(e, key ? "value" : "key", "请提供设置项和值");
		return DJ_INVALID;
	}
	struct setting_def def;
	if (!setting_find(key, &def)) {
		ferr_add(e, "key", "没有这个设置项：%.60s", key);
		return DJ_INVALID;
	}
	/* the time limits are counted in seconds (or days), read by orders.c */
	if (!strcmp(key, "request_timeout")) { /* seconds a request may take (issue 9 §5), read by serve at start */
		char *end;
		long long v = strtoll(value, &end, 10);
		if (!*value || *end || v < 1 || v > 600) {
			ferr_add(e, "value", "request_timeout 应为 1 到 600 之间的整数（秒）");
			return DJ_INVALID;
		}
		return DJ_OK;
	}
	if (def.unit == SU_HOURS || def.unit == SU_DAYS) {
		char *end;
		long long v = strtoll(value, &end, 10);
		if (!*value || *end || v <= 0 || (def.unit == SU_DAYS && v > 365) || v > 366LL * 86400) {
			ferr_add(e, "value", def.unit == SU_DAYS ? "%.60s 应为 1 到 365 的整数" : "%.60s 应为正整数（秒，最多一年）", key);
			return DJ_INVALID;
		}
	} else if (def.unit == SU_SECRET) {
		/* sent by a scraper as Authorization: Bearer …; "" turns it off */
		size_t n = strlen(value);
		bool ok = n == 0 || (n >= 16 && n <= 200);
		for (const char *c = value; ok && *c; c++)
			ok = *c > ' ' && *c < 0x7f;
		if (!ok) {
			ferr_add(e, "value", "metrics_token 应为 16 到 200 个可见 ASCII 字符（不含空格），或为空以关闭");
			return DJ_INVALID;
		}
	} else if (def.unit == SU_PATH) {
		bool ok = value[0] == '/' && strlen(value) <= 300;
		for (const char *c = value; ok && *c; c++)
			ok = (unsigned char)*c >= ' ' && *c != 0x7f;
		if (!ok) {
			ferr_add(e, "value", "备份目录应为绝对路径（以 / 开头，300 字符以内）");
			return DJ_INVALID;
		}
	} else if (!*value || !utf8_valid(value) || utf8_len(value) > 40) {
		ferr_add(e, "value", "站点名称应为 1 到 40 个字");
		return DJ_INVALID;
	}
	return DJ_OK;
}

enum dj_result settings_set(db *d, const struct actor *a, const char *key, const char *value, struct field_errors *e)
{
	if (!permission_allows(&perm_setting_set, a))
		return dj_fail(e, DJ_FORBIDDEN, "无权修改站点设置");
	enum dj_result res = settings_check(key, value, e);
	if (res != DJ_OK)
		return res;
	char sum[400];
	/* the secret itself never goes into the audit log */
	snprintf(sum, sizeof sum, "%s = %s", key, strcmp(key, "metrics_token") ? value : *value ? "（已设置）" : "（已关闭）");
	if (db_run(d, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", "tt", key, value) !=
		    DB_OK ||
	    audit_write(d, a, "setting.set", "setting", 0, 0, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败：%s", db_errmsg(d));
	atomic_fetch_add(&g_generation, 1);
	if (!strcmp(key, "site_name"))
		snprintf(g_site_name, sizeof g_site_name, "%s", value);
	return DJ_OK;
}

static bool stored(db *d, const char *key, char *out, size_t outlen)
{
	*out = 0;
	bool found = false;
	db_stmt *s = db_query(d, "SELECT value FROM settings WHERE key = ?", "t", key);
	if (db_next(s)) {
		snprintf(out, outlen, "%s", db_str(s, 0));
		found = true;
	}
	db_done(s);
	return found;
}

void settings_display(db *d, const struct setting_def *s, char *out, size_t outlen)
{
	char v[400];
	if (!stored(d, s->key, v, sizeof v)) {
		*out = 0;
		return;
	}
	if (s->unit == SU_HOURS) {
		long long sec = strtoll(v, NULL, 10);
		if (sec % 3600 == 0)
			snprintf(out, outlen, "%lld", sec / 3600);
		else
			snprintf(out, outlen, "%.2f", (double)sec / 3600);
	} else if (s->unit == SU_SECRET)
		snprintf(out, outlen, "%s", *v ? "set" : "");
	else
		snprintf(out, outlen, "%s", v);
}

/* Hours as typed ("24", "0.5") into seconds; 0 when it is not a positive
 * number of at most a year with at most two decimals. */
static long long hours_to_seconds(const char *v)
{
	if (!*v || strspn(v, "0123456789.") != strlen(v))
		return 0;
	const char *dot = strchr(v, '.');
	if (dot && (strchr(dot + 1, '.') || strlen(dot + 1) > 2 || dot == v))
		return 0;
	double h = strtod(v, NULL);
	if (!(h > 0) || h > 366 * 24)
		return 0;
	long long sec = llround(h * 3600);
	return sec > 0 ? sec : 0;
}

struct save_ctx {
	db *d;
	const struct actor *a;
	const char *(*value)(void *ctx, const char *key);
	void *vctx;
	bool clear_secret, write;
	int changed;
	struct field_errors *e;
	bool failed;
};

static void save_one(const struct setting_def *s, void *ctx)
{
	struct save_ctx *c = ctx;
	if (c->failed)
		return;
	const char *typed = c->value(c->vctx, s->field);
	if (s->unit == SU_SECRET && c->clear_secret)
		typed = "";
	else if (s->unit == SU_SECRET && typed && !*typed)
		typed = NULL; /* left empty: unchanged */
	if (!typed)
		return;
	char buf[64], v[420];
	snprintf(v, sizeof v, "%s", typed);
	str_trim(v);
	const char *want = v; /* what goes into the table; "" removes the row */
	if (s->unit == SU_HOURS && *v) {
		long long sec = hours_to_seconds(v);
		if (!sec) {
			ferr_add(c->e, s->field, "%s：应为大于 0 的小时数（最多两位小数，不超过一年）", s->label);
			return;
		}
		snprintf(buf, sizeof buf, "%lld", sec);
		want = buf;
	}
	if (*want && s->unit != SU_SECRET) {
		struct field_errors one = {0};
		if (settings_check(s->key, want, &one) != DJ_OK) {
			ferr_add(c->e, s->field, "%s：%s", s->label, one.n ? one.e[0].msg : "无效");
			return;
		}
	} else if (s->unit == SU_SECRET && *want) {
		struct field_errors one = {0};
		if (settings_check(s->key, want, &one) != DJ_OK) {
			ferr_add(c->e, s->field, "%s", one.n ? one.e[0].msg : "无效");
			return;
		}
	}
	if (!c->write)
		return;
	char cur[420];
	bool has = stored(c->d, s->key, cur, sizeof cur);
	if (*want ? has && !strcmp(cur, want) : !has)
		return; /* unchanged */
	if (*want || s->unit == SU_SECRET) {
		if (settings_set(c->d, c->a, s->key, want, c->e) != DJ_OK)
			c->failed = true;
	} else if (atomic_fetch_add(&g_generation, 1), db_run(c->d, "DELETE FROM settings WHERE key = ?", "t", s->key) != DB_OK ||
							       audit_write(c->d, c->a, "setting.clear", "setting", 0, 0, s->key) != DB_OK) {
		dj_fail(c->e, DJ_DB_ERROR, "保存失败：%s", db_errmsg(c->d));
		c->failed = true;
	} else if (!strcmp(s->key, "site_name"))
		snprintf(g_site_name, sizeof g_site_name, "%s", s->dflt);
	c->changed += !c->failed;
}

enum dj_result settings_save(db *d, const struct actor *a, const char *(*value)(void *ctx, const char *key), void *ctx, bool clear_secret, int *changed,
			     struct field_errors *e)
{
	*changed = 0;
	if (!permission_allows(&perm_setting_set, a))
		return dj_fail(e, DJ_FORBIDDEN, "无权修改站点设置");
	struct save_ctx c = {d, a, value, ctx, clear_secret, false, 0, e, false};
	int errors = e->n;
	settings_each_def(save_one, &c); /* every field checked before anything is written */
	if (e->n > errors)
		return DJ_INVALID;
	c.write = true;
	settings_each_def(save_one, &c);
	if (c.failed)
		return e->n > errors ? DJ_DB_ERROR : dj_fail(e, DJ_DB_ERROR, "保存失败");
	*changed = c.changed;
	return DJ_OK;
}

/* ---- backups ---- */

enum dj_result backup_dir(db *d, char *out, size_t outlen, struct field_errors *e)
{
	if (db_kind(d) != DB_SQLITE)
		return dj_fail(e, DJ_CONFLICT,
			       "本站使用 PostgreSQL 数据库，请在服务器上用 pg_dump 备份（例如 pg_dump --format=custom），用 pg_restore 恢复");
	if (stored(d, "backup_dir", out, outlen) && *out)
		return DJ_OK;
	char file[1024] = "";
	db_stmt *s = db_query(d, "SELECT file FROM pragma_database_list WHERE name = 'main'", "");
	if (db_next(s))
		snprintf(file, sizeof file, "%s", db_str(s, 0));
	db_done(s);
	if (!*file)
		return dj_fail(e, DJ_CONFLICT, "内存数据库无法备份到目录，请设置备份目录");
	char *slash = strrchr(file, '/');
	if (slash)
		slash[1] = 0;
	else
		snprintf(file, sizeof file, "./");
	snprintf(out, outlen, "%sbackups", file);
	return DJ_OK;
}

enum dj_result backup_run(db *d, const struct actor *a, int64_t now, char *name, size_t namelen, struct field_errors *e)
{
	*name = 0;
	if (!permission_allows(&perm_backup_run, a))
		return dj_fail(e, DJ_FORBIDDEN, "无权备份数据库");
	char dir[400];
	enum dj_result res = backup_dir(d, dir, sizeof dir, e);
	if (res != DJ_OK)
		return res;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return dj_fail(e, DJ_CONFLICT, "无法创建备份目录 %s：%s", dir, strerror(errno));
	time_t t = (time_t)(now + 8 * 3600); /* named in Beijing time, as every page shows times */
	struct tm tm;
	gmtime_r(&t, &tm);
	char path[600], err[1024];
	for (int n = 1; n < 100; n++) {
		char stamp[40];
		strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
		if (n == 1)
			snprintf(name, namelen, "dangjian-%s.db", stamp);
		else
			snprintf(name, namelen, "dangjian-%s-%d.db", stamp, n);
		snprintf(path, sizeof path, "%s/%s", dir, name);
		struct stat st;
		if (stat(path, &st) != 0)
			break;
	}
	if (db_backup(d, path, err, sizeof err) != DB_OK)
		return dj_fail(e, DJ_CONFLICT, "备份失败：%s", err);
	char sum[700];
	snprintf(sum, sizeof sum, "%s", path);
	if (audit_write(d, a, "backup.create", "backup", 0, 0, sum) != DB_OK) {
		unlink(path); /* the request rolls back: no backup without its record */
		return dj_fail(e, DJ_DB_ERROR, "保存失败：%s", db_errmsg(d));
	}
	return DJ_OK;
}

static int newest_first(const void *x, const void *y)
{
	const struct backup_file *a = x, *b = y;
	return a->mtime != b->mtime ? (a->mtime < b->mtime ? 1 : -1) : strcmp(b->name, a->name);
}

enum dj_result backups_each(db *d, const struct actor *a, void (*fn)(const struct backup_file *b, void *ctx), void *ctx, struct field_errors *e)
{
	if (!permission_allows(&perm_backup_run, a))
		return dj_fail(e, DJ_FORBIDDEN, "无权查看备份");
	char dir[400];
	enum dj_result res = backup_dir(d, dir, sizeof dir, e);
	if (res != DJ_OK)
		return res;
	DIR *dh = opendir(dir);
	if (!dh)
		return DJ_OK; /* no backup made yet */
	struct backup_file *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(dh))) {
		size_t l = strlen(de->d_name);
		if (strncmp(de->d_name, "dangjian-", 9) || l < 12 || strcmp(de->d_name + l - 3, ".db") || l >= sizeof v->name)
			continue;
		char path[700];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		struct stat st;
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			struct backup_file *nv = realloc(v, cap * sizeof *v);
			if (!nv)
				break;
			v = nv;
		}
		memcpy(v[n].name, de->d_name, l + 1); /* l < sizeof name, checked above */
		v[n].size = (int64_t)st.st_size;
		v[n].mtime = (int64_t)st.st_mtime;
		n++;
	}
	closedir(dh);
	if (n)
		qsort(v, n, sizeof *v, newest_first);
	for (size_t i = 0; i < n; i++)
		fn(&v[i], ctx);
	free(v);
	return DJ_OK;
}
