/* lessons — the micro-lesson catalogue (微党课) and its orders (点单) of
 * SPEC M4 (issue 14, seed 003: "开发'贴近式'农村党员庭院微党课35堂,接受
 * '屋场微党课等你来'点单150余次,实现微党课巡讲进支部全覆盖,带动农村党员上台
 * 讲微党课1300余人次"). A branch orders a lesson like a resident orders a
 * service: the order's life is one table (state, action, who, next state)
 * that the code, the API and the tests all read. Lecturers are roster
 * members; a logged-in member acts as its roster member (members.user_id).
 * Knows nothing of HTTP: the pages and API are in lessons_web.c. */
#ifndef DJ_LESSONS_H
#define DJ_LESSONS_H
#include <stdbool.h>
#include <stdint.h>

#include "actor.h"
#include "db.h"
#include "permission.h"
#include "result.h"
#include "valid.h"

/* Permission rows: add lessons to the catalogue; order a lesson for a
 * branch (and cancel, record the delivery, rate it). */
extern const struct permission perm_lesson_edit, perm_lesson_order;

/* Who takes a step of an order: the lesson's lecturer (its roster member is
 * one of the lesson's lecturers), or the ordering branch (staff whose
 * subtree holds the ordering org). */
enum { LW_LECTURER = 1, LW_BRANCH = 2 };
struct lesson_transition {
	const char *from, *action;
	int who;
	const char *to;
};
extern const struct lesson_transition lesson_transitions[];
extern const int lesson_transitions_count;
extern const char *const lesson_states[];  /* NULL-terminated */
extern const char *const lesson_actions[]; /* NULL-terminated */
const char *lesson_state_label(const char *state);
const char *lesson_action_label(const char *action);
const char *lesson_who_key(int who); /* "lecturer" | "branch" */
const struct lesson_transition *lesson_find(const char *from, const char *action, int who);

/* The roster member the actor acts as (members.user_id), 0 when none. */
int64_t lesson_member_of(db *d, const struct actor *a);

/* The vocabularies the committee keeps on /lessons/topics (permission
 * perm_lesson_topic, admin and committee): the lesson topics (乡村振兴,
 * 文旅融合, 红色教育, 基层治理, …) and the film kinds (红色历史, 政策理论,
 * 警示教育, 本土情景剧). Added, renamed, retired and taken back, never
 * deleted: a retired one stays on the lessons and films that carry it and is
 * hidden from new ones (lesson_create, film_add refuse it). Audited
 * (lesson_topic.create/rename/retire/restore, film_kind.…). */
extern const struct permission perm_lesson_topic;
enum lesson_vocab { LV_TOPIC, LV_FILM_KIND, LV_COUNT };
struct vocab_item {
	char key[32], label[64];
	int64_t sort, uses; /* uses: lessons (films) that carry it */
	bool active;
};
const char *lesson_vocab_name(enum lesson_vocab v); /* "topic" | "film_kind" */
const char *lesson_vocab_what(enum lesson_vocab v); /* 课程主题 | 教育片类别 */
bool lesson_vocab_of(const char *name, enum lesson_vocab *out);
void lesson_vocab_each(db *d, enum lesson_vocab v, bool active_only, void (*fn)(void *ctx, const struct vocab_item *it), void *ctx);
bool lesson_vocab_get(db *d, enum lesson_vocab v, const char *key, struct vocab_item *it);
/* A new entry: key [a-z0-9_] 2–24 (NULL or "": made from its position,
 * written to key_out), label 2–10 characters; neither taken (fields key, label). */
enum dj_result lesson_vocab_add(db *d, const struct actor *a, enum lesson_vocab v, const char *key, const char *label, char key_out[32],
				struct field_errors *e);
/* Renames (label; NULL: keep) and/or retires (active 0) or takes back
 * (active 1; -1: keep). DJ_NOT_FOUND for an unknown key; nothing changing
 * writes nothing. */
enum dj_result lesson_vocab_set(db *d, const struct actor *a, enum lesson_vocab v, const char *key, const char *label, int active, struct field_errors *e);
/* The topics the catalogue filters by: every active topic, and a retired one
 * while lessons still carry it (one none carries would find nothing):
 * fn(ctx, key, label, active). */
void lesson_topics_each(db *d, void (*fn)(void *ctx, const char *key, const char *label, bool active), void *ctx);
/* A new topic with the key given (the API): lesson_vocab_add(LV_TOPIC). */
enum dj_result lesson_topic_add(db *d, const struct actor *a, const char *key, const char *label, struct field_errors *e);
/* The lecturers of the lessons of the actor's town: fn(ctx, member id, name), by name. */
void lesson_town_lecturers(db *d, const struct actor *a, void (*fn)(void *ctx, int64_t member_id, const char *name), void *ctx);

#define LESSON_MAX_LECTURERS 8
struct lesson {
	int64_t id;
	char title[256], topic[32], topic_label[64];
	int64_t minutes;
	char outline[4096], media_url[512];
	int64_t org_id;
	char org_name[128], org_path[256];
	char lecturers[512]; /* names, 、-separated */
	int64_t created_at;
};
bool lesson_load(db *d, int64_t id, struct lesson *l);
/* The lecturers of a lesson: fn(ctx, member id, name, org name). */
void lesson_lecturers_each(db *d, int64_t lesson_id, void (*fn)(void *ctx, int64_t member_id, const char *name, const char *org), void *ctx);

struct lesson_new {
	const char *title, *topic, *outline, *media_url;
	int64_t minutes;
	int64_t org_id; /* the org that developed it; 0: the actor's */
	int64_t lecturers[LESSON_MAX_LECTURERS];
	int nlecturers;
	int64_t at; /* 0: now */
};
/* Adds a lesson (lesson.create). DJ_INVALID: no title, an unknown topic, a
 * length outside 5–120 minutes, a media link that is not http(s), no
 * lecturer, or a lecturer who is not an active member of the actor's town
 * (field "lecturers"). */
enum dj_result lesson_create(db *d, const struct actor *a, const struct lesson_new *n, int64_t *id_out, struct field_errors *e);

/* The catalogue of the actor's town, newest first, narrowed by topic and
 * lecturer (member id; 0 any). */
struct lesson_filter {
	const char *topic;
	int64_t lecturer;
};
void lesson_list(db *d, const struct actor *a, const struct lesson_filter *f, void (*fn)(void *ctx, const struct lesson *l), void *ctx);

/* ---- orders (点单) ---- */
struct lesson_order {
	int64_t id, lesson_id;
	char lesson_title[256];
	int64_t org_id;
	char org_name[128], org_path[256];
	char state[16], want_from[11], want_to[11], note[1024];
	int64_t lecturer_id;
	char lecturer_name[96];
	char lesson_date[11], place[256];
	int64_t present, speakers, others; /* members present, of whom spoke; others by number */
	int rating;                        /* 0: not rated */
	char comment[1024], reason[1024];
	int64_t created_at, updated_at, delivered_at;
};
bool lesson_order_load(db *d, int64_t id, struct lesson_order *o);
/* Who the actor is for this order (LW_ bits; 0: neither). */
int lesson_order_who(db *d, const struct actor *a, const struct lesson_order *o);
/* The ordering branch's subtree, or one of the lesson's lecturers. */
bool lesson_order_visible(db *d, const struct actor *a, const struct lesson_order *o);

/* A branch orders a lesson (lesson_order.create): org_id the ordering
 * 党支部 (0: the actor's org), inside the actor's subtree; the dates it
 * would like, not in the past (field want_from), want_to not before it.
 * The lecturers are told. */
enum dj_result lesson_order_create(db *d, const struct actor *a, int64_t lesson_id, int64_t org_id, const char *want_from, const char *want_to,
				   const char *note, int64_t now, int64_t *id_out, struct field_errors *e);

/* What a step carries. */
struct lesson_act {
	const char *date, *place; /* confirm */
	const char *reason;       /* decline (required), cancel */
	int rating;               /* rate: 1..5 */
	const char *comment;      /* rate */
	const int64_t *present;   /* deliver: member ids of the receiving branch present */
	int npresent;
	const int64_t *speakers; /* deliver: of them (or besides them) those who spoke */
	int nspeakers;
	int64_t others;   /* deliver: attendance beyond the listed members */
	int64_t lecturer; /* the command line only (it acts for any lecturer: the demo,
			     paper records): which lecturer confirms or declines; 0 the first */
};
/* One step of the table on the order, in the caller's transaction: checks
 * the table and who the actor is, the step's fields; writes the order, one
 * history row, the notices, one audit row, and on delivery the lecturers'
 * points. DJ_NOT_FOUND (not visible), DJ_FORBIDDEN (not this actor's step,
 * e.g. confirming a lesson that is not yours), DJ_CONFLICT (not from this
 * state), DJ_INVALID (the fields). */
enum dj_result lesson_order_transition(db *d, const struct actor *a, int64_t id, const char *action, const struct lesson_act *act, int64_t now,
				       struct field_errors *e);

/* The orders the actor may see, newest first: mine = those of lessons the
 * actor lectures; state NULL: any. At most 200. */
struct lesson_order_filter {
	const char *state;
	bool mine;
};
void lesson_order_list(db *d, const struct actor *a, const struct lesson_order_filter *f, void (*fn)(void *ctx, const struct lesson_order *o), void *ctx);
/* The workbench: orders of lessons the actor's roster member lectures that
 * wait for the lecturer (requested: to confirm); -1 when the actor lectures
 * no lesson at all (the figure is not shown). Indexed counts. */
int64_t lesson_orders_to_confirm(db *d, const struct actor *a);
/* An order's history, oldest first. */
void lesson_order_events(db *d, int64_t id, void (*fn)(void *ctx, int64_t at, const char *action, const char *actor, const char *note), void *ctx);
/* The members present at a delivery: fn(ctx, member id, name, spoke). */
void lesson_order_attendance(db *d, int64_t id, void (*fn)(void *ctx, int64_t member_id, const char *name, bool spoke), void *ctx);
/* The active members of a branch's subtree, for the attendance form. */
void lesson_branch_members(db *d, int64_t org_id, void (*fn)(void *ctx, int64_t member_id, const char *name), void *ctx);

/* ---- reports ---- */
/* 巡讲进支部全覆盖: every 党支部 under prefix, with how many lessons it
 * received (delivered, delivered_at in [t0, t1)); *covered how many had one. */
void lesson_coverage(db *d, const char *prefix, int64_t t0, int64_t t1,
		     void (*fn)(void *ctx, int64_t org_id, const char *code, const char *name, int64_t deliveries), void *ctx, int64_t *covered,
		     int64_t *branches);
/* The figures of the period [t0, t1) under prefix: lessons in the catalogue
 * (developed under prefix, added before t1), orders placed by state,
 * deliveries (delivered_at in the period) with their attendance (members
 * present + others), speaker person-times, ratings. */
struct lesson_stats {
	int64_t lessons, orders, by_state[6]; /* in the order of lesson_states */
	int64_t deliveries, attendance, present, others, speakers, rated;
	double average_rating;
};
void lesson_stats_compute(db *d, const char *prefix, int64_t t0, int64_t t1, struct lesson_stats *st);

/* A link a member can open: http(s)://host… (a scheme alone, a missing
 * host, a space, quote, backslash or angle bracket: not one). The lesson's
 * media link and the film's link (themeday.c) both take this rule. */
bool lesson_http_url(const char *u);

/* Today's date in Asia/Shanghai for the time now. */
void lesson_date_of(int64_t now, char out[11]);

/* THE one place where this mechanism awards points (issue 11, points.h):
 * "lesson_given" to each lecturer of a delivered lesson, "reflection" for a
 * film reflection (once per film), in the caller's transaction. */
enum dj_result lessons_points_award(db *d, const struct actor *a, int64_t member_id, const char *event, const char *source_kind, int64_t source_id,
				    int64_t at, struct field_errors *e);

/* what the dashboard counts of this mechanism (lessons_figures.c, SPEC M11) */
#include "figures.h"
#define LESSONS_FIGURES_N 4
extern const struct figure lessons_figures[LESSONS_FIGURES_N];

/* for campaign task links (campaigns.h): -1 none, -2 db error, 0 not yet, 1 fulfilled */
int lesson_order_link_state(db *d, int64_t id, char org_path[256]);

#endif
