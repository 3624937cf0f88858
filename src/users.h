/* users — accounts (issue 2 §4): the model, the admin pages and the CLI's helpers. */
#ifndef DJ_USERS_H
#define DJ_USERS_H
#include <stdint.h>

#include "db.h"
#include "server.h"
#include "permission.h"

/* Permission rows: see accounts; create accounts, reset passwords, deactivate. */
extern const struct permission perm_user_view, perm_user_manage;

/* Creates an account; returns its id, or 0 with a Chinese reason in err. */
int64_t users_create(db *d, const char *username, const char *name, const char *role, int64_t org_id, const char *password,
		     char *err, size_t errlen);
int users_set_password(db *d, int64_t id, const char *password);
char *users_password_hash_of(db *d, int64_t id); /* malloc'd, NULL when none */
/* Validates the fields of an account; NULL when fine, else the reason. */
const char *users_check_username(const char *username);
const char *users_check_name(const char *name);

void users_page_list(req *r);
void users_page_new(req *r);
void users_page_edit(req *r);

#endif
