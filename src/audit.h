/* audit — every write recorded: who, when, what, which record, a short before/after. */
#ifndef DJ_AUDIT_H
#define DJ_AUDIT_H
#include <stdint.h>

#include "server.h"

/* Appends an entry inside the request's transaction, so it stands or falls with the write. */
void audit_log(req *r, const char *action, const char *entity, int64_t entity_id, int64_t org_id, const char *summary);
void audit_page(req *r);

#endif
