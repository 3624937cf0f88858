/* themeday — films, reflections, practices and the monthly plan of the
 * theme party day (SPEC M4, issue 14). See themeday.h. */
#include "themeday.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "audit.h"
#include "meetings.h"
#include "notify.h"
#include "orders.h"
#include "util.h"
#include "volunteer.h"

const struct permission perm_film_publish = {"film.publish", "教育片：发布每月清单和预告", R_ADMIN | R_COMMITTEE};
const struct permission perm_themeday_record = {"themeday.record", "主题党日：记录观看场次、实践，制定和完成月度计划，分享观后感",
						R_ADMIN | R_COMMITTEE | R_BRANCH};
const struct permission perm_plan_chase = {"plan.chase", "主题党日：查看全镇落实情况并催办", R_ADMIN | R_COMMITTEE};

const char *const plan_parts[] = {"lesson", "film", "practice", NULL};
static const char *const part_labels[] = {"一课", "一片", "一实践"};

static bool is(const char *a, const char *b) { return a && b && !strcmp(a, b); }
static bool text_ok(const char *s, size_t max) { return s && *s && utf8_valid(s) && utf8_len(s) <= max; }
static bool text_opt(const char *s, size_t max) { return !s || !*s || (utf8_valid(s) && utf8_len(s) <= max); }

const char *plan_part_label(const char *part)
{
	for (int i = 0; plan_parts[i]; i++)
		if (is(part, plan_parts[i]))
			return part_labels[i];
	return part ? part : "";
}

bool month_valid(const char *m)
{
	if (!m || strlen(m) != 7 || m[4] != '-')
		return false;
	char d[11];
	snprintf(d, sizeof d, "%s-01", m);
	return date_valid(d);
}

/* The org's path and type, "" when there is none. */
static bool org_info(db *d, int64_t id, char path[256], char type[32], char name[128])
{
	path[0] = type[0] = name[0] = 0;
	db_stmt *s = db_query(d, "SELECT path, type, name FROM orgs WHERE id = ? AND dissolved_at IS NULL", "I", id);
	if (db_next(s)) {
		snprintf(path, 256, "%s", db_str(s, 0));
		snprintf(type, 32, "%s", db_str(s, 1));
		snprintf(name, 128, "%s", db_str(s, 2));
	}
	db_done(s);
	return *path != 0;
}

/* A 党支部 inside the actor's subtree (0: the actor's org), or the field error. */
static int64_t branch_of(db *d, const struct actor *a, int64_t org_id, char path[256], struct field_errors *e)
{
	char type[32], name[128];
	int64_t id = org_id ? org_id : a->org_id;
	if (!org_info(d, id, path, type, name) || !actor_covers(a, path)) {
		ferr_add(e, "org", "支部不存在或不在您的管辖范围内");
		return 0;
	}
	if (!is(type, "branch")) {
		ferr_add(e, "org", "请选择一个党支部");
		return 0;
	}
	return id;
}

static int64_t branch_size(db *d, const char *path)
{
	return db_int1(
		d, 0,
		"SELECT COUNT(*) FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE ? || '%' AND m.status NOT IN ('stopped', 'transferred')",
		"t", path);
}

/* What a member or grid worker sees of its branch: the nearest 党支部 at or
 * above its org (a member of a 党小组 sees its branch's screenings and shared
 * reflections); staff see their subtree. */
static void branch_scope(db *d, const struct actor *a, char out[256])
{
	const char *sc = actor_scope(a);
	snprintf(out, 256, "%s", sc);
	if (!(a->role & (R_MEMBER | R_GRID)))
		return;
	db_stmt *s = db_query(d, "SELECT path FROM orgs WHERE type = 'branch' AND ? LIKE path || '%' ORDER BY LENGTH(path) DESC LIMIT 1", "t", sc);
	if (db_next(s))
		snprintf(out, 256, "%s", db_str(s, 0));
	db_done(s);
}

/* The town of the actor: lists of orgs above the actor's org (its town's
 * committee) or inside its subtree are its lists. */
#define LIST_SEEN "(? LIKE o.path || '%' OR o.path LIKE ? || '%')"

/* ---- films ---- */

enum dj_result film_list_create(db *d, const struct actor *a, int64_t org_id, const char *month, const char *notice, int64_t now, int64_t *id_out,
				struct field_errors *e)
{
	if (!permission_allows(&perm_film_publish, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有镇党委可以发布教育片清单");
	char path[256], type[32], name[128];
	int64_t org = org_id ? org_id : a->org_id;
	if (!org_info(d, org, path, type, name) || !actor_covers(a, path))
		ferr_add(e, "org", "组织不存在或不在您的管辖范围内");
	if (!month_valid(month))
		ferr_add(e, "month", "请填写月份（YYYY-MM）");
	else if (db_int1(d, 0, "SELECT COUNT(*) FROM film_lists WHERE org_id = ? AND month = ?", "It", org, month))
		ferr_add(e, "month", "%s 的教育片清单已经发布过了", month);
	if (!text_opt(notice, 1000))
		ferr_add(e, "notice", "观看预告不能超过1000字");
	if (e->n)
		return DJ_INVALID;
	int64_t id = db_int1(d, 0,
			     "INSERT INTO film_lists (org_id, month, notice, created_by, created_at) VALUES (?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?) "
			     "RETURNING id",
			     "IttII", org, month, notice ? notice : "", a->user_id, now);
	if (!id)
		return DJ_DB_ERROR;
	char text[200];
	snprintf(text, sizeof text, "%s 教育片清单已发布，请安排观看", month);
	/* every branch of the subtree hears of it */
	int64_t branches[256];
	int n = 0;
	db_stmt *s = db_query(d, "SELECT id FROM orgs WHERE type = 'branch' AND dissolved_at IS NULL AND path LIKE ? || '%' ORDER BY id", "t", path);
	while (db_next(s) && n < 256)
		branches[n++] = db_int(s, 0);
	if (db_done(s) != DB_OK)
		return DJ_DB_ERROR;
	for (int i = 0; i < n; i++)
		if (notify_org_role(d, branches[i], "branch", "film_list", "film_list", id, text, now) != DB_OK)
			return DJ_DB_ERROR;
	if (audit_write(d, a, "film_list.create", "film_list", id, org, month) != DB_OK)
		return DJ_DB_ERROR;
	*id_out = id;
	return DJ_OK;
}

static void list_read(db_stmt *s, struct film_list *l)
{
	memset(l, 0, sizeof *l);
	l->id = db_int(s, 0);
	l->org_id = db_int(s, 1);
	snprintf(l->org_name, sizeof l->org_name, "%s", db_str(s, 2));
	snprintf(l->month, sizeof l->month, "%s", db_str(s, 3));
	snprintf(l->notice, sizeof l->notice, "%s", db_str(s, 4));
	l->created_at = db_int(s, 5);
	l->films = db_int(s, 6);
}
#define LIST_COLS "SELECT fl.id, fl.org_id, o.name, fl.month, fl.notice, fl.created_at, (SELECT COUNT(*) FROM films f WHERE f.list_id = fl.id) "

bool film_list_load(db *d, const struct actor *a, int64_t id, struct film_list *l)
{
	const char *sc = actor_scope(a);
	db_stmt *s = db_query(d, LIST_COLS "FROM film_lists fl JOIN orgs o ON o.id = fl.org_id WHERE fl.id = ? AND " LIST_SEEN, "Itt", id, sc, sc);
	bool ok = *sc && db_next(s);
	if (ok)
		list_read(s, l);
	db_done(s);
	return ok;
}

void film_lists_each(db *d, const struct actor *a, void (*fn)(void *ctx, const struct film_list *l), void *ctx)
{
	const char *sc = actor_scope(a);
	if (!*sc)
		return;
	db_stmt *s = db_query(
		d, LIST_COLS "FROM film_lists fl JOIN orgs o ON o.id = fl.org_id WHERE " LIST_SEEN " ORDER BY fl.month DESC, fl.id DESC LIMIT 60", "tt",
		sc, sc);
	while (db_next(s)) {
		struct film_list l;
		list_read(s, &l);
		fn(ctx, &l);
	}
	db_done(s);
}

enum dj_result film_add(db *d, const struct actor *a, int64_t list_id, const char *title, const char *kind, const char *url, int64_t now, int64_t *id_out,
			struct field_errors *e)
{
	if (!permission_allows(&perm_film_publish, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有镇党委可以发布教育片清单");
	struct film_list l;
	if (!film_list_load(d, a, list_id, &l))
		return dj_fail(e, DJ_NOT_FOUND, "教育片清单不存在");
	char path[256], type[32], name[128];
	if (!org_info(d, l.org_id, path, type, name) || !actor_covers(a, path))
		return dj_fail(e, DJ_NOT_FOUND, "教育片清单不存在");
	if (!text_ok(title, 60))
		ferr_add(e, "title", "请填写片名（60字以内）");
	struct vocab_item k; /* the kinds the committee keeps (lessons.h): a retired one no new film takes */
	if (!lesson_vocab_get(d, LV_FILM_KIND, kind, &k))
		ferr_add(e, "kind", "请选择教育片类别");
	else if (!k.active)
		ferr_add(e, "kind", "教育片类别“%s”已停用，请选择其他类别", k.label);
	if (!lesson_http_url(url))
		ferr_add(e, "url", "观看链接应以 http:// 或 https:// 开头");
	if (e->n)
		return DJ_INVALID;
	int64_t id = db_int1(d, 0, "INSERT INTO films (list_id, title, kind, url, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id", "ItttI", list_id,
			     title, kind, url, now);
	if (!id)
		return DJ_DB_ERROR;
	if (audit_write(d, a, "film.create", "film", id, l.org_id, title) != DB_OK)
		return DJ_DB_ERROR;
	*id_out = id;
	return DJ_OK;
}

#define FILM_COLS                                                                                                                                            \
	"SELECT f.id, f.list_id, fl.month, f.title, f.kind, f.url, (SELECT COUNT(*) FROM film_screenings x WHERE x.film_id = f.id), "                        \
	"(SELECT COUNT(*) FROM film_reflections x WHERE x.film_id = f.id), COALESCE(fk.label, f.kind) FROM films f JOIN film_lists fl ON fl.id = f.list_id " \
	"LEFT JOIN film_kinds fk ON fk.key = f.kind "

static void film_read(db_stmt *s, struct film *f)
{
	memset(f, 0, sizeof *f);
	f->id = db_int(s, 0);
	f->list_id = db_int(s, 1);
	snprintf(f->month, sizeof f->month, "%s", db_str(s, 2));
	snprintf(f->title, sizeof f->title, "%s", db_str(s, 3));
	snprintf(f->kind, sizeof f->kind, "%s", db_str(s, 4));
	snprintf(f->url, sizeof f->url, "%s", db_str(s, 5));
	f->screenings = db_int(s, 6);
	f->reflections = db_int(s, 7);
	snprintf(f->kind_label, sizeof f->kind_label, "%s", db_str(s, 8));
}

void films_each(db *d, int64_t list_id, void (*fn)(void *ctx, const struct film *f), void *ctx)
{
	db_stmt *s = db_query(d, FILM_COLS "WHERE f.list_id = ? ORDER BY f.id", "I", list_id);
	while (db_next(s)) {
		struct film f;
		film_read(s, &f);
		fn(ctx, &f);
	}
	db_done(s);
}

bool film_load(db *d, const struct actor *a, int64_t id, struct film *f)
{
	const char *sc = actor_scope(a);
	db_stmt *s = db_query(d, FILM_COLS "JOIN orgs o ON o.id = fl.org_id WHERE f.id = ? AND " LIST_SEEN, "Itt", id, sc, sc);
	bool ok = *sc && db_next(s);
	if (ok)
		film_read(s, f);
	db_done(s);
	return ok;
}

enum dj_result screening_add(db *d, const struct actor *a, int64_t film_id, int64_t org_id, const char *date, const char *place, int64_t attendees,
			     int64_t now, int64_t *id_out, struct field_errors *e)
{
	if (!permission_allows(&perm_themeday_record, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有支部可以记录观看场次");
	struct film f;
	if (!film_load(d, a, film_id, &f))
		return dj_fail(e, DJ_NOT_FOUND, "教育片不存在");
	char path[256];
	int64_t org = branch_of(d, a, org_id, path, e);
	if (!date || !date_valid(date))
		ferr_add(e, "date", "请填写观看日期（YYYY-MM-DD）");
	if (!text_ok(place, 80))
		ferr_add(e, "place", "请填写观看地点（80字以内）");
	if (attendees < 1)
		ferr_add(e, "attendees", "请填写观看人数");
	else if (org && attendees > branch_size(d, path))
		ferr_add(e, "attendees", "观看人数超过了本支部党员人数（%lld）", (long long)branch_size(d, path));
	if (e->n)
		return DJ_INVALID;
	int64_t id = db_int1(d, 0,
			     "INSERT INTO film_screenings (film_id, org_id, screen_date, place, attendees, created_by, created_at) VALUES (?, ?, ?, ?, ?, "
			     "NULLIF(CAST(? AS BIGINT), 0), ?) RETURNING id",
			     "IIttIII", film_id, org, date, place, attendees, a->user_id, now);
	if (!id)
		return DJ_DB_ERROR;
	if (audit_write(d, a, "screening.create", "film", film_id, org, f.title) != DB_OK)
		return DJ_DB_ERROR;
	*id_out = id;
	return DJ_OK;
}

void screenings_each(db *d, const struct actor *a, int64_t film_id, void (*fn)(void *ctx, const struct screening *s), void *ctx)
{
	char scope[256];
	branch_scope(d, a, scope);
	if (!*scope)
		return;
	db_stmt *s = db_query(
		d,
		"SELECT fs.id, fs.film_id, fs.org_id, fs.attendees, f.title, o.name, fs.screen_date, fs.place FROM film_screenings fs "
		"JOIN films f ON f.id = fs.film_id JOIN orgs o ON o.id = fs.org_id "
		"WHERE (CAST(? AS BIGINT) = 0 OR fs.film_id = ?) AND o.path LIKE ? || '%' ORDER BY fs.screen_date DESC, fs.id DESC LIMIT 200",
		"IIt", film_id, film_id, actor_scope(a));
	while (db_next(s)) {
		struct screening x = {.id = db_int(s, 0), .film_id = db_int(s, 1), .org_id = db_int(s, 2), .attendees = db_int(s, 3)};
		snprintf(x.film_title, sizeof x.film_title, "%s", db_str(s, 4));
		snprintf(x.org_name, sizeof x.org_name, "%s", db_str(s, 5));
		snprintf(x.date, sizeof x.date, "%s", db_str(s, 6));
		snprintf(x.place, sizeof x.place, "%s", db_str(s, 7));
		fn(ctx, &x);
	}
	db_done(s);
}

/* ---- reflections ---- */

enum dj_result reflection_add(db *d, const struct actor *a, int64_t film_id, const char *body, int64_t now, int64_t *id_out, struct field_errors *e)
{
	struct film f;
	if (!film_load(d, a, film_id, &f))
		return dj_fail(e, DJ_NOT_FOUND, "教育片不存在");
	int64_t member = lesson_member_of(d, a);
	int64_t org = member ? db_int1(d, 0, "SELECT org_id FROM members WHERE id = ?", "I", member) : 0;
	if (!member || !org)
		return dj_fail(e, DJ_FORBIDDEN, "只有与花名册关联的党员账号可以提交观后感");
	if (!text_ok(body, 2000) || utf8_len(body) < 10)
		ferr_add(e, "body", "请填写观后感（10到2000字）");
	if (db_int1(d, 0, "SELECT COUNT(*) FROM film_reflections WHERE film_id = ? AND member_id = ?", "II", film_id, member))
		ferr_add(e, "film_id", "您已经提交过这部教育片的观后感");
	if (e->n)
		return DJ_INVALID;
	int64_t id = db_int1(d, 0, "INSERT INTO film_reflections (film_id, member_id, org_id, body, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
			     "IIItI", film_id, member, org, body, now);
	if (!id)
		return DJ_DB_ERROR;
	/* once per film: the award is keyed by (member, event, film) */
	enum dj_result r = lessons_points_award(d, a, member, "reflection", "film", film_id, now, e);
	if (r != DJ_OK)
		return r;
	if (audit_write(d, a, "reflection.create", "film", film_id, org, f.title) != DB_OK)
		return DJ_DB_ERROR;
	*id_out = id;
	return DJ_OK;
}

bool reflection_written(db *d, const struct actor *a, int64_t film_id)
{
	int64_t member = lesson_member_of(d, a);
	return member && db_int1(d, 0, "SELECT COUNT(*) FROM film_reflections WHERE film_id = ? AND member_id = ?", "II", film_id, member) > 0;
}

enum dj_result reflection_share(db *d, const struct actor *a, int64_t id, bool shared, struct field_errors *e)
{
	char path[256] = "";
	int64_t org = 0;
	db_stmt *s = db_query(d, "SELECT o.path, o.id FROM film_reflections r JOIN orgs o ON o.id = r.org_id WHERE r.id = ?", "I", id);
	if (db_next(s)) {
		snprintf(path, sizeof path, "%s", db_str(s, 0));
		org = db_int(s, 1);
	}
	db_done(s);
	if (!*path || !actor_covers(a, path))
		return dj_fail(e, DJ_NOT_FOUND, "观后感不存在");
	if (!permission_allows(&perm_themeday_record, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有支部可以分享观后感");
	if (db_run(d, "UPDATE film_reflections SET shared = ? WHERE id = ?", "iI", shared ? 1 : 0, id) != DB_OK ||
	    audit_write(d, a, shared ? "reflection.share" : "reflection.unshare", "reflection", id, org, "") != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

void reflections_each(db *d, const struct actor *a, int64_t film_id, void (*fn)(void *ctx, const struct reflection *r), void *ctx)
{
	/* staff: their subtree; a member: its own and the shared ones of its branch */
	int64_t me = lesson_member_of(d, a);
	bool staff = permission_allows(&perm_themeday_record, a);
	char branch[256];
	branch_scope(d, a, branch);
	db_stmt *s = db_query(
		d,
		"SELECT r.id, r.film_id, r.member_id, r.org_id, r.created_at, f.title, m.name, o.name, r.body, r.shared FROM film_reflections r "
		"JOIN films f ON f.id = r.film_id JOIN members m ON m.id = r.member_id JOIN orgs o ON o.id = r.org_id "
		"WHERE (CAST(? AS BIGINT) = 0 OR r.film_id = ?) AND ((? = 1 AND o.path LIKE ? || '%') OR r.member_id = ? OR (r.shared = 1 AND o.path LIKE ? || '%')) "
		"ORDER BY r.id DESC LIMIT 200",
		"IIitIt", film_id, film_id, staff ? 1 : 0, actor_scope(a), me, *branch ? branch : "-");
	while (db_next(s)) {
		struct reflection x = {
			.id = db_int(s, 0), .film_id = db_int(s, 1), .member_id = db_int(s, 2), .org_id = db_int(s, 3), .created_at = db_int(s, 4)};
		snprintf(x.film_title, sizeof x.film_title, "%s", db_str(s, 5));
		snprintf(x.member_name, sizeof x.member_name, "%s", db_str(s, 6));
		snprintf(x.org_name, sizeof x.org_name, "%s", db_str(s, 7));
		snprintf(x.body, sizeof x.body, "%s", db_str(s, 8));
		x.shared = db_int(s, 9) != 0;
		fn(ctx, &x);
	}
	db_done(s);
}

/* ---- practices ---- */

enum dj_result practice_add(db *d, const struct actor *a, int64_t org_id, const char *title, const char *date, int64_t participants, const char *note,
			    int64_t now, int64_t *id_out, struct field_errors *e)
{
	if (!permission_allows(&perm_themeday_record, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有支部可以记录实践活动");
	char path[256];
	int64_t org = branch_of(d, a, org_id, path, e);
	if (!text_ok(title, 60))
		ferr_add(e, "title", "请填写实践活动名称（60字以内）");
	if (!date || !date_valid(date))
		ferr_add(e, "date", "请填写活动日期（YYYY-MM-DD）");
	if (participants < 1 || participants > 100000)
		ferr_add(e, "participants", "请填写参加人数");
	if (!text_opt(note, 1000))
		ferr_add(e, "note", "说明不能超过1000字");
	if (e->n)
		return DJ_INVALID;
	int64_t id = db_int1(d, 0,
			     "INSERT INTO practices (org_id, title, practice_date, participants, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, "
			     "NULLIF(CAST(? AS BIGINT), 0), ?) RETURNING id",
			     "IttItII", org, title, date, participants, note ? note : "", a->user_id, now);
	if (!id)
		return DJ_DB_ERROR;
	if (audit_write(d, a, "practice.create", "practice", id, org, title) != DB_OK)
		return DJ_DB_ERROR;
	*id_out = id;
	return DJ_OK;
}

/* ---- references: THE place where the kinds a plan refers to are looked up ----
 * Each kind: how to find its record, its org, its date, whether it counts as
 * carried out, its console page. The kinds of this mechanism are read from
 * their tables; "meeting" (issue 13) and "volunteer" (issue 12) through the
 * read functions of their own modules (meeting_load, volunteer_activity_load:
 * no SQL here on their tables). A meeting counts when it is a 党课 or a
 * 主题党日 and was held; a volunteer activity when it finished. */
typedef bool (*ref_lookup_fn)(db *d, int64_t id, struct plan_ref *out);

static bool ref_row(db *d, const char *sql, int64_t id, struct plan_ref *out)
{
	db_stmt *s = db_query(d, sql, "I", id);
	bool ok = db_next(s);
	if (ok) {
		snprintf(out->title, sizeof out->title, "%s", db_str(s, 0));
		snprintf(out->org_path, sizeof out->org_path, "%s", db_str(s, 1));
		snprintf(out->date, sizeof out->date, "%s", db_str(s, 2));
		out->done = db_int(s, 3) != 0;
		out->verified = true;
	}
	db_done(s);
	return ok;
}

static bool lookup_lesson_order(db *d, int64_t id, struct plan_ref *out)
{
	return ref_row(d,
		       "SELECT l.title, o.path, COALESCE(lo.lesson_date, ''), CASE WHEN lo.state IN ('delivered', 'rated') THEN 1 ELSE 0 END "
		       "FROM lesson_orders lo JOIN lessons l ON l.id = lo.lesson_id JOIN orgs o ON o.id = lo.org_id WHERE lo.id = ?",
		       id, out);
}

static bool lookup_screening(db *d, int64_t id, struct plan_ref *out)
{
	return ref_row(
		d,
		"SELECT f.title, o.path, fs.screen_date, 1 FROM film_screenings fs JOIN films f ON f.id = fs.film_id JOIN orgs o ON o.id = fs.org_id "
		"WHERE fs.id = ?",
		id, out);
}

static bool lookup_practice(db *d, int64_t id, struct plan_ref *out)
{
	return ref_row(d, "SELECT p.title, o.path, p.practice_date, 1 FROM practices p JOIN orgs o ON o.id = p.org_id WHERE p.id = ?", id, out);
}

/* The meeting types a plan counts: 党课 and 主题党日 (the occasion of the
 * 一月一课一片一实践, where the 微党课 is given). */
static const char *const plan_meeting_types[] = {"lesson", "theme_day", NULL};

static bool lookup_meeting(db *d, int64_t id, struct plan_ref *out)
{
	struct meeting *m = malloc(sizeof *m);
	bool ok = m && id > 0 && meeting_load(d, id, m);
	if (ok) {
		snprintf(out->title, sizeof out->title, "%.60s「%.180s」", m->type_label, m->theme);
		snprintf(out->org_path, sizeof out->org_path, "%s", m->org_path);
		snprintf(out->subtype, sizeof out->subtype, "%s", m->type);
		meeting_date_of(m->starts_at, out->date);
		out->done = !strcmp(m->state, "held");
		out->fits = false;
		for (int i = 0; plan_meeting_types[i]; i++)
			out->fits |= is(m->type, plan_meeting_types[i]);
		out->verified = true;
	}
	free(m);
	return ok;
}

static bool lookup_volunteer(db *d, int64_t id, struct plan_ref *out)
{
	struct volunteer_activity *v = malloc(sizeof *v);
	bool ok = v && id > 0 && volunteer_activity_load(d, id, v);
	if (ok) {
		snprintf(out->title, sizeof out->title, "%s", v->title);
		snprintf(out->org_path, sizeof out->org_path, "%s", v->org_path);
		snprintf(out->subtype, sizeof out->subtype, "%s", v->kind);
		lesson_date_of(v->starts_at, out->date);
		out->done = !strcmp(v->state, "finished");
		out->verified = true;
	}
	free(v);
	return ok;
}

static const struct {
	const char *kind, *label, *part, *href;
	ref_lookup_fn lookup;
} ref_kinds[] = {
	{"lesson_order", "微党课点单", "lesson", "/lesson-orders/", lookup_lesson_order},
	{"screening", "教育片观看场次", "film", "", lookup_screening},
	{"practice", "实践活动", "practice", "", lookup_practice},
	{"meeting", "会议（主题党日、党课）", NULL, "/meetings/", lookup_meeting},  /* issue 13 */
	{"volunteer", "志愿服务活动", "practice", "/volunteer/", lookup_volunteer}, /* issue 12 */
};
const char *const plan_ref_kinds[] = {"lesson_order", "微党课点单",   "screening", "教育片观看场次",
				      "practice",     "实践活动",     "meeting",   "会议（主题党日、党课）",
				      "volunteer",    "志愿服务活动", NULL};

bool themeday_ref_lookup(db *d, const char *kind, int64_t id, const char *given_title, struct plan_ref *out)
{
	(void)given_title; /* every kind is looked up in its own module now */
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < sizeof ref_kinds / sizeof ref_kinds[0]; i++)
		if (is(ref_kinds[i].kind, kind)) {
			snprintf(out->kind, sizeof out->kind, "%s", kind);
			out->id = id;
			out->href = ref_kinds[i].href;
			out->fits = true;
			return ref_kinds[i].lookup(d, id, out);
		}
	return false;
}

/* [t0, t1): the month YYYY-MM in Beijing time. */
static bool month_span(const char *month, int64_t *t0, int64_t *t1)
{
	char d0[11], d1[24];
	int y = atoi(month), m = atoi(month + 5) + 1;
	if (m > 12)
		m = 1, y++;
	snprintf(d0, sizeof d0, "%.7s-01", month);
	snprintf(d1, sizeof d1, "%04d-%02d-01", y, m);
	return meeting_time_parse(d0, "00:00", t0) && meeting_time_parse(d1, "00:00", t1);
}

bool themeday_part_auto(db *d, const char *org_path, const char *month, const char *part, struct plan_ref *out)
{
	int64_t t0, t1, id = 0;
	const char *kind = NULL;
	if (!month_valid(month) || !month_span(month, &t0, &t1))
		return false;
	if (is(part, "lesson")) {
		kind = "meeting";
		for (int i = 0; plan_meeting_types[i] && !id; i++)
			id = meeting_held_first(d, org_path, plan_meeting_types[i], t0, t1);
	} else if (is(part, "practice")) {
		kind = "volunteer";
		id = volunteer_finished_first(d, org_path, t0, t1);
	}
	if (!id || !themeday_ref_lookup(d, kind, id, NULL, out))
		return false;
	out->automatic = true;
	return out->done && out->fits;
}

/* Which part a kind may complete (NULL: any). */
static const char *ref_part(const char *kind)
{
	for (size_t i = 0; i < sizeof ref_kinds / sizeof ref_kinds[0]; i++)
		if (is(ref_kinds[i].kind, kind))
			return ref_kinds[i].part;
	return NULL;
}

/* ---- plans ---- */

enum dj_result plan_create(db *d, const struct actor *a, int64_t org_id, const char *month, const char *const titles[3], int64_t now, int64_t *id_out,
			   struct field_errors *e)
{
	if (!permission_allows(&perm_themeday_record, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有支部可以制定主题党日计划");
	char path[256];
	int64_t org = branch_of(d, a, org_id, path, e);
	if (!month_valid(month))
		ferr_add(e, "month", "请填写月份（YYYY-MM）");
	else if (org && db_int1(d, 0, "SELECT COUNT(*) FROM theme_plans WHERE org_id = ? AND month = ?", "It", org, month))
		ferr_add(e, "month", "本支部 %s 的计划已经制定过了", month);
	for (int i = 0; i < 3; i++)
		if (!text_ok(titles[i], 60))
			ferr_add(e, plan_parts[i], "请填写%s的内容（60字以内）", part_labels[i]);
	if (e->n)
		return DJ_INVALID;
	int64_t id = db_int1(d, 0,
			     "INSERT INTO theme_plans (org_id, month, created_by, created_at) VALUES (?, ?, NULLIF(CAST(? AS BIGINT), 0), ?) RETURNING id",
			     "ItII", org, month, a->user_id, now);
	if (!id)
		return DJ_DB_ERROR;
	for (int i = 0; i < 3; i++)
		if (db_run(d, "INSERT INTO theme_plan_parts (plan_id, part, title) VALUES (?, ?, ?)", "Itt", id, plan_parts[i], titles[i]) != DB_OK)
			return DJ_DB_ERROR;
	if (audit_write(d, a, "plan.create", "plan", id, org, month) != DB_OK)
		return DJ_DB_ERROR;
	*id_out = id;
	return DJ_OK;
}

enum dj_result plan_complete(db *d, const struct actor *a, int64_t plan_id, const char *part, const char *kind, int64_t ref_id, const char *title,
			     int64_t now, struct field_errors *e)
{
	char path[256] = "", month[8] = "";
	int64_t org = 0;
	db_stmt *s = db_query(d, "SELECT o.path, p.month, p.org_id FROM theme_plans p JOIN orgs o ON o.id = p.org_id WHERE p.id = ?", "I", plan_id);
	if (db_next(s)) {
		snprintf(path, sizeof path, "%s", db_str(s, 0));
		snprintf(month, sizeof month, "%s", db_str(s, 1));
		org = db_int(s, 2);
	}
	db_done(s);
	if (!*path || !actor_covers(a, path))
		return dj_fail(e, DJ_NOT_FOUND, "计划不存在或不在您的管辖范围内");
	if (!permission_allows(&perm_themeday_record, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有支部可以完成计划");
	bool part_ok = false;
	for (int i = 0; plan_parts[i]; i++)
		part_ok |= is(plan_parts[i], part);
	if (!part_ok)
		return ferr_add(e, "part", "没有这一项（lesson、film、practice）"), DJ_INVALID;
	struct plan_ref ref;
	if (!kind || !themeday_ref_lookup(d, kind, ref_id, title, &ref)) {
		ferr_add(e, "ref_id", "找不到这条记录");
		return DJ_INVALID;
	}
	const char *want = ref_part(kind);
	if (want && !is(want, part))
		ferr_add(e, "kind", "%s 不能完成“%s”", kind, plan_part_label(part));
	if (strncmp(ref.org_path, path, strlen(path)) != 0)
		ferr_add(e, "ref_id", "这条记录不属于本支部");
	else if (!ref.fits) {
		char tlabel[64];
		ferr_add(e, "ref_id", "只有党课、主题党日可以计入计划（这是%s）", meeting_type_name(d, ref.subtype, tlabel));
	} else if (!ref.done)
		ferr_add(e, "ref_id", "这条记录还没有完成（微党课须已授课，会议须已召开，志愿服务活动须已结束）");
	else if (*ref.date && strncmp(ref.date, month, 7) != 0)
		ferr_add(e, "ref_id", "这条记录的日期（%s）不在计划月份 %s 内", ref.date, month);
	if (e->n)
		return DJ_INVALID;
	if (db_run(d, "UPDATE theme_plan_parts SET done_kind = ?, done_id = ?, done_title = ?, done_at = ? WHERE plan_id = ? AND part = ?", "tItIIt", kind,
		   ref_id, ref.title, now, plan_id, part) != DB_OK)
		return DJ_DB_ERROR;
	char sum[300];
	snprintf(sum, sizeof sum, "%s %s：%s #%lld", month, plan_part_label(part), kind, (long long)ref_id);
	if (audit_write(d, a, "plan.complete", "plan", plan_id, org, sum) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

/* The months from..to, at most 24. */
static int months_between(const char *from, const char *to, char out[][8], int max)
{
	int y = atoi(from), m = atoi(from + 5), ty = atoi(to), tm = atoi(to + 5), n = 0;
	while ((y < ty || (y == ty && m <= tm)) && n < max) {
		snprintf(out[n++], 8, "%04d-%02d", y, m);
		if (++m > 12)
			m = 1, y++;
	}
	return n;
}

enum dj_result plan_compliance(db *d, const struct actor *a, const char *prefix, const char *from, const char *to,
			       void (*fn)(void *ctx, const struct plan_row *row), void *ctx, int64_t *rows, int64_t *gaps, struct field_errors *e)
{
	*rows = *gaps = 0;
	if (!prefix || !*prefix)
		prefix = actor_scope(a);
	if (!*prefix || !actor_covers(a, prefix))
		return dj_fail(e, DJ_NOT_FOUND, "组织不存在或不在您的管辖范围内");
	if (!month_valid(from))
		ferr_add(e, "from", "起始月份应为 YYYY-MM");
	if (!month_valid(to))
		ferr_add(e, "to", "结束月份应为 YYYY-MM");
	else if (month_valid(from) && strcmp(to, from) < 0)
		ferr_add(e, "to", "结束月份不能早于起始月份");
	if (e->n)
		return DJ_INVALID;
	char months[24][8];
	int nm = months_between(from, to, months, 24);
	struct branch {
		int64_t id;
		char code[64], name[128], path[256];
	} *b = NULL;
	size_t nb = 0, cap = 0;
	db_stmt *s = db_query(
		d, "SELECT id, code, name, path FROM orgs WHERE type = 'branch' AND dissolved_at IS NULL AND path LIKE ? || '%' ORDER BY sort, id", "t",
		prefix);
	while (db_next(s)) {
		if (nb == cap) {
			cap = cap ? cap * 2 : 32;
			struct branch *nv = realloc(b, cap * sizeof *b);
			if (!nv)
				break;
			b = nv;
		}
		b[nb].id = db_int(s, 0);
		snprintf(b[nb].code, sizeof b[nb].code, "%s", db_str(s, 1));
		snprintf(b[nb].name, sizeof b[nb].name, "%s", db_str(s, 2));
		snprintf(b[nb].path, sizeof b[nb].path, "%s", db_str(s, 3));
		nb++;
	}
	if (db_done(s) != DB_OK) {
		free(b);
		return DJ_DB_ERROR;
	}
	/* the newest month first, branch by branch: what to chase now is on top */
	for (int mi = nm - 1; mi >= 0; mi--)
		for (size_t i = 0; i < nb; i++) {
			struct plan_row row = {.org_id = b[i].id, .org_code = b[i].code, .org_name = b[i].name, .month = months[mi]};
			char titles[3][256] = {{0}}, kinds[3][24] = {{0}}, dtitles[3][256] = {{0}};
			row.plan_id = db_int1(d, 0, "SELECT id FROM theme_plans WHERE org_id = ? AND month = ?", "It", b[i].id, months[mi]);
			if (row.plan_id) {
				s = db_query(
					d,
					"SELECT part, title, COALESCE(done_kind, ''), COALESCE(done_id, 0), done_title FROM theme_plan_parts WHERE plan_id = ?",
					"I", row.plan_id);
				while (db_next(s))
					for (int p = 0; p < 3; p++)
						if (is(db_str(s, 0), plan_parts[p])) {
							row.part[p].planned = true;
							snprintf(titles[p], sizeof titles[p], "%s", db_str(s, 1));
							snprintf(kinds[p], sizeof kinds[p], "%s", db_str(s, 2));
							row.part[p].done_id = db_int(s, 3);
							row.part[p].done = *kinds[p] != 0;
							snprintf(dtitles[p], sizeof dtitles[p], "%s", db_str(s, 4));
						}
				db_done(s);
			}
			row.gap = !row.plan_id;
			for (int p = 0; row.plan_id && p < 3; p++) {
				struct plan_ref ref;
				if (!row.part[p].done && themeday_part_auto(d, b[i].path, months[mi], plan_parts[p], &ref)) {
					row.part[p].done = row.part[p].automatic = true;
					snprintf(kinds[p], sizeof kinds[p], "%s", ref.kind);
					row.part[p].done_id = ref.id;
					snprintf(dtitles[p], sizeof dtitles[p], "%s", ref.title);
				}
			}
			for (int p = 0; p < 3; p++) {
				row.part[p].title = titles[p];
				row.part[p].done_kind = kinds[p];
				row.part[p].done_title = dtitles[p];
				row.gap |= !row.part[p].done;
			}
			(*rows)++;
			if (row.gap)
				(*gaps)++;
			if (fn)
				fn(ctx, &row);
		}
	free(b);
	return DJ_OK;
}

struct chase_ctx {
	int64_t orgs[512], plans[512];
	char missing[512][64]; /* what the branch is told is missing: 未制定计划, or the parts not done */
	int n;
};
static void chase_row(void *ctx, const struct plan_row *row)
{
	struct chase_ctx *c = ctx;
	if (row->gap && c->n < 512) {
		c->plans[c->n] = row->plan_id; /* the message opens the plans page; 0 when there is no plan yet */
		char *m = c->missing[c->n];
		if (!row->plan_id)
			snprintf(m, 64, "未制定计划");
		else {
			size_t k = 0;
			for (int p = 0; p < 3; p++)
				if (!row->part[p].done)
					k += (size_t)snprintf(m + k, 64 - k, "%s%s", k ? "、" : "", part_labels[p]);
			snprintf(m + k, 64 - k, "未完成");
		}
		c->orgs[c->n++] = row->org_id;
	}
}

enum dj_result plan_chase(db *d, const struct actor *a, const char *month, int64_t now, int64_t *chased, struct field_errors *e)
{
	*chased = 0;
	if (!permission_allows(&perm_plan_chase, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有镇党委可以催办");
	struct chase_ctx *c = calloc(1, sizeof *c);
	if (!c)
		return DJ_DB_ERROR;
	int64_t rows, gaps;
	enum dj_result r = plan_compliance(d, a, NULL, month, month, chase_row, c, &rows, &gaps, e);
	if (r == DJ_INVALID && ferr_get(e, "to") && !ferr_get(e, "month"))
		ferr_add(e, "month", "请填写月份（YYYY-MM）");
	for (int i = 0; r == DJ_OK && i < c->n; i++) {
		char text[200];
		snprintf(text, sizeof text, "%s 主题党日“一月一课一片一实践”尚未全部落实（%s），请尽快补齐", month, c->missing[i]);
		if (notify_org_role(d, c->orgs[i], "branch", "plan_gap", "plan", c->plans[i], text, now) != DB_OK)
			r = DJ_DB_ERROR;
	}
	if (r == DJ_OK) {
		*chased = c->n;
		char sum[100];
		snprintf(sum, sizeof sum, "%s 催办 %d 个支部", month, c->n);
		if (audit_write(d, a, "plan.chase", "org", a->org_id, a->org_id, sum) != DB_OK)
			r = DJ_DB_ERROR;
	}
	free(c);
	return r;
}

/* ---- the report ---- */

void themeday_stats_compute(db *d, const char *prefix, int64_t t0, int64_t t1, struct themeday_stats *st)
{
	memset(st, 0, sizeof *st);
	lesson_stats_compute(d, prefix, t0, t1, &st->lessons);
	char d0[11], d1[11];
	lesson_date_of(t0, d0);
	lesson_date_of(t1 - 1, d1);
	char m0[8], m1[8];
	snprintf(m0, sizeof m0, "%.7s", d0);
	snprintf(m1, sizeof m1, "%.7s", d1);
	/* lists and films of the months in the period, published in the subtree */
	st->film_lists = db_int1(
		d, 0, "SELECT COUNT(*) FROM film_lists fl JOIN orgs o ON o.id = fl.org_id WHERE o.path LIKE ? || '%' AND fl.month >= ? AND fl.month <= ?",
		"ttt", prefix, m0, m1);
	st->films = db_int1(
		d, 0,
		"SELECT COUNT(*) FROM films f JOIN film_lists fl ON fl.id = f.list_id JOIN orgs o ON o.id = fl.org_id WHERE o.path LIKE ? || '%' "
		"AND fl.month >= ? AND fl.month <= ?",
		"ttt", prefix, m0, m1);
	db_stmt *s = db_query(
		d,
		"SELECT COUNT(*), COALESCE(SUM(fs.attendees), 0) FROM film_screenings fs JOIN orgs o ON o.id = fs.org_id WHERE o.path LIKE ? || '%' "
		"AND fs.screen_date >= ? AND fs.screen_date <= ?",
		"ttt", prefix, d0, d1);
	if (db_next(s)) {
		st->screenings = db_int(s, 0);
		st->screening_attendance = db_int(s, 1);
	}
	db_done(s);
	st->reflections = db_int1(
		d, 0,
		"SELECT COUNT(*) FROM film_reflections r JOIN orgs o ON o.id = r.org_id WHERE o.path LIKE ? || '%' AND r.created_at >= ? "
		"AND r.created_at < ?",
		"tII", prefix, t0, t1);
	s = db_query(d,
		     "SELECT COUNT(*), COALESCE(SUM(p.participants), 0) FROM practices p JOIN orgs o ON o.id = p.org_id WHERE o.path LIKE ? || '%' "
		     "AND p.practice_date >= ? AND p.practice_date <= ?",
		     "ttt", prefix, d0, d1);
	if (db_next(s)) {
		st->practices = db_int(s, 0);
		st->practice_participants = db_int(s, 1);
	}
	db_done(s);
	/* a plan is complete when its three parts are done, by hand or by
	 * themeday_part_auto (a held 党课/主题党日, a finished activity) */
	struct open_plan {
		char path[256], month[8];
		int64_t done;
		bool parts[3];
	} *op = NULL;
	size_t nop = 0, cap = 0;
	s = db_query(d,
		     "SELECT p.id, o.path, p.month, x.part, CASE WHEN x.done_kind IS NOT NULL THEN 1 ELSE 0 END FROM theme_plans p JOIN orgs o ON "
		     "o.id = p.org_id JOIN theme_plan_parts x ON x.plan_id = p.id WHERE o.path LIKE ? || '%' AND p.month >= ? AND p.month <= ? "
		     "ORDER BY p.id",
		     "ttt", prefix, m0, m1);
	int64_t last = 0;
	while (db_next(s)) {
		if (db_int(s, 0) != last) {
			last = db_int(s, 0);
			st->plans++;
			if (nop == cap) {
				cap = cap ? cap * 2 : 32;
				struct open_plan *nv = realloc(op, cap * sizeof *op);
				if (!nv)
					break;
				op = nv;
			}
			memset(&op[nop], 0, sizeof op[nop]);
			snprintf(op[nop].path, sizeof op[nop].path, "%s", db_str(s, 1));
			snprintf(op[nop].month, sizeof op[nop].month, "%s", db_str(s, 2));
			nop++;
		}
		for (int p = 0; p < 3; p++)
			if (is(db_str(s, 3), plan_parts[p]) && db_int(s, 4))
				op[nop - 1].parts[p] = true;
	}
	db_done(s);
	for (size_t i = 0; i < nop; i++) {
		bool all = true;
		for (int p = 0; p < 3 && all; p++) {
			struct plan_ref ref;
			all = op[i].parts[p] || themeday_part_auto(d, op[i].path, op[i].month, plan_parts[p], &ref);
		}
		st->plans_complete += all;
	}
	free(op);
}

struct xl_ctx {
	lxw_worksheet *ws;
	lxw_row_t row;
};
static void xl_coverage(void *ctx, int64_t org_id, const char *code, const char *name, int64_t n)
{
	(void)org_id;
	struct xl_ctx *c = ctx;
	worksheet_write_string(c->ws, c->row, 0, code, NULL);
	worksheet_write_string(c->ws, c->row, 1, name, NULL);
	worksheet_write_number(c->ws, c->row, 2, (double)n, NULL);
	worksheet_write_string(c->ws, c->row, 3, n ? "已覆盖" : "未覆盖", NULL);
	c->row++;
}
static void xl_plan(void *ctx, const struct plan_row *row)
{
	struct xl_ctx *c = ctx;
	worksheet_write_string(c->ws, c->row, 0, row->org_name, NULL);
	worksheet_write_string(c->ws, c->row, 1, row->month, NULL);
	for (int p = 0; p < 3; p++)
		worksheet_write_string(c->ws, c->row, (lxw_col_t)(2 + p),
				       !row->plan_id          ? "无计划"
				       : row->part[p].done    ? row->part[p].done_title
				       : row->part[p].planned ? "未完成"
							      : "未计划",
				       NULL);
	worksheet_write_string(c->ws, c->row, 5, row->gap ? "有缺项" : "已落实", NULL);
	c->row++;
}

enum dj_result themeday_export(db *d, const struct actor *a, const char *prefix, const char *from, const char *to, const char *path,
			       struct field_errors *e)
{
	if (!(a->role & (R_ADMIN | R_COMMITTEE | R_BRANCH)))
		return dj_fail(e, DJ_FORBIDDEN, "您的角色不能导出统计");
	int64_t t0, t1;
	if (!from || !day_start(from, &t0))
		ferr_add(e, "from", "起始日期应为 YYYY-MM-DD");
	if (!to || !day_start(to, &t1))
		ferr_add(e, "to", "结束日期应为 YYYY-MM-DD");
	else if (!e->n && strcmp(to, from) < 0)
		ferr_add(e, "to", "结束日期不能早于起始日期");
	if (e->n)
		return DJ_INVALID;
	t1 += 86400;
	if (!prefix || !*prefix)
		prefix = actor_scope(a);
	if (!actor_covers(a, prefix))
		return dj_fail(e, DJ_NOT_FOUND, "组织不存在或不在您的管辖范围内");
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	close(fd);
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	struct themeday_stats st;
	themeday_stats_compute(d, prefix, t0, t1, &st);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "统计");
	worksheet_set_column(ws, 0, 0, 28, NULL);
	worksheet_write_string(ws, 0, 0, "项目", bold);
	worksheet_write_string(ws, 0, 1, "数量", bold);
	const struct {
		const char *label;
		int64_t v;
	} figs[] = {
		{"微党课（课程清单）", st.lessons.lessons},
		{"点单", st.lessons.orders},
		{"点单·已点单", st.lessons.by_state[0]},
		{"点单·已排课", st.lessons.by_state[1]},
		{"点单·已授课", st.lessons.by_state[2]},
		{"点单·已评价", st.lessons.by_state[3]},
		{"点单·已婉拒", st.lessons.by_state[4]},
		{"点单·已取消", st.lessons.by_state[5]},
		{"授课场次", st.lessons.deliveries},
		{"听课人次", st.lessons.attendance},
		{"上台讲微党课人次", st.lessons.speakers},
		{"教育片清单", st.film_lists},
		{"教育片", st.films},
		{"观看教育片场次", st.screenings},
		{"观看人次", st.screening_attendance},
		{"观后感", st.reflections},
		{"实践活动", st.practices},
		{"月度计划", st.plans},
		{"计划全部落实", st.plans_complete},
	};
	for (size_t i = 0; i < sizeof figs / sizeof figs[0]; i++) {
		worksheet_write_string(ws, (lxw_row_t)(i + 1), 0, figs[i].label, NULL);
		worksheet_write_number(ws, (lxw_row_t)(i + 1), 1, (double)figs[i].v, NULL);
	}
	struct xl_ctx c = {workbook_add_worksheet(wb, "巡讲覆盖"), 1};
	const char *ch[] = {"支部编码", "支部", "授课场次", "覆盖"};
	for (int i = 0; i < 4; i++)
		worksheet_write_string(c.ws, 0, (lxw_col_t)i, ch[i], bold);
	int64_t covered, branches;
	lesson_coverage(d, prefix, t0, t1, xl_coverage, &c, &covered, &branches);
	c.ws = workbook_add_worksheet(wb, "月度落实");
	c.row = 1;
	const char *ph[] = {"支部", "月份", "一课", "一片", "一实践", "落实"};
	for (int i = 0; i < 6; i++)
		worksheet_write_string(c.ws, 0, (lxw_col_t)i, ph[i], bold);
	char m0[8], m1[8];
	snprintf(m0, sizeof m0, "%.7s", from);
	snprintf(m1, sizeof m1, "%.7s", to);
	int64_t rows, gaps;
	enum dj_result r = plan_compliance(d, a, prefix, m0, m1, xl_plan, &c, &rows, &gaps, e);
	lxw_error err = workbook_close(wb);
	if (r != DJ_OK)
		return r;
	if (err != LXW_NO_ERROR)
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	char sum[100];
	snprintf(sum, sizeof sum, "%s 至 %s", from, to);
	if (audit_write(d, a, "themeday.export", "org", a->org_id, a->org_id, sum) != DB_OK)
		return dj_fail(e, DJ_DB_ERROR, "导出失败，请稍后再试");
	return DJ_OK;
}
