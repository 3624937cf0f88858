#include "settings.h"

#include <stdio.h>

static char g_site_name[128] = "党建工作平台";

void settings_load(db *d)
{
	db_stmt *s = db_query(d, "SELECT value FROM settings WHERE key = 'site_name'", "");
	if (db_next(s))
		snprintf(g_site_name, sizeof g_site_name, "%s", db_str(s, 0));
	db_done(s);
}

const char *settings_site_name(void) { return g_site_name; }

int settings_set(db *d, const char *key, const char *value)
{
	return db_run(d, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		      "tt", key, value);
}
