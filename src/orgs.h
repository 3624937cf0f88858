/* orgs — the org tree of SPEC §1/M1: 县委 → 镇党委 → 党总支 → 党支部 → 党小组. */
#ifndef DJ_ORGS_H
#define DJ_ORGS_H
#include <stdint.h>

#include "db.h"
#include "server.h"

/* Creates an org under parent_id (0: a root); returns its id or 0. */
int64_t orgs_create(db *d, int64_t parent_id, const char *code, const char *name, const char *type, const char *kind);
int64_t orgs_id_by_code(db *d, const char *code);
const char *org_type_label(const char *type);
/* A <select> of the orgs inside the caller's subtree. */
void orgs_form_select(req *r, const char *name, const char *label, const char *selected);

void orgs_page_list(req *r);
void orgs_page_detail(req *r);
void orgs_api_list(req *r);
void orgs_api_detail(req *r);

#endif
