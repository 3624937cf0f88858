/* volunteer — volunteer service, SPEC M3 (and M1's 双报到): activities
 * (志愿服务活动) with a state table, sign-ups with capacity and a waiting
 * list, QR check-in and check-out through the one check-in mechanism
 * (checkin.h, kind "volunteer"), hours served, star levels, teams (服务队),
 * the yearly minimum per member (seed 001) and the reports whose figures the
 * seeds print (seed 000: 志愿服务4539人次; 002: 服务队40支600余人; 004:
 * 活动120余次、2400余人次), all counted from the rows. Knows nothing of HTTP:
 * the pages and the API are in volunteer_web.c. */
#ifndef DJ_VOLUNTEER_H
#define DJ_VOLUNTEER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "actor.h"
#include "checkin.h"
#include "db.h"
#include "permission.h"
#include "result.h"
#include "valid.h"

/* Permission rows: organise activities (create, publish, cancel, check in by
 * hand, set hours), manage teams and minimums, read the reports. */
extern const struct permission perm_volunteer_organise, perm_volunteer_report;

/* The check-in window around an activity: from 30 minutes before its start
 * to 60 minutes after its end. */
#define VOLUNTEER_OPENS_BEFORE (30 * 60)
#define VOLUNTEER_CLOSES_AFTER (60 * 60)
/* A second scan within this many seconds of the check-in is the same scan
 * (a replayed or double-tapped code), not a check-out. */
#define VOLUNTEER_REPLAY_GAP 120

/* THE state machine: (state, action, who, next). "start" and "finish" are
 * taken by the background task at the times of the activity, or by the
 * organiser; "finish" closes forgotten check-outs at the end (marked auto). */
struct volunteer_transition {
	const char *from, *action;
	int actors;
	const char *to;
};
extern const struct volunteer_transition volunteer_transitions[];
extern const size_t volunteer_transitions_n;
const struct volunteer_transition *volunteer_find(const char *from, const char *action, int actor);

extern const char *const volunteer_kinds[];  /* key, label pairs, NULL-terminated */
extern const char *const volunteer_states[]; /* key, label pairs, NULL-terminated */
const char *volunteer_kind_label(const char *k);
const char *volunteer_state_label(const char *s);
const char *volunteer_action_label(const char *a);

struct volunteer_activity {
	int64_t id, org_id, team_id;
	char org_name[168], org_path[256], org_code[40], team_name[128];
	char title[256], kind[24], place[256];
	int64_t starts_at, ends_at, capacity;
	bool open_registered;
	char state[16], cancel_reason[512];
	int64_t public_count;
	int64_t created_by, created_at;
	int64_t signed_n, waiting_n, checked_in_n; /* counted when loaded */
};
bool volunteer_activity_load(db *d, int64_t id, struct volunteer_activity *v);
/* The first finished activity (state finished, not a draft nor cancelled)
 * that started in [t0, t1), organised by an org of the subtree at org_path;
 * 0 when none. The theme day (themeday.c) reads it to fill a branch's
 * monthly 一实践 by itself. */
int64_t volunteer_finished_first(db *d, const char *org_path, int64_t t0, int64_t t1);
/* Whether the actor may see the activity: it lies in the actor's subtree, or
 * above the actor's org (a town's activity for its branches' members), or
 * it is open to 双报到 members and the actor's roster record is registered
 * with a community inside it. */
bool volunteer_visible(db *d, const struct actor *a, const struct volunteer_activity *v);
/* Whether the actor organises it: staff whose subtree holds it, or who made it. */
bool volunteer_organises(const struct actor *a, const struct volunteer_activity *v);

/* What a new activity carries (strings as given; the function checks them). */
struct volunteer_new {
	const char *title, *kind, *place, *org_code, *team; /* team: id as text, "" none */
	const char *starts, *ends;                          /* "YYYY-MM-DD HH:MM" Beijing time, or Unix seconds as text */
	int64_t capacity;
	bool open_registered, publish; /* publish at once (else a draft) */
};
enum dj_result volunteer_create(db *d, const struct actor *a, const struct volunteer_new *n, int64_t now, int64_t *id_out, struct field_errors *e);
/* One transition of the table (publish, start, finish, cancel with reason).
 * Cancelling notifies every member signed up or waiting. */
enum dj_result volunteer_act(db *d, const struct actor *a, int64_t id, const char *action, const char *reason, int64_t now, struct field_errors *e);

/* The roster member an account acts as (members.user_id), 0 when none. */
int64_t volunteer_member_of(db *d, const struct actor *a);

/* Sign-up: member_id 0 signs the actor's own roster record up; a branch
 * secretary (or the committee) signs up a member of its subtree. Past
 * capacity the member goes on the waiting list (*waiting set), in order.
 * Refused: after the start, twice, a member the activity is not open to. */
enum dj_result volunteer_signup(db *d, const struct actor *a, int64_t id, int64_t member_id, int64_t now, bool *waiting, struct field_errors *e);
/* The workbench: activities the actor's roster member is signed up for (or
 * waiting) that have not finished (published or in progress); 0 without a
 * roster member. */
int64_t volunteer_upcoming_count(db *d, const struct actor *a);
/* The member picker of the organiser's sign-up and by-hand forms: members
 * of the organiser's subtree (not 停止党籍) under prefix (NULL: the whole
 * subtree; a prefix outside it gives none), whose name contains q (NULL or
 * "": all), by org then name, at most limit. Returns how many. */
struct volunteer_pick {
	int64_t member_id;
	const char *name, *org_name;
};
int volunteer_pick_each(db *d, const struct actor *a, const char *prefix, const char *q, int limit, void (*fn)(void *ctx, const struct volunteer_pick *p),
			void *ctx);
/* What the organiser typed into the picker: "姓名 #12" (an option of the
 * list), a roster number, or a name that is one member's in its subtree.
 * DJ_INVALID, field member_id, naming why: nothing typed, nobody of that
 * name, several (pick one with its number). */
enum dj_result volunteer_pick_resolve(db *d, const struct actor *a, const char *typed, int64_t *member_id, struct field_errors *e);
/* Cancels before the start; the first on the waiting list moves up (notified). */
enum dj_result volunteer_signup_cancel(db *d, const struct actor *a, int64_t id, int64_t member_id, int64_t now, struct field_errors *e);

/* A scan of a valid code (the kind's scanned()): a check-in, or a check-out
 * when already checked in (a scan within VOLUNTEER_REPLAY_GAP of the check-in
 * answers "已签到" and changes nothing). done: what was recorded. */
enum dj_result volunteer_scan(db *d, const struct actor *a, int64_t id, int64_t now, char *done, size_t done_n, struct field_errors *e);
/* The organiser's hand: op "checkin" or "checkout" at time at (0: now),
 * marked manual with who did it; "hours": minutes set with a reason, marked
 * manual. Refused: check-out before check-in, more than the activity's
 * length, a member outside the organiser's subtree. */
enum dj_result volunteer_manual(db *d, const struct actor *a, int64_t id, int64_t member_id, const char *op, int64_t at, int64_t minutes,
				const char *reason, int64_t now, struct field_errors *e);
/* 群众 who took part, by number. */
enum dj_result volunteer_set_public(db *d, const struct actor *a, int64_t id, int64_t count, struct field_errors *e);

/* Minutes served between check-in and check-out, capped by the activity's
 * start and end (travel before and after is not service). */
int64_t volunteer_minutes(int64_t starts_at, int64_t ends_at, int64_t in, int64_t out);

/* The background task: starts activities at their start, finishes them
 * when the check-in window closes (forgotten check-outs closed at the end,
 * marked auto). Returns how many changed, or -1. */
int volunteer_tick(db *d, int64_t now);

/* One sign-up as lists show it. */
struct volunteer_signup_row {
	int64_t id, member_id;
	const char *name, *org_name, *state;
	int64_t signed_at, checkin_at, checkout_at, minutes; /* 0: not yet */
	const char *checkin_how, *checkout_how, *checkin_by, *minutes_reason;
	bool minutes_manual;
};
void volunteer_signups_each(db *d, int64_t id, void (*fn)(void *ctx, const struct volunteer_signup_row *s), void *ctx);
/* The actor's own sign-up state for an activity ("" none). */
void volunteer_my_state(db *d, const struct actor *a, int64_t id, char out[16], int64_t *checkin_at, int64_t *checkout_at);

/* The activities the actor may see, newest start first (at most limit). */
enum dj_result volunteer_list(db *d, const struct actor *a, const char *state, int64_t limit, void (*fn)(void *ctx, const struct volunteer_activity *v),
			      void *ctx);

/* ---- a member's service: hours, person-times, stars ---- */
#define VOLUNTEER_STARS 5
struct volunteer_member_stats {
	int64_t member_id;
	char name[96], org_name[168];
	int64_t times, minutes; /* every activity attended */
	int stars;
	int64_t star_hours[VOLUNTEER_STARS];   /* the thresholds, in hours */
	int64_t star_reached[VOLUNTEER_STARS]; /* when each was reached (0: not yet) */
	int year;                              /* this year (Asia/Shanghai) */
	int64_t points_year;                   /* the member's points of the year, all rules (points_total) */
};
/* The thresholds of the star levels in hours (setting volunteer_star_hours,
 * "100,300,600,1000,1500" by default). */
void volunteer_star_hours(db *d, int64_t out[VOLUNTEER_STARS]);
enum dj_result volunteer_member_stats(db *d, const struct actor *a, int64_t member_id, struct volunteer_member_stats *st, struct field_errors *e);
/* The attendances of a member, newest first, at most limit. */
void volunteer_member_each(db *d, int64_t member_id, int64_t limit,
			   void (*fn)(void *ctx, const struct volunteer_activity *v, int64_t minutes, bool manual), void *ctx);

/* ---- teams (服务队) ---- */
struct volunteer_team {
	int64_t id, org_id, leader_member_id, members;
	char name[128], org_name[168], leader_name[96];
};
enum dj_result volunteer_team_create(db *d, const struct actor *a, const char *org_code, const char *name, int64_t leader_member_id, int64_t now,
				     int64_t *id_out, struct field_errors *e);
enum dj_result volunteer_team_add(db *d, const struct actor *a, int64_t team_id, int64_t member_id, int64_t now, struct field_errors *e);
void volunteer_teams_each(db *d, const struct actor *a, void (*fn)(void *ctx, const struct volunteer_team *t), void *ctx);

/* ---- reports ---- */
/* The figures of an org subtree for a period [t0, t1): one function, so the
 * page, the API and the workbook agree. Activities and their person-times
 * count where the activity was organised (its org in the subtree, starting
 * in the period, not a draft nor cancelled); members registered are the
 * in-service members registered (双报到) with a community of the subtree. */
struct volunteer_figures {
	int64_t registered;   /* 在职党员 registered with the subtree's communities */
	int64_t members;      /* roster members of the subtree (not 停止党籍) */
	int64_t active;       /* distinct members who served in the period */
	int64_t activities;   /* activities held */
	int64_t person_times; /* members' attendances (人次) */
	int64_t public_times; /* 群众 by number */
	int64_t minutes;      /* time served */
	int64_t teams, team_members;
};
void volunteer_figures_compute(db *d, const char *prefix, int64_t t0, int64_t t1, struct volunteer_figures *f);
/* A row per branch of the subtree (the figures of its own subtree). */
struct volunteer_branch_row {
	int64_t org_id;
	const char *name;
	struct volunteer_figures f;
};
/* The whole report: checks the actor's right and scope (org 0: the actor's own org). */
enum dj_result volunteer_report(db *d, const struct actor *a, int64_t org_id, int64_t t0, int64_t t1, struct volunteer_figures *total,
				void (*branch)(void *ctx, const struct volunteer_branch_row *b), void *ctx, char org_name[168], struct field_errors *e);
/* The report per member: the members of the subtree (their own org in it)
 * who served in the period, at any organiser's activity, with their
 * person-times and minutes, most hours first (at most limit; 0: all). */
struct volunteer_member_row {
	int64_t member_id;
	const char *name, *org_name;
	int64_t times, minutes;
};
enum dj_result volunteer_report_members(db *d, const struct actor *a, int64_t org_id, int64_t t0, int64_t t1, int64_t limit,
					void (*fn)(void *ctx, const struct volunteer_member_row *m), void *ctx, struct field_errors *e);
/* Read by the assessment (assess.c): the members of the subtree (their own
 * org in it, not 停止党籍 nor transferred) and how many of them served at
 * least once in [t0, t1) at any organiser's activity; and each such member
 * with times 0 for those who did not, by roster number. */
void volunteer_participation(db *d, const char *prefix, int64_t t0, int64_t t1, int64_t *members, int64_t *served);
void volunteer_participation_each(db *d, const char *prefix, int64_t t0, int64_t t1, void (*fn)(void *ctx, const struct volunteer_member_row *m),
				  void *ctx);
/* Writes the report as .xlsx (按支部 with the total, 按党员 sheets) at path (audited export). */
enum dj_result volunteer_report_export(db *d, const struct actor *a, int64_t org_id, int64_t t0, int64_t t1, const char *path, struct field_errors *e);
/* Hours as text with one decimal: 150 minutes → "2.5". */
void volunteer_hours_text(int64_t minutes, char out[24]);

/* ---- minimums (seed 001) ---- */
enum dj_result volunteer_minimum_set(db *d, const struct actor *a, int64_t org_id, int64_t year, int64_t required, const char *title, int64_t now,
				     struct field_errors *e);
/* The minimum of the year for an org: its own, or the nearest above; 0 none. */
int64_t volunteer_minimum_of(db *d, int64_t org_id, int64_t year);
struct volunteer_below_row {
	int64_t member_id;
	const char *name, *branch; /* branch: the member's 支部 (or 党总支), not its 党小组 */
	int64_t times;
};
/* What a minimums report asks: the members of an org's subtree below the
 * year's minimum, or (campaign_id) below a campaign's. */
struct volunteer_min_query {
	int64_t org_id;      /* 0: the actor's own org */
	int64_t year;        /* the year (Beijing time) when campaign_id is 0 */
	int64_t campaign_id; /* a campaign's minimum: its period, only its linked activities when it says so */
};
/* What the report held the members to (filled by volunteer_below_minimum). */
struct volunteer_min_info {
	int64_t required;
	bool linked_only;
	int64_t org_id;
	char basis[300];       /* "2026 年" or the campaign's title */
	char from[11], to[11]; /* the period, both days included */
	char org_name[168];    /* whose members: the report's org, or the campaign's when narrower */
};
/* The members of the subtree (not 停止党籍 nor transferred) with fewer than
 * the required activities attended in the period, by branch (the 支部 or
 * 党总支 holding the member's org) then name. For
 * the year: its minimum (volunteer_minimum_of; DJ_INVALID when none is set).
 * For a campaign the actor sees: its minimum (DJ_INVALID when none), its
 * period, the activities linked to its tasks only when it says so, and the
 * members of the narrower of the report's org and the campaign's (an org
 * outside the campaign's: DJ_INVALID naming the field org). */
enum dj_result volunteer_below_minimum(db *d, const struct actor *a, const struct volunteer_min_query *q, struct volunteer_min_info *info,
				       void (*fn)(void *ctx, const struct volunteer_below_row *r), void *ctx, struct field_errors *e);
enum dj_result volunteer_minimums_export(db *d, const struct actor *a, const struct volunteer_min_query *q, const char *path, struct field_errors *e);

/* A campaign's minimum (主题活动, campaigns.h): N activities per member within
 * the campaign's period, optionally only those linked to it; set by whoever
 * manages the campaign (perm_campaign_manage covering its org). required 0
 * removes it. Audited on the campaign. */
enum dj_result volunteer_campaign_minimum_set(db *d, const struct actor *a, int64_t campaign_id, int64_t required, bool linked_only, int64_t now,
					      struct field_errors *e);
/* The campaign's minimum, 0 when none. */
int64_t volunteer_campaign_minimum_of(db *d, int64_t campaign_id, bool *linked_only);
/* The campaigns with a minimum that the actor sees, newest first: the
 * report's choice. */
struct volunteer_campaign_min {
	int64_t campaign_id, required;
	bool linked_only;
	const char *title, *starts, *ends, *org_name;
};
void volunteer_campaign_minimums_each(db *d, const struct actor *a, void (*fn)(void *ctx, const struct volunteer_campaign_min *m), void *ctx);

/* A year of volunteer service in the demo town (demo_volunteer.c), the
 * module record's .demo. */
int demo_volunteer(db *d, const struct actor *cli, FILE *out);

/* The check-in kind this module registers (volunteer_web.c's module record). */
extern const struct checkin_kind volunteer_checkin_kind;

/* Parses "YYYY-MM-DD HH:MM" (or "YYYY-MM-DDTHH:MM") in Beijing time, or Unix seconds; false when neither. */
bool volunteer_parse_time(const char *s, int64_t *out);

/* what the dashboard counts of this mechanism (volunteer_figures.c, SPEC M11) */
#include "figures.h"
#define VOLUNTEER_FIGURES_N 6
extern const struct figure volunteer_figures[VOLUNTEER_FIGURES_N];

/* for campaign task links (campaigns.h): -1 none, -2 db error, 0 not yet, 1 fulfilled */
int volunteer_link_state(db *d, int64_t id, char org_path[256]);

#endif
