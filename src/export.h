/* export — the roster to .xlsx with libxlsxwriter (issue 3). Knows nothing
 * of HTTP: export_web.c holds the download, main.c `dangjian export members`. */
#ifndef DJ_EXPORT_H
#define DJ_EXPORT_H
#include <stdbool.h>
#include <stdint.h>

#include "actor.h"
#include "db.h"
#include "result.h"

/* Writes the members of the org subtree of org_id to filename (via a
 * temporary file and a rename), masked or in full, and leaves the audit row
 * of every export (member.export; a full one a second time, under
 * member.export_full), in the caller's transaction. The org must lie in the
 * actor's subtree (DJ_NOT_FOUND) and a full export needs perm_member_reveal
 * (DJ_FORBIDDEN). *rows gets the number of members written. The header row
 * holds the column names the importer reads, so an export can be imported
 * again. A file that cannot be written is DJ_DB_ERROR, the reason in e. */
enum dj_result export_members(db *d, const struct actor *a, int64_t org_id, bool masked, const char *filename, int *rows, struct field_errors *e);

#endif
