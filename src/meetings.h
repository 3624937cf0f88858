/* meetings — meetings and decisions of SPEC M5 (issue 13): 三会一课 and the
 * 红色七点半 of seed 004, planned with the 四定 (theme, time, place, content);
 * attendance with leave and QR sign-in (checkin.h, kind "meeting"); minutes;
 * decisions (议事决策) with an owner, a deadline and a supervision group;
 * 四议两公开 for major village matters, a step table with quorum rules; the
 * required frequencies of 三会一课 and the compliance table; the reports.
 * The meeting states and the 四议两公开 steps are tables that the code, the
 * API (GET /api/v1/meetings/tables) and the tests all read. Knows nothing of
 * HTTP: pages and API are in meetings_web.c. */
#ifndef DJ_MEETINGS_H
#define DJ_MEETINGS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "actor.h"
#include "db.h"
#include "permission.h"
#include "result.h"
#include "valid.h"

/* Permission rows: plan and run meetings, take attendance, record minutes and
 * decisions, run 四议两公开 (the branch's staff and the committee above);
 * publish the town's monthly plan (the committee); keep the meeting types
 * (the committee). */
extern const struct permission perm_meeting_manage, perm_meeting_plan, perm_meeting_types;

/* ---- the tables ---- */

/* The meeting types (table meeting_types, kept by the committee): the seven
 * seeded with the keys the code has always used (assembly committee group
 * lesson theme_day red730 other) and any the committee adds (key t<pos>).
 * invite: who is invited (branch: the branch's members; group: the 党小组's,
 * the meeting held by a 党小组; committee: the 书记/委员). sanhui: counts
 * toward 三会一课 (a required frequency and the compliance table); minutes:
 * a held meeting needs its 会议记录. A retired type (active false) is hidden
 * from new meetings and plans and stays in lists, filters and reports. */
#define MEETING_TYPES_MAX 24
struct meeting_type {
	char key[16], label[64], invite[16];
	bool sanhui, minutes, active;
	int64_t pos;
	int64_t in_use; /* meetings, monthly plans and frequency rows of the type */
};
/* All types (or only the active ones), by position: the report's columns. */
int meeting_types_load(db *d, bool active_only, struct meeting_type *out, int max);
bool meeting_type_get(db *d, const char *key, struct meeting_type *t);
/* The type's name into out (the key itself when unknown); returns out. */
const char *meeting_type_name(db *d, const char *key, char out[64]);
/* Index of key in a list from meeting_types_load, -1 when absent. */
int meeting_type_index(const struct meeting_type *v, int n, const char *key);
extern const char *const meeting_invites[]; /* branch group committee, NULL */
const char *meeting_invite_label(const char *invite);
/* A new type: label 2..20 characters, unique; invite one of meeting_invites. */
struct meeting_type_input {
	const char *label, *invite;
	int sanhui, minutes, active; /* -1: unchanged (on add: sanhui 0, minutes 1) */
};
enum dj_result meeting_type_add(db *d, const struct actor *a, const struct meeting_type_input *in, int64_t now, char key[16], struct field_errors *e);
/* Rename, change the flags, retire (active 0) or bring back (active 1). */
enum dj_result meeting_type_set(db *d, const struct actor *a, const char *key, const struct meeting_type_input *in, struct field_errors *e);
/* Deletes a type nobody ever used (no meeting, plan or frequency row) that the
 * committee added; a type in use or one of the seven is refused (retire it). */
enum dj_result meeting_type_delete(db *d, const struct actor *a, const char *key, struct field_errors *e);

/* The meeting's state machine: planned → held (with minutes) | cancelled (with reason). */
struct meeting_transition {
	const char *from, *action;
	int actors;
	const char *to;
};
extern const struct meeting_transition meeting_transitions[];
extern const int meeting_transitions_count;
const char *meeting_state_label(const char *state);
const char *attendance_status_label(const char *status);
extern const char *const attendance_statuses[]; /* invited present leave_requested leave absent, NULL */

/* 四议两公开, in this order, none skipped. quorum: what the step counts
 * (QUORUM_NONE, the branch's members for 党员大会审议, the village's
 * representatives for 村民代表会议决议); a step with a quorum passes when at
 * least 2/3 of them are present and more than half of those present are in
 * favour, else the matter stops (it can be proposed again from step one). */
enum matter_quorum { QUORUM_NONE = 0, QUORUM_MEMBERS, QUORUM_REPRESENTATIVES };
struct matter_step {
	const char *key, *label;
	enum matter_quorum quorum;
};
extern const struct matter_step matter_steps[];
extern const int matter_steps_count;
int matter_step_index(const char *key); /* -1 when unknown */
const char *matter_state_label(const char *state);
/* The quorum rule itself: present ≥ 2/3 of total and favour > present / 2. */
bool matter_quorum_met(int64_t total, int64_t present, int64_t favour);

/* 三会一课: how often each type must be held (from meeting_requirements),
 * of the active types that count toward 三会一课 (meeting_types.sanhui);
 * invite: the type's (a group type is exempt for a branch without 党小组). */
struct meeting_requirement {
	char type[16], invite[16];
	int months; /* 1 monthly, 3 quarterly */
};
int meeting_requirements(db *d, struct meeting_requirement *out, int max);
/* Changes how often a type must be held (months 1, 3, 6 or 12; 0 removes it). */
enum dj_result meeting_requirement_set(db *d, const struct actor *a, const char *type, int months, struct field_errors *e);

/* ---- meetings ---- */

struct meeting {
	int64_t id, org_id, plan_id;
	char org_name[168], org_path[256], org_type[16];
	char type[16], type_label[64], theme[256], place[256], content[4096];
	int64_t starts_at, ends_at;
	int64_t host_member_id, recorder_member_id;
	char host_name[96], recorder_name[96];
	char state[16], minutes[8192], topics[2048], cancel_reason[512];
	int64_t youth, masses, held_at, created_at;
	/* counted from meeting_attendance */
	int64_t invited, present, on_leave, absent, leave_requested;
};
bool meeting_load(db *d, int64_t id, struct meeting *m);
/* The first meeting of a type held (state held) that started in [t0, t1) by
 * an org of the subtree at org_path, 0 when none. The theme day (themeday.c)
 * reads it to fill a branch's monthly plan by itself: a held 党课 or
 * 主题党日 is the plan's 一课 without anyone typing a reference. */
int64_t meeting_held_first(db *d, const char *org_path, const char *type, int64_t t0, int64_t t1);
/* Read by the assessment (assess.c): the meetings of a type (NULL: any) held
 * (state held) that started in [t0, t1) by the orgs of the subtree at
 * org_path, how many, and each, oldest first. */
struct meeting_held_row {
	int64_t id;
	const char *type, *theme;
	int64_t starts_at;
	const char *type_label;
};
int64_t meeting_held_count(db *d, const char *org_path, const char *type, int64_t t0, int64_t t1);
void meeting_held_each(db *d, const char *org_path, const char *type, int64_t t0, int64_t t1, void (*fn)(void *ctx, const struct meeting_held_row *h),
		       void *ctx);
/* Whether the actor may see it: its org lies in the actor's subtree, or the
 * actor's roster member is invited. */
bool meeting_visible(db *d, const struct actor *a, const struct meeting *m);

/* What a plan is made of: the 四定 as typed. date "YYYY-MM-DD", start and end "HH:MM" (Beijing). */
struct meeting_new {
	int64_t org_id, plan_id, host_member_id, recorder_member_id;
	const char *type, *theme, *date, *start, *end, *place, *content;
};
/* Plans a meeting (meeting.plan): every one of the 四定 is required (the
 * field named when missing); host and recorder must be members of the org's
 * branch; the invitees (the branch's members, the group's for 党小组会, the
 * 书记/委员 for 支委会) are written and notified. A plan_id fills an empty
 * theme or content from the committee's monthly plan. */
enum dj_result meeting_plan(db *d, const struct actor *a, const struct meeting_new *n, int64_t now, int64_t *id_out, struct field_errors *e);
/* planned → held with minutes (required) and topics, the counted guests and
 * named representatives; every invitee not present or on approved leave
 * becomes absent. Not before the meeting starts. */
struct meeting_held {
	const char *minutes, *topics;
	int64_t youth, masses;
	const char *const *reps; /* named 群众代表, NULL-terminated, may be NULL */
};
enum dj_result meeting_hold(db *d, const struct actor *a, int64_t id, const struct meeting_held *h, int64_t now, struct field_errors *e);
enum dj_result meeting_cancel(db *d, const struct actor *a, int64_t id, const char *reason, int64_t now, struct field_errors *e);

/* Attendance by hand (staff): status present, absent or leave (with reason),
 * while the meeting is planned and its sign-in has opened. */
enum dj_result meeting_mark(db *d, const struct actor *a, int64_t id, int64_t member_id, const char *status, const char *reason, int64_t now,
			    struct field_errors *e);
/* 全部到会 and the like: marks the listed invitees present by hand at once
 * (one audit row for the batch), under the same rules as meeting_mark. */
enum dj_result meeting_mark_present(db *d, const struct actor *a, int64_t id, const int64_t *member_ids, size_t n, int64_t now, struct field_errors *e);
/* A member asks for leave for itself, before the meeting starts. */
enum dj_result meeting_leave_request(db *d, const struct actor *a, int64_t id, const char *reason, int64_t now, struct field_errors *e);
/* The secretary approves (approve true) or refuses a request for leave. */
enum dj_result meeting_leave_decide(db *d, const struct actor *a, int64_t id, int64_t member_id, bool approve, int64_t now, struct field_errors *e);

/* QR sign-in opens this long before the start and closes at the end. */
#define MEETING_SIGNIN_BEFORE (30 * 60)
/* The checkin kind (checkin.h): a scan by an invited member marks it present;
 * anyone who is not invited is refused ("您不在本次会议的参会名单中"). */
struct checkin_kind;
extern const struct checkin_kind meeting_checkin_kind;

struct attendee {
	int64_t member_id;
	const char *name, *status, *how, *leave_reason;
	int64_t signed_at;
};
void meeting_each_attendee(db *d, int64_t id, void (*fn)(void *ctx, const struct attendee *at), void *ctx);
void meeting_each_guest(db *d, int64_t id, void (*fn)(void *ctx, const char *name), void *ctx);
/* The actor's own invitation (status ""), for the member's buttons. */
void meeting_my_status(db *d, const struct actor *a, int64_t id, char status[24]);
/* The roster member the actor acts as (members.user_id), or 0. */
int64_t meeting_actor_member(db *d, const struct actor *a);

/* The workbench: meetings the actor's roster member is invited to that are
 * still to come (planned, not ended at now), and open decisions it owns
 * (*overdue of them past the deadline). 0 without a roster member. */
int64_t meeting_upcoming_count(db *d, const struct actor *a, int64_t now);
int64_t decision_open_count(db *d, const struct actor *a, int64_t now, int64_t *overdue);
/* The meetings the actor may see, newest first: of its subtree, or (for a
 * member) those it is invited to. month "YYYY-MM" or NULL, type or NULL. */
typedef void (*meeting_row_fn)(void *ctx, const struct meeting *m);
enum dj_result meeting_list(db *d, const struct actor *a, const char *month, const char *type, int limit, meeting_row_fn fn, void *ctx,
			    struct field_errors *e);

/* Photos with the minutes: JPEG or PNG (told by the first bytes, not the
 * name), at most MEETING_PHOTO_MAX bytes and MEETING_PHOTOS_MAX a meeting,
 * added by the staff once the meeting has started. */
#define MEETING_PHOTO_MAX (2u << 20)
#define MEETING_PHOTOS_MAX 9
enum dj_result meeting_photo_add(db *d, const struct actor *a, int64_t id, const void *bytes, size_t len, int64_t now, int64_t *photo_id,
				 struct field_errors *e);
/* A photo of a meeting the actor may see: its bytes into out (the caller frees) and its type. */
enum dj_result meeting_photo_get(db *d, const struct actor *a, int64_t id, int64_t photo_id, unsigned char **out, size_t *len, char type[16],
				 struct field_errors *e);
void meeting_each_photo(db *d, int64_t id, void (*fn)(void *ctx, int64_t photo_id), void *ctx);

/* ---- monthly plans ---- */
struct meeting_monthly_plan {
	int64_t id, org_id;
	char org_name[168], month[8], type[16], theme[256], content[4096];
};
enum dj_result meeting_plan_publish(db *d, const struct actor *a, int64_t org_id, const char *month, const char *type, const char *theme,
				    const char *content, int64_t now, int64_t *id_out, struct field_errors *e);
/* The plans that apply to an org (published by a committee above it), of a month or (NULL) all, newest first. */
void meeting_plans_each(db *d, int64_t org_id, const char *month, void (*fn)(void *ctx, const struct meeting_monthly_plan *p), void *ctx);

/* ---- decisions ---- */

struct decision {
	int64_t id, meeting_id, org_id, owner_member_id;
	char org_name[168], org_path[256], org_code[64];
	char meeting_theme[256];
	int64_t meeting_at;
	char matter[2048], owner_name[96], deadline[11], state[8], result[2048], done_date[11];
	int64_t done_at, created_at;
	bool overdue;     /* open and past its deadline today: never counted as done */
	int64_t order_id; /* the resident's order it came from, 0: none */
	char order_code[24];
	/* 决议公开 and 实施结果公开: the date and the wording published ("" until then) */
	char pub_date[11], result_pub_date[11];
	char pub_text[2048], result_pub_text[2048];
};
bool decision_load(db *d, int64_t id, int64_t now, struct decision *x);
bool decision_is_overdue(const char *state, const char *deadline, int64_t now);
struct decision_supervisor {
	const char *kind; /* member | rep */
	int64_t member_id;
	const char *name;
};
struct decision_new {
	const char *matter, *deadline;
	int64_t owner_member_id;
	const struct decision_supervisor *supervisors;
	size_t supervisors_n;
	const char *order_code; /* optional: the tracking code of a resident's order the decision takes up */
};
/* Records a decision of a meeting (during or after it, not of a cancelled
 * one): matter, owner (a member of the branch) and deadline (not before the
 * meeting) required; the owner is notified. With order_code, a resident's
 * order of the branch (accepted, or being handled by the owner) becomes the
 * decision: it is assigned (派单) to the owner's login, through the orders'
 * state machine, and delivered (送单) with the result when the owner marks
 * the decision done, so the resident confirms it (销单) as any other. */
enum dj_result decision_create(db *d, const struct actor *a, int64_t meeting_id, const struct decision_new *n, int64_t now, int64_t *id_out,
			       struct field_errors *e);
/* A dated progress note, by the owner or the branch's staff, while open. */
enum dj_result decision_progress(db *d, const struct actor *a, int64_t id, const char *note, int64_t now, struct field_errors *e);
/* Done with its result, by the owner or the staff; a resident's order it
 * came from is delivered with the result when the owner (its handler) marks
 * it done, else its handler is told to deliver it. */
enum dj_result decision_done(db *d, const struct actor *a, int64_t id, const char *result, int64_t now, struct field_errors *e);
/* 决议公开: the secretary (the branch's staff or the committee above)
 * publishes the decision on the village's public page, with the wording the
 * public reads (text; empty: the matter as recorded) and the date (empty:
 * today; not before the meeting, not after today). Once. */
enum dj_result decision_publish(db *d, const struct actor *a, int64_t id, const char *text, const char *date, int64_t now, struct field_errors *e);
/* 实施结果公开: once the decision is done and published, its result (text;
 * empty: the result as recorded), dated (not before the 决议公开 nor the day
 * it was done, not after today). Once. */
enum dj_result decision_publish_result(db *d, const struct actor *a, int64_t id, const char *text, const char *date, int64_t now, struct field_errors *e);
bool decision_visible(db *d, const struct actor *a, const struct decision *x);
void decision_each_supervisor(db *d, int64_t id, void (*fn)(void *ctx, const struct decision_supervisor *s), void *ctx);
struct decision_note {
	const char *date, *note;
	int64_t at;
};
void decision_each_progress(db *d, int64_t id, void (*fn)(void *ctx, const struct decision_note *n), void *ctx);
/* Lists: what the actor may see (subtree; a member its own and its branch's),
 * or a meeting's (meeting_id), or the public ones of one village (org_id,
 * a == NULL: only the published, by their 决议公开 date). overdue_only:
 * open past the deadline. */
struct decision_filter {
	int64_t meeting_id, org_id;
	bool overdue_only, mine;
	int limit;
};
typedef void (*decision_row_fn)(void *ctx, const struct decision *x);
void decision_list(db *d, const struct actor *a, const struct decision_filter *f, int64_t now, decision_row_fn fn, void *ctx);
/* Read by the assessment: the decisions of the subtree at org_path whose
 * deadline falls in [from, to) (dates "YYYY-MM-DD"), by deadline; and how
 * many were marked done in [t0, t1) (难题、急事 solved). */
void decision_due_each(db *d, const char *org_path, const char *from, const char *to, int64_t now, decision_row_fn fn, void *ctx);
int64_t decision_done_count(db *d, const char *org_path, int64_t t0, int64_t t1);
/* Background: notifies owner and secretary of each decision that became overdue, once. */
int decisions_overdue_task(db *d, int64_t now);

/* ---- 四议两公开 ---- */

struct matter {
	int64_t id, org_id, round;
	char org_name[168], org_path[256], org_code[64];
	char title[256], description[4096], state[8];
	int next;        /* index of the step that comes next (matter_steps_count when done) */
	int64_t members; /* the branch's members: the 党员大会's total */
	int64_t created_at;
};
bool matter_load(db *d, int64_t id, struct matter *m);
enum dj_result matter_create(db *d, const struct actor *a, int64_t org_id, const char *title, const char *description, int64_t now, int64_t *id_out,
			     struct field_errors *e);
/* One step: only the next one in the table (the first again when the matter
 * stopped); date and record required; a quorum step needs present and favour
 * (and total, the representatives, for 村民代表会议), none larger than what it
 * counts. *passed says whether the quorum was met (the step is recorded either
 * way; a failed one stops the matter). */
/* decision_id: 决议公开 / 实施结果公开 may be a decision's publication (the
 * branch's, published so far): an empty date or record is taken from it. */
struct matter_step_input {
	const char *step, *date, *record;
	int64_t total, present, favour; /* -1: not given */
	int64_t decision_id;            /* 0: none */
};
enum dj_result matter_step_record(db *d, const struct actor *a, int64_t id, const struct matter_step_input *in, int64_t now, bool *passed,
				  struct field_errors *e);
struct matter_step_row {
	int64_t round, total, present, favour, decision_id;
	int seq;
	const char *step, *date, *record;
	bool passed;
};
void matter_each_step(db *d, int64_t id, void (*fn)(void *ctx, const struct matter_step_row *s), void *ctx);
bool matter_visible(const struct actor *a, const struct matter *m);
void matter_list(db *d, const struct actor *a, int64_t public_org_id, void (*fn)(void *ctx, const struct matter *m), void *ctx);

/* ---- reports ---- */

struct meeting_report_row {
	int64_t org_id;
	char org_name[168], org_code[64];
	int64_t held[MEETING_TYPES_MAX]; /* by the index in meeting_types_load(d, false, …) */
	int64_t held_total, cancelled;
	int64_t member_times, guest_times; /* 参会人次: members present; 进步青年 and 群众 */
	int64_t decisions, done, done_on_time, overdue, open;
};
/* The report of the org (its branches, one row each, then the org's whole),
 * meetings that started in [from, to] (dates, Beijing), decisions of those
 * meetings, overdue as of now. fn gets each branch then the total (org_id = the org). */
enum dj_result meeting_report(db *d, const struct actor *a, int64_t org_id, const char *from, const char *to, int64_t now,
			      void (*fn)(void *ctx, const struct meeting_report_row *row, bool total), void *ctx, struct field_errors *e);

/* The compliance of one month "YYYY-MM": per branch and required type, the
 * number held (in the month, or the quarter so far for quarterly types) and
 * a status: ok, missed (the period is over without one), pending (not over
 * yet), exempt (党小组会 of a branch without 党小组). */
struct compliance_cell {
	char type[16], label[64];
	int months;
	int64_t held;
	const char *status;
};
struct compliance_row {
	int64_t org_id;
	char org_name[168], org_code[64];
	struct compliance_cell cells[MEETING_TYPES_MAX];
	int ncells;
	bool missed;
};
enum dj_result meeting_compliance(db *d, const struct actor *a, int64_t org_id, const char *month, int64_t now,
				  void (*fn)(void *ctx, const struct compliance_row *row), void *ctx, struct field_errors *e);

/* One branch's row of that table, without a caller (the assessment reads
 * it for its 三会一课 item); false when the org or the month is unknown. */
bool meeting_compliance_of(db *d, int64_t org_id, const char *month, int64_t now, struct compliance_row *row);

/* The .xlsx of the report and the month's compliance (audited meeting.export). */
enum dj_result meeting_report_export(db *d, const struct actor *a, int64_t org_id, const char *from, const char *to, int64_t now, const char *path,
				     struct field_errors *e);

/* Beijing time helpers: "YYYY-MM-DD" + "HH:MM" → Unix seconds (false when not valid). */
bool meeting_time_parse(const char *date, const char *hm, int64_t *out);
void meeting_date_of(int64_t t, char out[11]);

/* The demo town's year of meetings (demo_meetings.c), the module record's .demo. */
int demo_meetings(db *d, const struct actor *cli, FILE *out);

/* what the dashboard counts of this mechanism (meetings_figures.c, SPEC M11) */
#include "figures.h"
#define MEETINGS_FIGURES_N 8
extern const struct figure meetings_figures[MEETINGS_FIGURES_N];

/* for campaign task links (campaigns.h): -1 none, -2 db error, 0 not yet, 1 fulfilled */
int meeting_link_state(db *d, int64_t id, char org_path[256]);

#endif
