/* campaigns — 主题活动与任务清单 (SPEC M10, issue 17; seed 001: "15项主题活动,
 * 分别明确了具体的负责部门和任务清单"): a campaign with its period and
 * implementing plan (实施方案), activities each with a responsible org or
 * department (负责部门), tasks with an owner, a deadline, a target and a state
 * (todo → doing → done: one table the code and the tests read; a task past
 * its deadline and not done is flagged overdue and never counted done), and
 * progress that counts itself: a task names a registered figure (figures.h),
 * counted over its activity's org subtree and the campaign's period, or links
 * records (kind + id) that count once fulfilled. Per-org targets give
 * 机关、企业、社会组织 their own numbers. Knows nothing of HTTP; the pages and
 * the API are in campaigns_web.c. */
#ifndef DJ_CAMPAIGNS_H
#define DJ_CAMPAIGNS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "actor.h"
#include "db.h"
#include "permission.h"
#include "result.h"
#include "valid.h"

/* Who sees campaigns (committee, branch, admin) and who plans them. */
extern const struct permission perm_campaign_view, perm_campaign_manage;

/* The task state table: (from, action, to). Who: whoever manages the
 * campaign, and the staff of the activity's responsible org. */
struct campaign_task_transition {
	const char *from, *action, *to;
};
extern const struct campaign_task_transition campaign_task_transitions[];
extern const size_t campaign_task_transitions_n;
extern const char *const campaign_task_states[]; /* key, label pairs, NULL-terminated */
const char *campaign_task_state_label(const char *state);
const char *campaign_task_action_label(const char *action);
const struct campaign_task_transition *campaign_task_find(const char *from, const char *action);

/* The kinds of record a task links (kind, label, console prefix, and the
 * function that says whether a record is fulfilled and where it lies):
 * orders, volunteer activities (finished), meetings (held) and lesson
 * orders (delivered); a mechanism adds its row here as it lands. noun: what
 * its number is called in a message (诉求编号). */
struct campaign_link_kind {
	const char *kind, *label, *href_prefix;
	int (*state)(db *d, int64_t id, char org_path[256]); /* -1 none, -2 db error, 0 not yet, 1 fulfilled */
	const char *noun;
};
/* The kind with this key, or NULL. */
const struct campaign_link_kind *campaign_link_kind_find(const char *kind);
extern const struct campaign_link_kind campaign_link_kinds[];
extern const size_t campaign_link_kinds_n;

struct campaign {
	int64_t id, org_id;
	char org_path[256], org_code[64], org_name[168];
	char title[256], starts[11], ends[11];
	char plan[8192];
};
bool campaign_load(db *d, int64_t id, struct campaign *c);
/* Whether the actor sees the campaign: it covers the campaign's org, or the
 * campaign's org lies above the actor's (a branch sees the town's). */
bool campaign_visible(const struct actor *a, const struct campaign *c);

/* The writes: each checks the role and the subtree, validates every field
 * (DJ_INVALID naming it, nothing written), writes and audits in the caller's
 * transaction. Texts as typed; dates YYYY-MM-DD; target as typed ("" none). */
struct campaign_new {
	const char *org, *title, *starts, *ends, *plan; /* org: code; NULL: the actor's */
};
enum dj_result campaign_create(db *d, const struct actor *a, const struct campaign_new *n, int64_t *id, struct field_errors *e);
enum dj_result campaign_activity_add(db *d, const struct actor *a, int64_t campaign_id, const char *title, const char *org, const char *note, int64_t *id,
				     struct field_errors *e);
struct campaign_task_new {
	const char *title, *owner, *deadline, *target, *figure;
};
enum dj_result campaign_task_add(db *d, const struct actor *a, int64_t activity_id, const struct campaign_task_new *n, int64_t *id,
				 struct field_errors *e);
/* Takes one transition of the table. DJ_CONFLICT when not from this state. */
enum dj_result campaign_task_act(db *d, const struct actor *a, int64_t task_id, const char *action, int64_t now, struct field_errors *e);
/* Links a record (kind of campaign_link_kinds, id) to a task: it must exist
 * and lie inside the campaign's org subtree. */
enum dj_result campaign_task_link(db *d, const struct actor *a, int64_t task_id, const char *kind, int64_t record_id, struct field_errors *e);
/* Sets (or replaces) the target of an org for a figure. */
enum dj_result campaign_target_set(db *d, const struct actor *a, int64_t campaign_id, const char *org, const char *figure, const char *target,
				   struct field_errors *e);

/* The overview (M10): every activity with its tasks, each task's progress
 * counted now, the per-org targets against their figures, and the figures
 * per responsible org. */
struct campaign_task_view {
	int64_t id, activity_id;
	char title[256], owner[96], deadline[11], state[8], figure[64];
	bool has_target, overdue;
	int64_t target, progress, links;
};
struct campaign_activity_view {
	int64_t id, seq, org_id;
	char title[256], org_name[168], org_code[64], note[512];
	int64_t tasks, done, overdue;
};
struct campaign_target_view {
	char org_name[168], org_code[64], figure[64], label[64], href[512];
	int64_t target, reached;
};
struct campaign_org_view {
	char org_name[168], org_code[64];
	int64_t activities, tasks, done, overdue;
};
struct campaign_overview {
	struct campaign c;
	struct campaign_activity_view *acts;
	size_t acts_n;
	struct campaign_task_view *tasks;
	size_t tasks_n;
	struct campaign_target_view *targets;
	size_t targets_n;
	struct campaign_org_view *orgs;
	size_t orgs_n;
	int64_t tasks_total, done, doing, todo, overdue;
};
enum dj_result campaign_overview(db *d, const struct actor *a, int64_t id, int64_t now, struct campaign_overview *ov, struct field_errors *e);
void campaign_overview_free(struct campaign_overview *ov);
/* The progress of one task now (its figure's count or its fulfilled links). */
int64_t campaign_task_progress(db *d, int64_t task_id, int64_t now);

/* The implementing plan (实施方案) as an attachment (campaigns_export.c):
 * PDF, DOCX, JPEG or PNG recognised by its first bytes (attach.h), at most
 * CAMPAIGN_PLAN_MAX bytes (field "plan_file"); one per campaign, a new
 * upload replaces it. Uploading is for whoever manages the campaign;
 * downloading for whoever sees it; both audited. */
#define CAMPAIGN_PLAN_MAX (5u << 20)
struct campaign_plan_file {
	char name[128], mime[96], uploaded_by[96];
	int64_t bytes, uploaded_at;
};
enum dj_result campaign_plan_upload(db *d, const struct actor *a, int64_t campaign_id, const char *name, const unsigned char *data, size_t len,
				    int64_t now, struct field_errors *e);
/* The plan file's description; false when the campaign has none. */
bool campaign_plan_info(db *d, int64_t campaign_id, struct campaign_plan_file *f);
/* The file's bytes (*out malloc'd) for an actor who sees the campaign;
 * DJ_NOT_FOUND when it or its file does not exist for them. */
enum dj_result campaign_plan_download(db *d, const struct actor *a, int64_t campaign_id, struct campaign_plan_file *f, unsigned char **out, size_t *len,
				      struct field_errors *e);
/* The overview as .xlsx at path (campaigns_export.c): a cover sheet (the
 * campaign, its org and period, tasks done and overdue, when and by whom
 * exported), the activities, the tasks, the figures against the targets,
 * and the figures per responsible org; audited as campaign.export. */
enum dj_result campaign_export(db *d, const struct actor *a, int64_t campaign_id, int64_t now, const char *path, struct field_errors *e);

/* The campaigns the actor sees, newest first. */
struct campaign_row {
	int64_t id;
	const char *title, *org_name, *starts, *ends;
	int64_t activities, tasks, done;
};
enum dj_result campaigns_each(db *d, const struct actor *a, void (*fn)(void *ctx, const struct campaign_row *c), void *ctx);

/* The demo town's campaign (demo_campaigns.c; the module's .demo hook). */
int demo_campaigns(db *d, const struct actor *cli, FILE *out);

#endif
