/* settings — a few site-wide values kept in the settings table. */
#ifndef DJ_SETTINGS_H
#define DJ_SETTINGS_H
#include "actor.h"
#include "db.h"
#include "permission.h"
#include "result.h"

/* Permission row: change the site's settings. */
extern const struct permission perm_setting_set;

/* Reads the settings once at start (serve) so pages need no query for them. */
void settings_load(db *d);
const char *settings_site_name(void);
/* The time budget of one request in seconds (setting request_timeout, 5 by
 * default; read at start): past it the answer is 503 and nothing is written. */
int settings_request_timeout(void);
/* The token a scraper of /metrics sends (setting metrics_token), read at each
 * call so a change needs no restart; false when none is set. */
bool settings_metrics_token(db *d, char *out, size_t outlen);

/* Whether key is a known setting and value fits it: DJ_OK, or DJ_INVALID with
 * the reason under "key" (unknown setting) or "value". Needs no database. */
enum dj_result settings_check(const char *key, const char *value, struct field_errors *e);
/* Checks, stores and audits (setting.set) one setting. */
enum dj_result settings_set(db *d, const struct actor *a, const char *key, const char *value, struct field_errors *e);

#endif
