/* settings — a few site-wide values kept in the settings table, and the
 * backups of the database (issue 10 §9). */
#ifndef DJ_SETTINGS_H
#define DJ_SETTINGS_H
#include "actor.h"
#include "db.h"
#include "permission.h"
#include "result.h"

/* Permission rows: change the site's settings; back up the database. */
extern const struct permission perm_setting_set, perm_backup_run;

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
/* Counts the writes to the settings table made through settings_set and the
 * settings page, so a value cached for a transaction (order_limit) is read
 * again after a change in that same transaction. */
unsigned settings_generation(void);
/* Checks, stores and audits (setting.set) one setting. */
enum dj_result settings_set(db *d, const struct actor *a, const char *key, const char *value, struct field_errors *e);

/* Every setting there is, as the settings page shows it: its group and
 * Chinese label, the unit the page uses (the database keeps time limits in
 * seconds) and what applies when it is not set. */
enum setting_unit { SU_TEXT, SU_HOURS, SU_DAYS, SU_SECRET, SU_PATH };
struct setting_def {
	char key[96];
	char field[32]; /* its name on the form and in field errors (the key without "order_limit.") */
	const char *group;
	char label[160];
	enum setting_unit unit;
	char dflt[96]; /* shown as the placeholder: "24", "同一紧急程度的时限" */
};
void settings_each_def(void (*fn)(const struct setting_def *s, void *ctx), void *ctx);
/* The stored value in the page's unit ("" when not set): hours for a time
 * limit, never the secret itself (its value reads "set"/""). */
void settings_display(db *d, const struct setting_def *s, char *out, size_t outlen);
/* The settings page's save: value(ctx, field) gives what was typed in the page's
 * unit, or NULL for a key not on the form. Every key is checked first (errors
 * under the field's name, nothing written when one is wrong); then each value
 * that differs is stored and audited (setting.set), an emptied one removed
 * (setting.clear: the default applies again). A secret typed empty is left
 * as it is; clear_secret removes it. *changed: how many were changed. */
enum dj_result settings_save(db *d, const struct actor *a, const char *(*value)(void *ctx, const char *key), void *ctx, bool clear_secret, int *changed,
			     struct field_errors *e);

/* ---- backups ---- */

/* The directory backups go to: the setting backup_dir, or "backups" beside
 * the SQLite database file. DJ_CONFLICT on PostgreSQL (use pg_dump). */
enum dj_result backup_dir(db *d, char *out, size_t outlen, struct field_errors *e);
/* Writes a backup (db_backup) into backup_dir, created 0700 when missing, as
 * dangjian-YYYYMMDD-HHMMSS.db; audited (backup.create). name: the file's name. */
enum dj_result backup_run(db *d, const struct actor *a, int64_t now, char *name, size_t namelen, struct field_errors *e);
struct backup_file {
	char name[128];
	int64_t size, mtime;
};
/* The backups in backup_dir (files dangjian-*.db), newest first; no
 * directory yet is no backups. */
enum dj_result backups_each(db *d, const struct actor *a, void (*fn)(const struct backup_file *b, void *ctx), void *ctx, struct field_errors *e);

#endif
