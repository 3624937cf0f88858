/* orgs_web — what other web files use of the org tree: the org a request
 * names, and a <select> of the orgs in the caller's subtree. The pages and
 * API of the tree itself are in orgs_web.c. */
#ifndef DJ_ORGS_WEB_H
#define DJ_ORGS_WEB_H
#include <stdint.h>

#include "orgs.h"
#include "permission.h"
#include "server.h"

/* The org a request names with ?org=CODE (default: the caller's own), if the
 * caller may take action a on it; fills its path, name and code. Otherwise
 * answers 404 — another subtree looks like nothing — and returns 0. */
struct org_ref {
	int64_t id;
	char path[256], name[128], code[64];
};
int64_t orgs_from_request(req *r, const char *code, const struct permission *action, struct org_ref *o);
/* A <select> of the orgs inside the caller's subtree. */
void orgs_form_select(req *r, const char *name, const char *label, const char *selected);

#endif
