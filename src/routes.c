/* routes — the one route table: method, path, handler, who may call it.
 * Reading it tells what the program serves and to whom (STYLE: cgit's cmd.c). */
#include "api.h"
#include "audit.h"
#include "ops.h"
#include "orgs.h"
#include "pages.h"
#include "server.h"
#include "stats_pages.h"
#include "export.h"
#include "grids.h"
#include "members_web.h"
#include "notify.h"
#include "orders.h"
#include "orders_api.h"
#include "orders_pages.h"
#include "import_web.h"
#include "users.h"
#include "wishes.h"

#define KiB 1024

const route routes[] = {
	/* public site */
	{"GET", "/", page_home, R_PUBLIC, 0, 0, "home"},
	{"GET", "/order", order_page_form, R_PUBLIC, 0, 0, "order"},
	{"POST", "/order", order_page_form, R_PUBLIC, 0, 8 * KiB, "order"},
	{"GET", "/track", order_page_track_form, R_PUBLIC, 0, 0, "track"},
	{"GET", "/track/:code", order_page_track, R_PUBLIC, 0, 0, "track"},
	{"POST", "/track/:code/:action", order_page_track_action, R_PUBLIC, 0, 8 * KiB, "track_action"},
	{"GET", "/notices", page_notices_placeholder, R_PUBLIC, 0, 0, "notices"},
	{"GET", "/lang", page_lang, R_PUBLIC, RF_NODB, 0, "lang"},
	{"GET", "/static/*", static_file, R_PUBLIC, RF_NODB, 0, "static"},
	{"GET", "/login", page_login, R_PUBLIC, 0, 0, "login"},
	{"POST", "/login", page_login, R_PUBLIC, RF_OWNTX, 4 * KiB, "login"},
	/* console */
	{"POST", "/logout", page_logout, R_ANY, 0, 4 * KiB, "logout"},
	{"GET", "/console", page_console, R_ANY, 0, 0, "console"},
	{"GET", "/account/password", page_password, R_ANY, 0, 0, "password"},
	{"POST", "/account/password", page_password, R_ANY, 0, 4 * KiB, "password"},
	/* org tree (issue 3, SPEC M1): anyone sees the tree of its subtree; admin and
	 * committee (ACT_ORG_MANAGE) create, edit, move and dissolve, the org scope
	 * checked per record by authorize(). /orgs/new before /orgs/:id. */
	{"GET", "/orgs", orgs_page_list, R_ANY, 0, 0, "orgs"},
	{"GET", "/orgs/new", orgs_page_new, R_ADMIN | R_COMMITTEE, 0, 0, "org_new"},
	{"POST", "/orgs/new", orgs_page_new, R_ADMIN | R_COMMITTEE, 0, 8 * KiB, "org_new"},
	{"GET", "/orgs/:id", orgs_page_detail, R_ANY, 0, 0, "org"},
	{"GET", "/orgs/:id/edit", orgs_page_edit, R_ADMIN | R_COMMITTEE, 0, 0, "org_edit"},
	{"POST", "/orgs/:id/edit", orgs_page_edit, R_ADMIN | R_COMMITTEE, 0, 8 * KiB, "org_edit"},
	{"POST", "/orgs/:id/move", orgs_page_move, R_ADMIN | R_COMMITTEE, 0, 4 * KiB, "org_move"},
	{"POST", "/orgs/:id/dissolve", orgs_page_dissolve, R_ADMIN | R_COMMITTEE, 0, 4 * KiB, "org_dissolve"},
	{"GET", "/api/v1/orgs", orgs_api_list, R_ANY, RF_API, 0, "api_orgs"},
	{"POST", "/api/v1/orgs", orgs_api_create, R_ADMIN | R_COMMITTEE, RF_API, 8 * KiB, "api_orgs"},
	{"GET", "/api/v1/orgs/:id", orgs_api_detail, R_ANY, RF_API, 0, "api_org"},
	/* RF_OWNTX: a PATCH gets no write transaction from the server; the handler opens one before its first read */
	{"PATCH", "/api/v1/orgs/:id", orgs_api_patch, R_ADMIN | R_COMMITTEE, RF_API | RF_OWNTX, 8 * KiB, "api_org"},
	{"GET", "/admin/users", users_page_list, R_ADMIN, 0, 0, "users"},
	{"GET", "/admin/users/new", users_page_new, R_ADMIN, 0, 0, "user_new"},
	{"POST", "/admin/users/new", users_page_new, R_ADMIN, 0, 8 * KiB, "user_new"},
	{"GET", "/admin/users/:id", users_page_edit, R_ADMIN, 0, 0, "user"},
	{"POST", "/admin/users/:id", users_page_edit, R_ADMIN, 0, 8 * KiB, "user"},
	{"GET", "/audit", audit_page, R_ADMIN | R_COMMITTEE, 0, 0, "audit"},
	/* member roster (SPEC M1); the org scope is checked per record by authorize() */
	{"GET", "/members", members_page_list, R_STAFF | R_MEMBER | R_GRID, 0, 0, "members"},
	{"GET", "/members/new", members_page_new, R_STAFF, 0, 0, "member_new"},
	{"POST", "/members/new", members_page_new, R_STAFF, 0, 16 * KiB, "member_new"},
	/* roster import (issue 3): upload → preview → confirm; before /members/:id, which would take "import" for an id */
	{"GET", "/members/import", import_page_form, R_STAFF, 0, 0, "member_import"},
	{"POST", "/members/import", import_page_preview, R_STAFF, RF_OWNTX, 12 * 1024 * KiB, "member_import"},
	{"GET", "/members/import/template.csv", import_template_csv, R_STAFF, 0, 0, "member_import_template"},
	{"POST", "/members/import/:token/confirm", import_page_confirm, R_STAFF, 0, 4 * KiB, "member_import_confirm"},
	{"GET", "/members/export.xlsx", export_page_members, R_STAFF | R_MEMBER | R_GRID, 0, 0, "member_export"},
	{"GET", "/members/:id", members_page_detail, R_STAFF | R_MEMBER | R_GRID, 0, 0, "member"},
	{"POST", "/members/:id/reveal", members_page_reveal, R_STAFF, 0, 4 * KiB, "member_reveal"},
	{"POST", "/members/:id/change", members_page_change, R_STAFF, 0, 4 * KiB, "member_change"},
	{"GET", "/members/:id/edit", members_page_edit, R_STAFF, 0, 0, "member_edit"},
	{"POST", "/members/:id/edit", members_page_edit, R_STAFF, 0, 16 * KiB, "member_edit"},
	/* operations */
	{"GET", "/healthz", ops_healthz, R_PUBLIC, 0, 0, "healthz"},
	{"GET", "/metrics", ops_metrics, R_PUBLIC, 0, 0, "metrics"},
	/* JSON API */
	{"GET", "/api/v1/openapi.yaml", api_openapi, R_PUBLIC, RF_API | RF_NODB, 0, "api_openapi"},
	{"POST", "/api/v1/session", api_session_create, R_PUBLIC, RF_API | RF_OWNTX, 4 * KiB, "api_session"},
	{"DELETE", "/api/v1/session", api_session_delete, R_ANY, RF_API, 0, "api_session"},
	{"GET", "/api/v1/me", api_me, R_ANY, RF_API, 0, "api_me"},
	{"GET", "/api/v1/members", members_api_list, R_STAFF | R_MEMBER | R_GRID, RF_API, 0, "api_members"},
	{"POST", "/api/v1/members", members_api_create, R_STAFF, RF_API, 16 * KiB, "api_members"},
	{"GET", "/api/v1/members/:id", members_api_get, R_STAFF | R_MEMBER | R_GRID, RF_API, 0, "api_member"},
	{"PATCH", "/api/v1/members/:id", members_api_patch, R_STAFF, RF_API, 16 * KiB, "api_member"},
	/* the console of orders */
	{"GET", "/stats/orders", stats_page_orders, R_ADMIN | R_COMMITTEE | R_BRANCH, 0, 0, "stats_orders"},
	{"GET", "/orders", orders_page_list, R_STAFF | R_MEMBER | R_GRID, 0, 0, "orders"},
	{"GET", "/orders/:id", orders_page_detail, R_STAFF | R_MEMBER | R_GRID, 0, 0, "order"},
	{"POST", "/orders/:id/act/:action", orders_page_act, R_STAFF | R_MEMBER | R_GRID, 0, 8 * KiB, "order_act"},
	/* the inbox of notifications */
	{"GET", "/inbox", inbox_page, R_STAFF | R_MEMBER | R_GRID, 0, 0, "inbox"},
	{"POST", "/inbox/read", inbox_read, R_STAFF | R_MEMBER | R_GRID, 0, 4 * KiB, "inbox_read"},
	{"GET", "/api/v1/inbox", inbox_api, R_STAFF | R_MEMBER | R_GRID, RF_API, 0, "api_inbox"},
	/* the micro-wish wall (微心愿): public, a member claims */
	{"GET", "/wishes", wishes_page, R_PUBLIC, 0, 0, "wishes"},
	{"POST", "/wishes/:id/claim", wishes_claim, R_MEMBER, 0, 4 * KiB, "wish_claim"},
	{"GET", "/api/v1/public/wishes", wishes_api, R_PUBLIC, RF_API, 0, "api_wishes"},
	/* grids and households (SPEC M9) */
	{"GET", "/grids", grids_page_list, R_STAFF | R_GRID, 0, 0, "grids"},
	{"GET", "/grids/:code", grids_page_detail, R_STAFF | R_GRID, 0, 0, "grid"},
	{"GET", "/api/v1/grids", grids_api_list, R_STAFF | R_GRID, RF_API, 0, "api_grids"},
	{"POST", "/api/v1/grids", grids_api_create, R_ADMIN | R_COMMITTEE | R_BRANCH, RF_API, 4 * KiB, "api_grids"},
	{"GET", "/api/v1/grids/:code/households", grids_api_households, R_STAFF | R_GRID, RF_API, 0, "api_households"},
	{"POST", "/api/v1/grids/:code/households", grids_api_add_household, R_STAFF | R_GRID, RF_API, 4 * KiB, "api_households"},
	/* resident orders, the closed loop (SPEC M2): the state machine is in orders.c */
	{"POST", "/api/v1/public/orders", orders_api_public_create, R_PUBLIC, RF_API, 8 * KiB, "api_public_orders"},
	{"GET", "/api/v1/public/orders/:code", orders_api_public_get, R_PUBLIC, RF_API, 0, "api_public_order"},
	{"POST", "/api/v1/public/orders/:code/actions/:action", orders_api_public_action, R_PUBLIC, RF_API, 8 * KiB, "api_public_order_action"},
	{"GET", "/api/v1/orders/transitions", orders_api_transitions, R_PUBLIC, RF_API | RF_NODB, 0, "api_order_transitions"},
	{"GET", "/api/v1/stats/orders", orders_api_stats, R_COMMITTEE | R_BRANCH | R_ADMIN, RF_API, 0, "api_stats_orders"},
	{"GET", "/api/v1/orders", orders_api_list, R_COMMITTEE | R_BRANCH | R_MEMBER | R_GRID | R_ADMIN, RF_API, 0, "api_orders"},
	{"GET", "/api/v1/orders/:id", orders_api_get, R_COMMITTEE | R_BRANCH | R_MEMBER | R_GRID | R_ADMIN, RF_API, 0, "api_order"},
	{"POST", "/api/v1/orders/:id/actions/:action", orders_api_action, R_ANY, RF_API, 8 * KiB, "api_order_action"},
	{"GET", "/api/*", api_not_found, R_PUBLIC, RF_API | RF_NODB, 0, "api_unknown"},
};

const size_t routes_count = sizeof routes / sizeof routes[0];

const background_fn background_tasks[] = {
	orders_tick,    /* 销单 of delivered orders nobody answered (SPEC M2) */
	notify_overdue, /* tell the branch when an order passes its time limit */
	notify_flush,   /* send the outbox through the adapter */
};
const size_t background_tasks_count = sizeof background_tasks / sizeof background_tasks[0];
