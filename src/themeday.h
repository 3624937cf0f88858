/* themeday — the theme party day 一月一课一片一实践 around the lessons (SPEC
 * M4, issue 14, seed 003): the committee's monthly film list (教育片清单)
 * with its notice (预告) and a link per film, screenings by branches (场次),
 * members' reflections (观后感), free practice records (实践), and one plan
 * per branch per month whose three parts are done by records: a lesson
 * order of lessons.c, a screening, a practice, or a record of another
 * mechanism (a meeting, a volunteer activity) named by kind and id and read
 * through that module's functions (meetings.h, volunteer.h). A part nobody
 * completed is filled by itself from the branch's month (themeday_part_auto):
 * a held 党课 or 主题党日 is its 一课, a finished volunteer activity its
 * 一实践. The compliance table and the report of the whole theme day are
 * here; the pages and API are in themeday_web.c. */
#ifndef DJ_THEMEDAY_H
#define DJ_THEMEDAY_H
#include <stdbool.h>
#include <stdint.h>

#include "actor.h"
#include "db.h"
#include "lessons.h"
#include "permission.h"
#include "result.h"
#include "valid.h"

/* Permission rows: publish the monthly film list; record screenings and
 * practices and share reflections; make and complete plans; chase gaps. */
extern const struct permission perm_film_publish, perm_themeday_record, perm_plan_chase;

/* The film kinds (红色历史, 政策理论, 警示教育, 本土情景剧, …) are rows the
 * committee keeps: lesson_vocab_*(LV_FILM_KIND) in lessons.h. */

struct film_list {
	int64_t id, org_id;
	char org_name[128], month[8], notice[2048];
	int64_t created_at, films;
};
struct film {
	int64_t id, list_id;
	char month[8], title[256], kind[32], kind_label[64], url[512];
	int64_t screenings, reflections;
};
/* A monthly list (film_list.create) of the committee org_id (0: the
 * actor's org): month YYYY-MM, one per org and month (field month). */
enum dj_result film_list_create(db *d, const struct actor *a, int64_t org_id, const char *month, const char *notice, int64_t now, int64_t *id_out,
				struct field_errors *e);
/* A film of a list (film.create): title, kind, an http(s) link (field url). */
enum dj_result film_add(db *d, const struct actor *a, int64_t list_id, const char *title, const char *kind, const char *url, int64_t now, int64_t *id_out,
			struct field_errors *e);
/* The lists the actor's town publishes (above or inside its subtree), newest month first. */
void film_lists_each(db *d, const struct actor *a, void (*fn)(void *ctx, const struct film_list *l), void *ctx);
bool film_list_load(db *d, const struct actor *a, int64_t id, struct film_list *l);
void films_each(db *d, int64_t list_id, void (*fn)(void *ctx, const struct film *f), void *ctx);
/* A film the actor may see (its list is the actor's town's). */
bool film_load(db *d, const struct actor *a, int64_t id, struct film *f);

/* A screening (screening.create) by a 党支部 inside the actor's subtree
 * (0: the actor's org): date, place, attendance (≥ 1, at most the branch's
 * members; field attendees). */
enum dj_result screening_add(db *d, const struct actor *a, int64_t film_id, int64_t org_id, const char *date, const char *place, int64_t attendees,
			     int64_t now, int64_t *id_out, struct field_errors *e);
struct screening {
	int64_t id, film_id, org_id, attendees;
	char film_title[256], org_name[128], date[11], place[256];
};
void screenings_each(db *d, const struct actor *a, int64_t film_id, void (*fn)(void *ctx, const struct screening *s), void *ctx);

/* A member's reflection on a film (reflection.create), as its roster
 * member: one per member and film (a second: field film_id); earns the
 * "reflection" points once per film. */
enum dj_result reflection_add(db *d, const struct actor *a, int64_t film_id, const char *body, int64_t now, int64_t *id_out, struct field_errors *e);
/* Whether the actor's roster member has written on this film already. */
bool reflection_written(db *d, const struct actor *a, int64_t film_id);
/* The branch shares a reflection on its page (or takes it back). */
enum dj_result reflection_share(db *d, const struct actor *a, int64_t id, bool shared, struct field_errors *e);
struct reflection {
	int64_t id, film_id, member_id, org_id, created_at;
	char film_title[256], member_name[96], org_name[128], body[4096];
	bool shared;
};
/* The reflections of a film (0: all) the actor may read: its subtree's, its
 * own, and the shared ones of its branch. */
void reflections_each(db *d, const struct actor *a, int64_t film_id, void (*fn)(void *ctx, const struct reflection *r), void *ctx);

/* A free practice record (practice.create) of a branch (0: the actor's org). */
enum dj_result practice_add(db *d, const struct actor *a, int64_t org_id, const char *title, const char *date, int64_t participants, const char *note,
			    int64_t now, int64_t *id_out, struct field_errors *e);

/* ---- the monthly plan ---- */
extern const char *const plan_parts[];         /* lesson film practice, NULL */
const char *plan_part_label(const char *part); /* 一课 一片 一实践 */

/* What a part refers to: a record of this mechanism or of another, by kind
 * and id. themeday_ref_lookup() is THE place where kinds are looked up; a
 * meeting and a volunteer activity through their modules' read functions
 * (meeting_load, volunteer_activity_load). */
struct plan_ref {
	char kind[24];
	int64_t id;
	char title[256];
	char org_path[256];
	char date[11];    /* YYYY-MM-DD the record happened ("" when unknown) */
	char subtype[24]; /* a meeting's type, an activity's kind */
	bool done;        /* the record shows the part was carried out: a lesson delivered, a meeting held, an activity finished */
	bool fits;        /* a kind a plan counts: a meeting only when 党课 or 主题党日 */
	bool verified;    /* looked up in its own table (always, since issues 12 and 13 are linked) */
	bool automatic;   /* found by themeday_part_auto, not given by anyone */
	const char *href; /* the console page of the record, or "" */
};
/* Looks up (kind, id) (given_title is not used any more: every kind is read
 * from its module). False when the kind is unknown or the record does not exist. */
bool themeday_ref_lookup(db *d, const char *kind, int64_t id, const char *given_title, struct plan_ref *out);
/* THE rule of the overlap with meetings and volunteer service: a part not
 * completed by hand is filled by itself — 一课 by the first 党课 held in the
 * month by the branch (or an org under it), else its first 主题党日 held;
 * 一实践 by the first volunteer activity of the branch that started in the
 * month and finished. 一片 only by a screening. True when found (out->automatic). */
bool themeday_part_auto(db *d, const char *org_path, const char *month, const char *part, struct plan_ref *out);
extern const char *const plan_ref_kinds[]; /* key, label pairs, NULL-terminated */

/* A branch's plan for a month (plan.create): org_id a 党支部 inside the
 * actor's subtree (0: the actor's org), month YYYY-MM, a title per part
 * (lesson, film, practice; all three required). A second plan for the
 * month: DJ_INVALID field month. */
enum dj_result plan_create(db *d, const struct actor *a, int64_t org_id, const char *month, const char *const titles[3], int64_t now, int64_t *id_out,
			   struct field_errors *e);
/* Completes a part with a record (plan.complete): the record must exist, be
 * of the plan's branch and month, and be carried out (a lesson delivered, a
 * screening, a practice); kinds of other mechanisms go through
 * themeday_ref_lookup. */
enum dj_result plan_complete(db *d, const struct actor *a, int64_t plan_id, const char *part, const char *kind, int64_t ref_id, const char *title,
			     int64_t now, struct field_errors *e);

/* One row of the compliance table: a branch and a month. */
struct plan_row {
	int64_t org_id;
	const char *org_code, *org_name, *month;
	int64_t plan_id; /* 0: no plan */
	struct {
		bool planned, done;
		bool automatic; /* done by themeday_part_auto: nobody typed the reference */
		const char *title, *done_kind, *done_title;
		int64_t done_id;
	} part[3];
	bool gap; /* no plan, or a part not done */
};
/* Every 党支部 under prefix (inside the actor's subtree) for every month
 * from..to (YYYY-MM), branch by branch. *gaps counts rows with a gap. */
enum dj_result plan_compliance(db *d, const struct actor *a, const char *prefix, const char *from, const char *to,
			       void (*fn)(void *ctx, const struct plan_row *row), void *ctx, int64_t *rows, int64_t *gaps, struct field_errors *e);
/* 催办: tells the secretaries of every branch under the actor's subtree
 * with a gap in month what is missing (未制定计划, or 一课、一片 … 未完成);
 * *chased how many branches. Audited (plan.chase). */
enum dj_result plan_chase(db *d, const struct actor *a, const char *month, int64_t now, int64_t *chased, struct field_errors *e);

/* ---- the report ---- */
struct themeday_stats {
	struct lesson_stats lessons;
	int64_t film_lists, films, screenings, screening_attendance, reflections, practices, practice_participants;
	int64_t plans, plans_complete;
};
/* The figures of [t0, t1) under prefix (the months of plans falling in the period). */
void themeday_stats_compute(db *d, const char *prefix, int64_t t0, int64_t t1, struct themeday_stats *st);
/* The report as .xlsx at path: the figures, the coverage and the compliance
 * of the period; audited (themeday.export). */
enum dj_result themeday_export(db *d, const struct actor *a, const char *prefix, const char *from, const char *to, const char *path,
			       struct field_errors *e);
/* Whether YYYY-MM is a month. */
bool month_valid(const char *m);

/* what the dashboard counts of this mechanism (themeday_figures.c, SPEC M11) */
#include "figures.h"
#define THEMEDAY_FIGURES_N 3
extern const struct figure themeday_figures[THEMEDAY_FIGURES_N];

#endif
