/* import_web — the pages of the roster import (SPEC M1): upload → preview → confirm. */
#ifndef DJ_IMPORT_WEB_H
#define DJ_IMPORT_WEB_H
#include "server.h"

void import_page_form(req *r);    /* GET /members/import */
void import_page_preview(req *r); /* POST /members/import (multipart) */
void import_page_confirm(req *r); /* POST /members/import/:token/confirm */
void import_template_csv(req *r); /* GET /members/import/template.csv */

#endif
