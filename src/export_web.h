/* export_web — the roster's .xlsx download. */
#ifndef DJ_EXPORT_WEB_H
#define DJ_EXPORT_WEB_H
#include "server.h"

/* GET /members/export.xlsx?org=CODE[&full=1] */
void export_page_members(req *r);

#endif
