/* export — the roster to .xlsx with libxlsxwriter (issue 3). */
#ifndef DJ_EXPORT_H
#define DJ_EXPORT_H
#include <stdbool.h>

#include "db.h"
#include "server.h"

/* Writes the members of the org subtree at path prefix to filename (via a
 * temporary file and a rename), masked or in full; returns the number of
 * rows, or -1 with the reason in err. The header row holds the column names
 * the importer reads, so an export can be imported again. */
int export_members_xlsx(db *d, const char *prefix, bool masked, const char *filename, char *err, size_t errlen);

/* GET /members/export.xlsx?org=CODE[&full=1] */
void export_page_members(req *r);

#endif
