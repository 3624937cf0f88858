/* exemplars — role-model selection (榜样选树, SPEC M7, issue 15):
 * 民主推荐 → 联合评审 → 征询意见 (一票否决) → 公示 (异议) → 表彰 (荣誉证书),
 * then 关爱礼遇 and the 榜样事迹宣讲团's lecture tours.
 * Two tables drive it, read by the code, the API and the tests: the stages of
 * a campaign and the states of a candidate. Knows nothing of HTTP; the pages
 * and the API are in exemplars_web.c. */
#ifndef DJ_EXEMPLARS_H
#define DJ_EXEMPLARS_H
#include <stdbool.h>
#include <stdint.h>

#include "actor.h"
#include "db.h"
#include "permission.h"
#include "result.h"
#include "valid.h"

/* The stages of a campaign, in order: each ends by one action of the
 * committee, which moves the campaign to the next stage. */
struct exemplar_stage {
	const char *stage, *label;
	const char *ends_by; /* the action that ends it; NULL for the last */
	const char *next;
};
extern const struct exemplar_stage exemplar_stages[];
extern const int exemplar_stages_count;
const struct exemplar_stage *exemplar_stage_find(const char *stage);
const char *exemplar_stage_label(const char *stage);

/* The candidate's states: nominated → candidate → shortlisted → consulted →
 * on_notice → awarded, or merged / rejected / not_shortlisted / vetoed /
 * objection_upheld, and revoked (a certificate taken back). One row a step:
 * the state it leaves, the action, who may take it, the state it reaches, and
 * the campaign stage it belongs to. */
struct exemplar_transition {
	const char *from, *action;
	int actors;
	const char *to;
	const char *stage; /* the campaign must be in this stage; NULL: any */
};
extern const struct exemplar_transition exemplar_transitions[];
extern const int exemplar_transitions_count;
extern const char *const exemplar_states[]; /* key, label pairs, NULL-terminated */
const struct exemplar_transition *exemplar_find(const char *from, const char *action, int actor);
const char *exemplar_state_label(const char *state);

extern const char *const exemplar_categories[];  /* the default categories (the migration's rows): key, label pairs, NULL-terminated */
extern const char *const exemplar_place_kinds[]; /* enterprise 进企业 … family 进家庭 */
extern const char *const exemplar_care_kinds[];  /* visit 走访慰问 benefit 待遇落实 honour 礼遇 */
const char *exemplar_category_label(const char *key);
const char *exemplar_pair_label(const char *const *pairs, const char *key); /* "" when unknown */

/* The categories the committee keeps (table exemplar_categories): the
 * defaults above, and its own; one in use is switched off, not deleted. */
#define EXEMPLAR_CATEGORIES_MAX 40
struct exemplar_category {
	char key[32], label[64], subject[16];
	int64_t pos;
	bool active;
};
typedef void (*exemplar_category_fn)(void *ctx, const struct exemplar_category *c);
void exemplar_category_each(db *d, bool active_only, exemplar_category_fn fn, void *ctx);
bool exemplar_category_get(db *d, const char *key, struct exemplar_category *c);
/* A new category (label 2..30 characters, unique; subject person or org);
 * its key is made here. */
enum dj_result exemplar_category_add(db *d, const struct actor *a, const char *label, const char *subject, int64_t now, char key[32],
				     struct field_errors *e);
/* Renames (label NULL: unchanged) or switches on or off (active -1: unchanged). */
enum dj_result exemplar_category_set(db *d, const struct actor *a, const char *key, const char *label, int active, struct field_errors *e);

#define EXEMPLAR_SCORE_MAX 100
#define EXEMPLAR_PUBLIC_PER_HOUR 5 /* nominations or objections from one address */

extern const struct permission perm_exemplar_manage; /* committee, admin: campaigns, acceptance, shortlist, notice, award */
extern const struct permission perm_exemplar_score;  /* reviewers and the committee: 联合评审 */
extern const struct permission perm_exemplar_answer; /* reviewers of a department: 征询意见 */

struct exemplar_campaign {
	int64_t id, org_id;
	char org_name[128], org_path[256];
	char title[200], category[32], category_label[64], subject[16], stage[16]; /* the label as when it began */
	int64_t year, quota, notice_days;
	char nominate_until[11], review_until[11], consult_until[11];
	int64_t notice_start, closed_at, created_at;
};
bool exemplar_campaign_load(db *d, int64_t id, struct exemplar_campaign *c);
/* When the notice may end at the earliest: N full days after it went up. */
int64_t exemplar_notice_ends(const struct exemplar_campaign *c);
typedef void (*exemplar_campaign_fn)(void *ctx, const struct exemplar_campaign *c);
void exemplar_campaign_each(db *d, exemplar_campaign_fn fn, void *ctx);

#define EXEMPLAR_CRITERIA_MAX 8
struct exemplar_criterion {
	char name[64];
	int64_t max; /* points; a campaign's criteria sum to EXEMPLAR_SCORE_MAX */
};
/* The campaign's criteria in order; returns how many. */
int exemplar_criteria(db *d, int64_t campaign_id, struct exemplar_criterion out[EXEMPLAR_CRITERIA_MAX]);

struct exemplar_campaign_new {
	char title[200], category[32], subject[16];
	/* the criteria of the joint review; none: 政治素质 30, 工作实绩 40, 群众公认 30 */
	const char *criteria[EXEMPLAR_CRITERIA_MAX];
	int64_t criteria_max[EXEMPLAR_CRITERIA_MAX];
	int criteria_n;
	int64_t year, quota, notice_days; /* notice_days 0: 5 */
	char nominate_until[11], review_until[11], consult_until[11];
	const char *depts[12]; /* org codes of departments (type dept) */
	int depts_n;
};
enum dj_result exemplar_campaign_create(db *d, const struct actor *a, const struct exemplar_campaign_new *n, int64_t now, int64_t *id,
					struct field_errors *e);
/* The departments the campaign consults: org id and name. */
typedef void (*exemplar_dept_fn)(void *ctx, int64_t org_id, const char *name);
void exemplar_campaign_depts(db *d, int64_t campaign_id, exemplar_dept_fn fn, void *ctx);

struct exemplar_candidate {
	int64_t id, campaign_id;
	char name[128], unit[128], deeds[4096], source[16];
	char nominator_name[64], nominator_phone[24];
	char state[24];
	int64_t merged_into;
	char veto_reason[600];
	char cert_no[32];
	int64_t awarded_at, revoked_at;
	char revoke_reason[300];
	int64_t created_at;
	int64_t score_x100, scores; /* average score ×100, and how many reviewers scored */
	int64_t nominations;        /* this one and the duplicates merged into it */
	bool photo;                 /* a photo came with the nomination */
};
bool exemplar_candidate_load(db *d, int64_t id, struct exemplar_candidate *c);
typedef void (*exemplar_candidate_fn)(void *ctx, const struct exemplar_candidate *c);
/* The campaign's candidates in one state (NULL: all), best score first. */
void exemplar_candidate_each(db *d, int64_t campaign_id, const char *state, exemplar_candidate_fn fn, void *ctx);

/* 民主推荐: the public (nominator's name and phone required), a member, a
 * branch or the committee nominates during the nomination stage; deeds are
 * required. A repeated idempotency key answers DJ_OK with the first one and
 * *repeated set. */
#define EXEMPLAR_PHOTO_MAX (2u << 20) /* bytes of a nomination's photo */
struct exemplar_nomination {
	char name[128], unit[128], deeds[4096];
	char nominator_name[64], nominator_phone[24];
	char idempotency_key[80];
	const unsigned char *photo; /* optional: JPEG or PNG, at most EXEMPLAR_PHOTO_MAX bytes */
	size_t photo_len;
};
enum dj_result exemplar_nominate(db *d, const struct actor *a, int64_t campaign_id, const struct exemplar_nomination *n, int64_t now, int64_t *id,
				 bool *repeated, struct field_errors *e);
/* The photo of a candidate that the actor may see (the public: on notice or
 * awarded; the committee: any), decoded into out with its type. */
bool exemplar_photo_load(db *d, const struct actor *a, int64_t candidate_id, unsigned char **out, size_t *len, char mime[16]);
/* The per-address limit of the public forms (kind "nominate" or "object"):
 * EXEMPLAR_PUBLIC_PER_HOUR an hour; a repeated idempotency key costs nothing. */
bool exemplar_public_allowed(db *d, const char *kind, const char *ip, const char *idempotency_key, int64_t now);

/* One step of the candidate table that needs nothing more than a note:
 * accept (a duplicate of an accepted candidate — same name and unit — is
 * merged into it instead), reject, revoke (note: the reason, required). */
enum dj_result exemplar_act(db *d, const struct actor *a, int64_t candidate_id, const char *action, const char *note, int64_t now, struct field_errors *e);

/* Ends the nomination (every nomination accepted or rejected, at least one
 * candidate): the review begins. */
enum dj_result exemplar_open_review(db *d, const struct actor *a, int64_t campaign_id, int64_t now, struct field_errors *e);
/* 联合评审: a reviewer's points for a candidate on each of the campaign's
 * criteria, in order (each 0..its maximum; the score is their sum, at most
 * EXEMPLAR_SCORE_MAX); a second score replaces the first. */
enum dj_result exemplar_score(db *d, const struct actor *a, int64_t candidate_id, const int64_t *points, int n, const char *note, int64_t now,
			      struct field_errors *e);
/* Shortlists up to the quota of the candidates (ids), the others are not
 * shortlisted; opens one consultation task per shortlisted candidate and
 * department, and moves the campaign to 征询意见. */
enum dj_result exemplar_shortlist(db *d, const struct actor *a, int64_t campaign_id, const int64_t *ids, int n, int64_t now, struct field_errors *e);

/* 征询意见 tasks. */
struct exemplar_consult {
	int64_t id, candidate_id, campaign_id, dept_org_id;
	char dept_name[128], candidate_name[128], candidate_unit[128], campaign_title[200];
	char answer[16], note[600];
	int64_t answered_at, due_at;
};
typedef void (*exemplar_consult_fn)(void *ctx, const struct exemplar_consult *c);
/* The tasks of a department (open first), or of a campaign (dept 0) for the committee. */
void exemplar_consult_each(db *d, int64_t dept_org_id, int64_t campaign_id, exemplar_consult_fn fn, void *ctx);
/* The workbench: a department's consultation tasks not answered yet. */
int64_t exemplar_consults_open(db *d, int64_t dept_org_id);
/* A department's reviewer answers agree or disagree (a note required): one
 * disagree vetoes the candidate (the reason kept for the committee alone);
 * the last agree of every department clears it. */
enum dj_result exemplar_consult_answer(db *d, const struct actor *a, int64_t consult_id, const char *answer, const char *note, int64_t now,
				       struct field_errors *e);

/* 佐证材料: files with a department's answer or an objection — JPEG, PNG or
 * PDF, recognised by their first bytes (not by name or declared type), at
 * most EXEMPLAR_EVIDENCE_MAX bytes each and EXEMPLAR_EVIDENCE_FILES in all
 * (field "files"); written in the same transaction as their answer or
 * objection, nothing when one is refused. The committee alone opens them. */
#define EXEMPLAR_EVIDENCE_MAX (2u << 20)
#define EXEMPLAR_EVIDENCE_FILES 3
struct exemplar_file {
	const char *name; /* as uploaded; only its last path component is kept */
	const unsigned char *data;
	size_t len;
};
/* exemplar_consult_answer with evidence files (n may be 0). */
enum dj_result exemplar_consult_answer_files(db *d, const struct actor *a, int64_t consult_id, const char *answer, const char *note,
					     const struct exemplar_file *files, int n, int64_t now, struct field_errors *e);
struct exemplar_evidence {
	int64_t id, owner_id;
	char kind[12], name[128], mime[24];
	int64_t bytes, created_at;
};
typedef void (*exemplar_evidence_fn)(void *ctx, const struct exemplar_evidence *v);
/* The files of one answer (kind "consult") or objection ("objection"). */
void exemplar_evidence_each(db *d, const char *kind, int64_t owner_id, exemplar_evidence_fn fn, void *ctx);
/* One file, decoded into *out (malloc'd), for the committee covering its
 * campaign; false for anyone else or an unknown id. */
bool exemplar_evidence_load(db *d, const struct actor *a, int64_t id, struct exemplar_evidence *v, unsigned char **out, size_t *len);
/* Puts the cleared candidates on public notice once every shortlisted one has
 * every answer (DJ_CONFLICT naming how many are missing). */
enum dj_result exemplar_publish(db *d, const struct actor *a, int64_t campaign_id, int64_t now, struct field_errors *e);

/* 异议 */
struct exemplar_objection {
	int64_t id, candidate_id;
	char candidate_name[128], name[64], phone[24], content[2048], evidence[1024], answer[16], reason[1024];
	int64_t filed_at, answered_at;
};
struct exemplar_objection_new {
	char name[64], phone[24], content[2048], evidence[1024];
	const struct exemplar_file *files; /* optional evidence files */
	int nfiles;
};
enum dj_result exemplar_object(db *d, const struct actor *a, int64_t candidate_id, const struct exemplar_objection_new *o, int64_t now, int64_t *id,
			       struct field_errors *e);
typedef void (*exemplar_objection_fn)(void *ctx, const struct exemplar_objection *o);
void exemplar_objection_each(db *d, int64_t campaign_id, exemplar_objection_fn fn, void *ctx);
/* The committee answers: upheld (the candidate is removed) or dismissed; the reason is required and kept. */
enum dj_result exemplar_objection_answer(db *d, const struct actor *a, int64_t objection_id, const char *answer, const char *reason, int64_t now,
					 struct field_errors *e);
/* Ends the notice and awards: refused before N full days, or while an objection is open. */
enum dj_result exemplar_award(db *d, const struct actor *a, int64_t campaign_id, int64_t now, struct field_errors *e);

/* The public verification of a certificate number: DJ_OK with the candidate
 * and its campaign (revoked shows in c->revoked_at), DJ_NOT_FOUND. */
enum dj_result exemplar_verify(db *d, const char *cert_no, struct exemplar_candidate *c, struct exemplar_campaign *camp);
/* The 荣誉证书 as a PDF at path (exemplars_cert.c): A4 landscape, the name,
 * the honour, the committee, the date, the number and a QR code of
 * site_base/verify/NO. DJ_NOT_FOUND for an unknown number, DJ_CONFLICT for a
 * revoked one. */
enum dj_result exemplar_certificate_pdf(db *d, const char *cert_no, const char *site_base, const char *path, struct field_errors *e);
/* What a resident typed, as a certificate number: upper case, no spaces. */
void exemplar_cert_normalize(const char *in, char out[32]);

/* The public: candidates on notice, and the gallery (榜样风采) of awarded ones
 * by category and year (NULL / 0: any). */
void exemplar_notice_each(db *d, exemplar_candidate_fn fn, void *ctx);
void exemplar_gallery_each(db *d, const char *category, int64_t year, exemplar_candidate_fn fn, void *ctx);

/* Who was awarded, counted from the records: per year and category, the
 * awarded (not revoked) people or organisations, newest year first. */
typedef void (*exemplar_tally_fn)(void *ctx, int64_t year, const char *category, const char *label, const char *subject, int64_t awarded);
void exemplar_award_tally(db *d, exemplar_tally_fn fn, void *ctx);

/* 关爱礼遇 */
struct exemplar_care {
	int64_t id, candidate_id;
	char candidate_name[128], org_name[128], kind[16], day[11], note[600];
};
enum dj_result exemplar_care_add(db *d, const struct actor *a, int64_t candidate_id, const char *kind, const char *day, const char *note, int64_t now,
				 int64_t *id, struct field_errors *e);
typedef void (*exemplar_care_fn)(void *ctx, const struct exemplar_care *c);
void exemplar_care_each(db *d, const char *scope, exemplar_care_fn fn, void *ctx);

/* 宣讲团 */
enum dj_result exemplar_tour_create(db *d, const struct actor *a, const char *title, const int64_t *speakers, int n, int64_t now, int64_t *id,
				    struct field_errors *e);
typedef void (*exemplar_tour_fn)(void *ctx, int64_t id, const char *title, int64_t speakers);
void exemplar_tour_each(db *d, const char *scope, exemplar_tour_fn fn, void *ctx);
/* A booking: a place of one of the five kinds on a day. */
enum dj_result exemplar_session_book(db *d, const struct actor *a, int64_t tour_id, const char *place_kind, const char *place, const char *day,
				     int64_t now, int64_t *id, struct field_errors *e);
/* The report after the session: how many people heard it. */
enum dj_result exemplar_session_report(db *d, const struct actor *a, int64_t session_id, int64_t audience, struct field_errors *e);
struct exemplar_tour_session {
	int64_t id, tour_id;
	char tour_title[200], place_kind[16], place[128], day[11];
	int64_t audience;
	bool held;
};
typedef void (*exemplar_session_fn)(void *ctx, const struct exemplar_tour_session *s);
void exemplar_session_each(db *d, const char *scope, exemplar_session_fn fn, void *ctx);
struct exemplar_tour_stats {
	int64_t tours, sessions, audience, speakers; /* sessions held, their audience, role models who spoke */
	int64_t by_kind[5];                          /* sessions held, in the order of exemplar_place_kinds */
	char summary[200];                           /* 巡讲活动N场次，受众达M人次 */
};
void exemplar_tour_stats(db *d, const char *scope, struct exemplar_tour_stats *st);

/* A campaign's report: its candidates by state, nominations by source, objections. */
struct exemplar_report {
	int64_t nominations, by_source[4]; /* public member branch committee */
	int64_t candidates, shortlisted, vetoed, on_notice, awarded, revoked, upheld;
	int64_t objections, objections_open, consults, consults_open;
};
void exemplar_report(db *d, int64_t campaign_id, struct exemplar_report *r);
/* The results as .xlsx (name, unit, state, score, certificate number). */
enum dj_result exemplar_results_xlsx(db *d, int64_t campaign_id, const char *path, struct field_errors *e);

/* The background task: reminds departments of consultations past their due
 * date (once each); returns how many, or -1. */
int exemplars_tick(db *d, int64_t now);

/* what the dashboard counts of this mechanism (exemplars_figures.c, SPEC M11) */
#include "figures.h"
#define EXEMPLARS_FIGURES_N 4
extern const struct figure exemplars_figures[EXEMPLARS_FIGURES_N];

#endif
