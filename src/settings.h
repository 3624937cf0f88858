/* settings — a few site-wide values kept in the settings table. */
#ifndef DJ_SETTINGS_H
#define DJ_SETTINGS_H
#include "db.h"

/* Reads the settings once at start (serve) so pages need no query for them. */
void settings_load(db *d);
const char *settings_site_name(void);
int settings_set(db *d, const char *key, const char *value);

#endif
