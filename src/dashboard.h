/* dashboard — 数据统计 and 数据大屏 (SPEC M11, issue 17): who sees the
 * dashboard, the trend and the breakdown of one figure, and the read-only
 * display tokens of the big screen. The figures themselves are the modules'
 * (figures.h). Knows nothing of HTTP; the pages are in dashboard_web.c. */
#ifndef DJ_DASHBOARD_H
#define DJ_DASHBOARD_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "actor.h"
#include "db.h"
#include "figures.h"
#include "permission.h"
#include "result.h"
#include "valid.h"

extern const struct permission perm_dashboard_view, perm_display_manage;

/* The bulletin's figures no mechanism counted yet (dashboard_figures.c). */
#define DASHBOARD_FIGURES_N 4
extern const struct figure dashboard_figures[DASHBOARD_FIGURES_N];

/* One point of a chart: its label, the count and the records behind it. */
struct dashboard_point {
	char label[168];
	int64_t value;
	char href[512];
};
/* The figure per month of the scope's period (at most 60 points), each
 * month clipped to the period. Returns how many points; -1: db error. */
int dashboard_trend(db *d, const struct figure *f, const struct figure_scope *s, struct dashboard_point *out, int max);
/* The figure per org directly under the scope's org (its branches, or the
 * towns of a county), largest first. Returns how many; -1: db error. */
int dashboard_breakdown(db *d, const struct figure *f, const struct figure_scope *s, struct dashboard_point *out, int max);

/* The dashboard as .xlsx at path: a cover sheet (org, period, time of
 * export, who exported it), then one sheet per group with every figure;
 * audited as dashboard.export. */
enum dj_result dashboard_export(db *d, const struct actor *a, const struct figure_scope *s, const char *org_name, const char *path,
				struct field_errors *e);

/* ---- display tokens of the big screen ---- */
struct display_token {
	int64_t id, org_id, created_at, revoked_at;
	const char *name, *org_name, *org_code, *created_by;
};
/* Issues a token for the org (code; NULL the actor's), shown once in
 * token_out; stored as its hash. */
enum dj_result display_token_issue(db *d, const struct actor *a, const char *org, const char *name, char token_out[64], int64_t *id,
				   struct field_errors *e);
enum dj_result display_token_revoke(db *d, const struct actor *a, int64_t id, struct field_errors *e);
/* The org a token shows: DJ_OK with its path, code and name; DJ_NOT_FOUND
 * for an unknown token; DJ_CONFLICT for a revoked one. */
enum dj_result display_token_check(db *d, const char *token, char path[256], char code[64], char name[168]);
/* The tokens of the actor's subtree, newest first. */
enum dj_result display_tokens_each(db *d, const struct actor *a, void (*fn)(void *ctx, const struct display_token *t), void *ctx);

#endif
