/* settings — a few site-wide values kept in the settings table: the site's
 * name and the time limits of orders (SPEC M3). Set by `dangjian config set`. */
#include "settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"

const struct permission perm_setting_set = {"setting.set", "修改站点设置", R_ADMIN};

static char g_site_name[128] = "党建工作平台";
static int g_request_timeout = 5; /* seconds */

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

enum dj_result settings_check(const char *key, const char *value, struct field_errors *e)
{
	if (!key || !value) {
		ferr_add(e, key ? "value" : "key", "请提供设置项和值");
		return DJ_INVALID;
	}
	/* the time limits are counted in seconds (or days), read by orders.c */
	bool numeric = !strncmp(key, "order_limit.", 12) || !strcmp(key, "order_auto_close_days");
	if (!strcmp(key, "request_timeout")) { /* seconds a request may take (issue 9 §5), read by serve at start */
		char *end;
		long long v = strtoll(value, &end, 10);
		if (!*value || *end || v < 1 || v > 600) {
			ferr_add(e, "value", "request_timeout 应为 1 到 600 之间的整数（秒）");
			return DJ_INVALID;
		}
		return DJ_OK;
	}
	if (numeric) {
		char *end;
		long long v = strtoll(value, &end, 10);
		if (!*value || *end || v <= 0) {
			ferr_add(e, "value", "%.60s 应为正整数", key);
			return DJ_INVALID;
		}
	} else if (!strcmp(key, "metrics_token")) {
		/* sent by a scraper as Authorization: Bearer …; "" turns it off */
		size_t n = strlen(value);
		bool ok = n == 0 || (n >= 16 && n <= 200);
		for (const char *c = value; ok && *c; c++)
			ok = *c > ' ' && *c < 0x7f;
		if (!ok) {
			ferr_add(e, "value", "metrics_token 应为 16 到 200 个可见 ASCII 字符（不含空格），或为空以关闭");
			return DJ_INVALID;
		}
	} else if (strcmp(key, "site_name")) {
		ferr_add(e, "key", "没有这个设置项：%.60s", key);
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
	if (db_run(d, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", "tt", key, value) !=
		    DB_OK ||
	    audit_write(d, a, "setting.set", "setting", 0, 0, key) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "保存失败：%s", db_errmsg(d));
	return DJ_OK;
}
