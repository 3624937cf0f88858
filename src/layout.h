/* layout — the page shell, navigation per role, flash messages, form helpers, 简/繁. */
#ifndef DJ_LAYOUT_H
#define DJ_LAYOUT_H
#include <stdbool.h>

#include "html.h"
#include "server.h"
#include "valid.h"

/* Opens the page: status 200, the header with the user, the navigation, flash. */
void page_begin(req *r, const char *title);
void page_end(req *r);
/* The 全部功能 page's body: every group of the navigation and every link the
 * user's role may see (the phone's 全部 tab leads there). */
void layout_nav_menu(req *r);

/* A message shown once on the next page (kept in a cookie across the redirect). */
void flash_set(req *r, const char *kind, const char *msg); /* kind: ok | error */

/* Form errors, shown beside their field (struct field_errors of valid.h). */
void form_error(req *r, const char *field, const char *msg);
/* Takes over the errors a domain validator found. */
void form_errors_add(req *r, const struct field_errors *e);
bool form_has_errors(const req *r);
const char *form_error_for(const req *r, const char *field);

/* <form method="post"> with the CSRF token; form_end closes it with a submit button. */
void form_begin(req *r, const char *action);
void form_end(req *r, const char *submit_label);
/* form_end with a confirmation step (app.js asks; without JS the form posts
 * as it is). confirm_when "field:value" (or NULL: always): ask only when the
 * form's field has that value (停用 of an account). */
void form_end_confirm(req *r, const char *submit_label, const char *confirm, const char *confirm_when);
/* The typed fields of a console form carried through a login when the
 * session had expired (issue 10 §7): never the CSRF token, passwords or
 * files. KEEP_WRAP: the posted fields as hidden _keep_NAME inputs; KEEP_AGAIN:
 * the _keep_ fields again (a failed login); KEEP_UNWRAP: the _keep_ fields
 * under their own names (the form resubmitted); KEEP_SHOW: their values as
 * list items. Returns how many it wrote. */
enum keep_mode { KEEP_WRAP, KEEP_AGAIN, KEEP_UNWRAP, KEEP_SHOW };
int form_keep_fields(req *r, enum keep_mode mode);
void form_input(req *r, const char *name, const char *label, const char *type, const char *value, const char *attrs_hint);
/* options: NULL-terminated pairs of value, label. */
void form_select(req *r, const char *name, const char *label, const char *const *options, const char *selected);
/* A value as posted, or dflt. */
const char *form_value(req *r, const char *name, const char *dflt);

/* Converts r->out (simplified Chinese) to 繁體 with OpenCC, one handle per thread. */
void layout_to_hant(buf *out);
void layout_shutdown(void);

/* Helpers for the CSRF token of anonymous forms. */
const char *layout_csrf(req *r);

#endif
