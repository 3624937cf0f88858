/* lessons — the micro-lesson catalogue and its orders (SPEC M4, issue 14).
 * See lessons.h. */
#include "lessons.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "notify.h"
#include "points.h"
#include "util.h"

const struct permission perm_lesson_edit = {"lesson.edit", "微党课：维护课程清单", R_ADMIN | R_COMMITTEE | R_BRANCH};
const struct permission perm_lesson_topic = {"lesson_topic.create", "微党课、教育片：维护课程主题和教育片类别（新增、改名、停用）", R_ADMIN | R_COMMITTEE};
const struct permission perm_lesson_order = {"lesson.order", "微党课：支部点单、记录授课、评价", R_ADMIN | R_COMMITTEE | R_BRANCH};

/* The life of an order. A lecturer confirms (date and place) or declines;
 * the branch cancels while nothing was delivered, records the delivery
 * (attendance, who spoke) and rates it. */
const struct lesson_transition lesson_transitions[] = {
	{"requested", "confirm", LW_LECTURER, "scheduled"}, {"requested", "decline", LW_LECTURER, "declined"},
	{"requested", "cancel", LW_BRANCH, "cancelled"},    {"scheduled", "cancel", LW_BRANCH, "cancelled"},
	{"scheduled", "deliver", LW_BRANCH, "delivered"},   {"delivered", "rate", LW_BRANCH, "rated"},
};
const int lesson_transitions_count = sizeof lesson_transitions / sizeof lesson_transitions[0];
const char *const lesson_states[] = {"requested", "scheduled", "delivered", "rated", "declined", "cancelled", NULL};
const char *const lesson_actions[] = {"confirm", "decline", "cancel", "deliver", "rate", NULL};
static const char *const state_labels[] = {"已点单", "已排课", "已授课", "已评价", "已婉拒", "已取消"};
static const char *const action_labels[] = {"确认授课", "婉拒", "取消点单", "记录授课", "评价"};

static bool is(const char *a, const char *b) { return a && b && !strcmp(a, b); }

const char *lesson_state_label(const char *state)
{
	for (int i = 0; lesson_states[i]; i++)
		if (is(state, lesson_states[i]))
			return state_labels[i];
	return state ? state : "";
}

const char *lesson_action_label(const char *action)
{
	for (int i = 0; lesson_actions[i]; i++)
		if (is(action, lesson_actions[i]))
			return action_labels[i];
	return action ? action : "";
}

const char *lesson_who_key(int who) { return who == LW_LECTURER ? "lecturer" : who == LW_BRANCH ? "branch" : ""; }

const struct lesson_transition *lesson_find(const char *from, const char *action, int who)
{
	for (int i = 0; i < lesson_transitions_count; i++) {
		const struct lesson_transition *t = &lesson_transitions[i];
		if (is(t->from, from) && is(t->action, action) && (t->who & who))
			return t;
	}
	return NULL;
}

void lesson_date_of(int64_t now, char out[11])
{
	char t[20];
	fmt_time(now, t);
	memcpy(out, t, 10);
	out[10] = 0;
}

static bool text_ok(const char *s, size_t max) { return s && *s && utf8_valid(s) && utf8_len(s) <= max; }
static bool text_opt(const char *s, size_t max) { return !s || !*s || (utf8_valid(s) && utf8_len(s) <= max); }
bool lesson_http_url(const char *u)
{
	if (!u || strlen(u) >= 500 || strpbrk(u, " \t\r\n\"<>\\"))
		return false;
	const char *h = !strncmp(u, "http://", 7) ? u + 7 : !strncmp(u, "https://", 8) ? u + 8 : NULL;
	return h && *h && *h != '/' && *h != '?' && *h != '#' && *h != ':' && *h != '@';
}
static bool under(const char *path, const char *prefix) { return prefix && *prefix && !strncmp(path, prefix, strlen(prefix)); }

/* The CLI acts with the whole tree and for any lecturer. */
static bool is_cli(const struct actor *a) { return a->role == R_ADMIN && a->user_id == 0; }

int64_t lesson_member_of(db *d, const struct actor *a)
{
	if (!a->user_id)
		return 0;
	return db_int1(d, 0, "SELECT id FROM members WHERE user_id = ? ORDER BY id LIMIT 1", "I", a->user_id);
}

/* The path of the nearest 镇党委 at or above the actor's org (its own subtree without one). */
static void town_of(db *d, const struct actor *a, char out[256])
{
	const char *scope = actor_scope(a);
	db_stmt *s = db_query(d, "SELECT path FROM orgs WHERE type = 'committee' AND ? LIKE path || '%' ORDER BY LENGTH(path) DESC LIMIT 1", "t", scope);
	snprintf(out, 256, "%s", db_next(s) ? db_str(s, 0) : scope);
	db_done(s);
}

/* ---- the vocabularies: lesson topics and film kinds ----
 * Both are rows the committee keeps (/lessons/topics): added, renamed,
 * retired (active = 0) and taken back, never deleted — a lesson or film
 * keeps the key it was given, and its label follows a rename. One table of
 * statements per vocabulary, so the two cannot drift apart. */
struct vocab_def {
	const char *name, *what, *entity; /* "topic", "课程主题", audit entity */
	const char *add, *rename, *retire, *restore;
	const char *sql_each, *sql_get, *sql_label_taken, *sql_next_sort, *sql_insert, *sql_update;
	int max_label;
};
static const struct vocab_def vocab_defs[] = {
	[LV_TOPIC] =
		{"topic", "课程主题", "lesson_topic", "lesson_topic.create", "lesson_topic.rename", "lesson_topic.retire", "lesson_topic.restore",
		 "SELECT t.key, t.label, t.sort, t.active, (SELECT COUNT(*) FROM lessons l WHERE l.topic = t.key) FROM lesson_topics t "
		 "WHERE (? = 0 OR t.active = 1) ORDER BY t.sort, t.key LIMIT 100",
		 "SELECT t.key, t.label, t.sort, t.active, (SELECT COUNT(*) FROM lessons l WHERE l.topic = t.key) FROM lesson_topics t WHERE t.key = ?",
		 "SELECT COUNT(*) FROM lesson_topics WHERE label = ? AND key <> ?", "SELECT COALESCE(MAX(sort), 0) + 1 FROM lesson_topics",
		 "INSERT INTO lesson_topics (key, label, sort, active) VALUES (?, ?, ?, 1)",
		 "UPDATE lesson_topics SET label = ?, active = ? WHERE key = ?", 10},
	[LV_FILM_KIND] = {"film_kind", "教育片类别", "film_kind", "film_kind.create", "film_kind.rename", "film_kind.retire", "film_kind.restore",
			  "SELECT k.key, k.label, k.sort, k.active, (SELECT COUNT(*) FROM films f WHERE f.kind = k.key) FROM film_kinds k "
			  "WHERE (? = 0 OR k.active = 1) ORDER BY k.sort, k.key LIMIT 100",
			  "SELECT k.key, k.label, k.sort, k.active, (SELECT COUNT(*) FROM films f WHERE f.kind = k.key) FROM film_kinds k WHERE k.key = ?",
			  "SELECT COUNT(*) FROM film_kinds WHERE label = ? AND key <> ?", "SELECT COALESCE(MAX(sort), 0) + 1 FROM film_kinds",
			  "INSERT INTO film_kinds (key, label, sort, active) VALUES (?, ?, ?, 1)",
			  "UPDATE film_kinds SET label = ?, active = ? WHERE key = ?", 10},
};

const char *lesson_vocab_name(enum lesson_vocab v) { return vocab_defs[v].name; }
const char *lesson_vocab_what(enum lesson_vocab v) { return vocab_defs[v].what; }
bool lesson_vocab_of(const char *name, enum lesson_vocab *out)
{
	for (int v = 0; v < LV_COUNT; v++)
		if (is(name, vocab_defs[v].name)) {
			*out = (enum lesson_vocab)v;
			return true;
		}
	return false;
}

static void vocab_read(db_stmt *s, struct vocab_item *it)
{
	memset(it, 0, sizeof *it);
	snprintf(it->key, sizeof it->key, "%s", db_str(s, 0));
	snprintf(it->label, sizeof it->label, "%s", db_str(s, 1));
	it->sort = db_int(s, 2);
	it->active = db_int(s, 3) != 0;
	it->uses = db_int(s, 4);
}

void lesson_vocab_each(db *d, enum lesson_vocab v, bool active_only, void (*fn)(void *ctx, const struct vocab_item *it), void *ctx)
{
	db_stmt *s = db_query(d, vocab_defs[v].sql_each, "I", (int64_t)active_only);
	struct vocab_item it;
	while (db_next(s)) {
		vocab_read(s, &it);
		fn(ctx, &it);
	}
	db_done(s);
}

bool lesson_vocab_get(db *d, enum lesson_vocab v, const char *key, struct vocab_item *it)
{
	if (!key || !*key)
		return false;
	db_stmt *s = db_query(d, vocab_defs[v].sql_get, "t", key);
	bool ok = db_next(s);
	if (ok)
		vocab_read(s, it);
	return db_done(s) == DB_OK && ok;
}

struct topic_adapter {
	void (*fn)(void *ctx, const char *key, const char *label, bool active);
	void *ctx;
};
static void topic_adapt(void *ctx, const struct vocab_item *it)
{
	struct topic_adapter *t = ctx;
	if (it->active || it->uses > 0) /* a retired topic no lesson carries finds nothing */
		t->fn(t->ctx, it->key, it->label, it->active);
}
void lesson_topics_each(db *d, void (*fn)(void *ctx, const char *key, const char *label, bool active), void *ctx)
{
	struct topic_adapter t = {fn, ctx};
	lesson_vocab_each(d, LV_TOPIC, false, topic_adapt, &t);
}

static void vocab_label_check(db *d, const struct vocab_def *v, const char *key, const char *label, struct field_errors *e)
{
	if (!text_ok(label, (size_t)v->max_label) || utf8_len(label) < 2)
		ferr_add(e, "label", "请填写%s名称（2到%d个字）", v->what, v->max_label);
	else if (db_int1(d, 0, v->sql_label_taken, "tt", label, key ? key : ""))
		ferr_add(e, "label", "%s名称“%s”已存在", v->what, label);
}

enum dj_result lesson_vocab_add(db *d, const struct actor *a, enum lesson_vocab vk, const char *key, const char *label, char key_out[32],
				struct field_errors *e)
{
	const struct vocab_def *v = &vocab_defs[vk];
	if (!permission_allows(&perm_lesson_topic, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有镇党委可以维护%s", v->what);
	struct vocab_item old;
	int64_t sort = db_int1(d, 0, v->sql_next_sort, "");
	char made[32];
	if (!key || !*key) { /* a key of our own making: the label is what people read */
		snprintf(made, sizeof made, "%c%lld", vk == LV_TOPIC ? 't' : 'k', (long long)sort);
		for (int i = 2; lesson_vocab_get(d, vk, made, &old) && i < 100; i++)
			snprintf(made, sizeof made, "%c%lld_%d", vk == LV_TOPIC ? 't' : 'k', (long long)sort, i);
		key = made;
	}
	size_t n = strlen(key);
	if (n < 2 || n > 24 || strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789_") != n)
		ferr_add(e, "key", "%s代码应为2到24位小写字母、数字或下划线", v->what);
	else if (lesson_vocab_get(d, vk, key, &old))
		ferr_add(e, "key", "%s代码已存在", v->what);
	vocab_label_check(d, v, NULL, label, e);
	if (e->n)
		return DJ_INVALID;
	char sum[160];
	snprintf(sum, sizeof sum, "新增%s“%s”（%s）", v->what, label, key);
	if (db_run(d, v->sql_insert, "ttI", key, label, sort) != DB_OK || audit_write(d, a, v->add, v->entity, sort, a->org_id, sum) != DB_OK)
		return DJ_DB_ERROR;
	if (key_out)
		snprintf(key_out, 32, "%s", key);
	return DJ_OK;
}

enum dj_result lesson_topic_add(db *d, const struct actor *a, const char *key, const char *label, struct field_errors *e)
{
	if (!key || !*key) { /* the API names the key itself */
		ferr_add(e, "key", "主题代码应为2到24位小写字母、数字或下划线");
		return DJ_INVALID;
	}
	return lesson_vocab_add(d, a, LV_TOPIC, key, label, NULL, e);
}

enum dj_result lesson_vocab_set(db *d, const struct actor *a, enum lesson_vocab vk, const char *key, const char *label, int active, struct field_errors *e)
{
	const struct vocab_def *v = &vocab_defs[vk];
	if (!permission_allows(&perm_lesson_topic, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有镇党委可以维护%s", v->what);
	struct vocab_item it;
	if (!lesson_vocab_get(d, vk, key, &it))
		return dj_fail(e, DJ_NOT_FOUND, "%s不存在", v->what);
	if (label)
		vocab_label_check(d, v, it.key, label, e);
	if (active != -1 && active != 0 && active != 1)
		ferr_add(e, "active", "请选择启用或停用");
	if (!label && active == -1)
		ferr_add(e, "label", "请填写新的名称，或选择启用、停用");
	if (e->n)
		return DJ_INVALID;
	bool renamed = label && strcmp(label, it.label);
	bool switched = active != -1 && (active == 1) != it.active;
	if (!renamed && !switched)
		return DJ_OK; /* nothing changes: nothing is written */
	if (db_run(d, v->sql_update, "tIt", renamed ? label : it.label, (int64_t)(active == -1 ? it.active : active), it.key) != DB_OK)
		return DJ_DB_ERROR;
	char sum[240];
	if (renamed && audit_write(d, a, v->rename, v->entity, it.sort, a->org_id,
				   (snprintf(sum, sizeof sum, "%s“%s”改名为“%s”", v->what, it.label, label), sum)) != DB_OK)
		return DJ_DB_ERROR;
	if (switched && audit_write(d, a, active ? v->restore : v->retire, v->entity, it.sort, a->org_id,
				    (snprintf(sum, sizeof sum, "%s%s“%s”（已用 %lld 次）", active ? "启用" : "停用", v->what, renamed ? label : it.label,
					      (long long)it.uses),
				     sum)) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

void lesson_town_lecturers(db *d, const struct actor *a, void (*fn)(void *ctx, int64_t member_id, const char *name), void *ctx)
{
	char town[256];
	town_of(d, a, town);
	db_stmt *s = db_query(d,
			      "SELECT DISTINCT m.id, m.name FROM lesson_lecturers ll JOIN lessons l ON l.id = ll.lesson_id JOIN orgs o ON o.id = l.org_id "
			      "JOIN members m ON m.id = ll.member_id WHERE o.path LIKE ? || '%' ORDER BY m.name, m.id LIMIT 300",
			      "t", town);
	while (db_next(s))
		fn(ctx, db_int(s, 0), db_str(s, 1));
	db_done(s);
}

#define LESSON_COLS "l.id, l.title, l.topic, COALESCE(t.label, l.topic), l.minutes, l.outline, l.media_url, l.org_id, o.name, o.path, l.created_at "
#define LESSON_FROM "FROM lessons l JOIN orgs o ON o.id = l.org_id LEFT JOIN lesson_topics t ON t.key = l.topic "

static void lecturer_names(db *d, struct lesson *l)
{
	l->lecturers[0] = 0;
	size_t n = 0;
	db_stmt *s = db_query(d, "SELECT m.name FROM lesson_lecturers ll JOIN members m ON m.id = ll.member_id WHERE ll.lesson_id = ? ORDER BY m.id", "I",
			      l->id);
	while (db_next(s))
		n += (size_t)snprintf(l->lecturers + n, n < sizeof l->lecturers ? sizeof l->lecturers - n : 0, "%s%s", n ? "、" : "", db_str(s, 0));
	db_done(s);
}

static void lesson_read(db_stmt *s, struct lesson *l)
{
	memset(l, 0, sizeof *l);
	l->id = db_int(s, 0);
	snprintf(l->title, sizeof l->title, "%s", db_str(s, 1));
	snprintf(l->topic, sizeof l->topic, "%s", db_str(s, 2));
	snprintf(l->topic_label, sizeof l->topic_label, "%s", db_str(s, 3));
	l->minutes = db_int(s, 4);
	snprintf(l->outline, sizeof l->outline, "%s", db_str(s, 5));
	snprintf(l->media_url, sizeof l->media_url, "%s", db_str(s, 6));
	l->org_id = db_int(s, 7);
	snprintf(l->org_name, sizeof l->org_name, "%s", db_str(s, 8));
	snprintf(l->org_path, sizeof l->org_path, "%s", db_str(s, 9));
	l->created_at = db_int(s, 10);
}

bool lesson_load(db *d, int64_t id, struct lesson *l)
{
	db_stmt *s = db_query(d, "SELECT " LESSON_COLS LESSON_FROM "WHERE l.id = ?", "I", id);
	bool ok = db_next(s);
	if (ok)
		lesson_read(s, l);
	db_done(s);
	if (ok)
		lecturer_names(d, l);
	return ok;
}

void lesson_lecturers_each(db *d, int64_t lesson_id, void (*fn)(void *ctx, int64_t member_id, const char *name, const char *org), void *ctx)
{
	db_stmt *s = db_query(d,
			      "SELECT m.id, m.name, o.name FROM lesson_lecturers ll JOIN members m ON m.id = ll.member_id JOIN orgs o ON o.id = m.org_id "
			      "WHERE ll.lesson_id = ? ORDER BY m.id",
			      "I", lesson_id);
	while (db_next(s))
		fn(ctx, db_int(s, 0), db_str(s, 1), db_str(s, 2));
	db_done(s);
}

enum dj_result lesson_create(db *d, const struct actor *a, const struct lesson_new *n, int64_t *id_out, struct field_errors *e)
{
	if (!permission_allows(&perm_lesson_edit, a))
		return dj_fail(e, DJ_FORBIDDEN, "您没有维护微党课清单的权限");
	if (!text_ok(n->title, 60))
		ferr_add(e, "title", "请填写课程名称（60字以内）");
	struct vocab_item topic;
	if (!lesson_vocab_get(d, LV_TOPIC, n->topic, &topic))
		ferr_add(e, "topic", "请选择课程主题");
	else if (!topic.active) /* it stays on the lessons that have it, no new one takes it */
		ferr_add(e, "topic", "课程主题“%s”已停用，请选择其他主题", topic.label);
	if (n->minutes < 5 || n->minutes > 120)
		ferr_add(e, "minutes", "时长应在5到120分钟之间");
	if (!text_opt(n->outline, 2000))
		ferr_add(e, "outline", "课程提纲不能超过2000字");
	if (n->media_url && *n->media_url && !lesson_http_url(n->media_url))
		ferr_add(e, "media_url", "视频/课件链接应以 http:// 或 https:// 开头");
	int64_t org = n->org_id ? n->org_id : a->org_id;
	char path[256] = "";
	db_stmt *s = db_query(d, "SELECT path FROM orgs WHERE id = ?", "I", org);
	if (db_next(s))
		snprintf(path, sizeof path, "%s", db_str(s, 0));
	db_done(s);
	if (!*path || !actor_covers(a, path))
		ferr_add(e, "org", "开发单位不存在或不在您的管辖范围内");
	if (n->nlecturers <= 0)
		ferr_add(e, "lecturers", "请至少选择一名本土讲师");
	else {
		/* lecturers are active members of the actor's town */
		char town[256];
		town_of(d, a, town);
		for (int i = 0; i < n->nlecturers; i++) {
			int64_t ok = db_int1(
				d, 0,
				"SELECT COUNT(*) FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id = ? AND m.status NOT IN ('stopped', 'transferred') "
				"AND o.path LIKE ? || '%'",
				"It", n->lecturers[i], town);
			if (!ok) {
				ferr_add(e, "lecturers", "讲师须是本镇的在册党员");
				break;
			}
			for (int j = 0; j < i; j++)
				if (n->lecturers[j] == n->lecturers[i]) {
					ferr_add(e, "lecturers", "同一讲师不能重复选择");
					i = n->nlecturers;
					break;
				}
		}
	}
	if (e->n)
		return DJ_INVALID;
	int64_t at = n->at ? n->at : now_unix();
	int64_t id = db_int1(d, 0,
			     "INSERT INTO lessons (title, topic, minutes, outline, media_url, org_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, "
			     "NULLIF(CAST(? AS BIGINT), 0), ?) RETURNING id",
			     "ttIttIII", n->title, n->topic, n->minutes, n->outline ? n->outline : "", n->media_url ? n->media_url : "", org, a->user_id,
			     at);
	if (!id)
		return DJ_DB_ERROR;
	for (int i = 0; i < n->nlecturers; i++)
		if (db_run(d, "INSERT INTO lesson_lecturers (lesson_id, member_id) VALUES (?, ?)", "II", id, n->lecturers[i]) != DB_OK)
			return DJ_DB_ERROR;
	if (audit_write(d, a, "lesson.create", "lesson", id, org, n->title) != DB_OK)
		return DJ_DB_ERROR;
	*id_out = id;
	return DJ_OK;
}

void lesson_list(db *d, const struct actor *a, const struct lesson_filter *f, void (*fn)(void *ctx, const struct lesson *l), void *ctx)
{
	char town[256];
	town_of(d, a, town);
	db_stmt *s = db_query(d,
			      "SELECT " LESSON_COLS LESSON_FROM "WHERE o.path LIKE ? || '%' AND (CAST(? AS TEXT) IS NULL OR l.topic = ?) "
			      "AND (CAST(? AS BIGINT) = 0 OR EXISTS (SELECT 1 FROM lesson_lecturers x WHERE x.lesson_id = l.id AND x.member_id = ?)) "
			      "ORDER BY l.created_at DESC, l.id DESC LIMIT 500",
			      "tttII", town, f->topic && *f->topic ? f->topic : NULL, f->topic ? f->topic : "", f->lecturer, f->lecturer);
	/* read the page first: the lecturers' names are a statement of their own */
	struct lesson *v = NULL;
	size_t n = 0, cap = 0;
	while (db_next(s)) {
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			struct lesson *nv = realloc(v, cap * sizeof *v);
			if (!nv)
				break;
			v = nv;
		}
		lesson_read(s, &v[n++]);
	}
	db_done(s);
	for (size_t i = 0; i < n; i++) {
		lecturer_names(d, &v[i]);
		fn(ctx, &v[i]);
	}
	free(v);
}

/* ---- orders ---- */

#define ORDER_COLS                                                                                                                                \
	"lo.id, lo.lesson_id, l.title, lo.org_id, o.name, o.path, lo.state, lo.want_from, lo.want_to, lo.note, COALESCE(lo.lecturer_id, 0), "     \
	"COALESCE(m.name, ''), COALESCE(lo.lesson_date, ''), lo.place, lo.others, COALESCE(lo.rating, 0), lo.comment, lo.reason, lo.created_at, " \
	"lo.updated_at, COALESCE(lo.delivered_at, 0), "                                                                                           \
	"(SELECT COUNT(*) FROM lesson_attendance x WHERE x.order_id = lo.id), "                                                                   \
	"(SELECT COUNT(*) FROM lesson_attendance x WHERE x.order_id = lo.id AND x.spoke = 1) "
#define ORDER_FROM \
	"FROM lesson_orders lo JOIN lessons l ON l.id = lo.lesson_id JOIN orgs o ON o.id = lo.org_id LEFT JOIN members m ON m.id = lo.lecturer_id "

static void order_read(db_stmt *s, struct lesson_order *o)
{
	memset(o, 0, sizeof *o);
	o->id = db_int(s, 0);
	o->lesson_id = db_int(s, 1);
	snprintf(o->lesson_title, sizeof o->lesson_title, "%s", db_str(s, 2));
	o->org_id = db_int(s, 3);
	snprintf(o->org_name, sizeof o->org_name, "%s", db_str(s, 4));
	snprintf(o->org_path, sizeof o->org_path, "%s", db_str(s, 5));
	snprintf(o->state, sizeof o->state, "%s", db_str(s, 6));
	snprintf(o->want_from, sizeof o->want_from, "%s", db_str(s, 7));
	snprintf(o->want_to, sizeof o->want_to, "%s", db_str(s, 8));
	snprintf(o->note, sizeof o->note, "%s", db_str(s, 9));
	o->lecturer_id = db_int(s, 10);
	snprintf(o->lecturer_name, sizeof o->lecturer_name, "%s", db_str(s, 11));
	snprintf(o->lesson_date, sizeof o->lesson_date, "%s", db_str(s, 12));
	snprintf(o->place, sizeof o->place, "%s", db_str(s, 13));
	o->others = db_int(s, 14);
	o->rating = (int)db_int(s, 15);
	snprintf(o->comment, sizeof o->comment, "%s", db_str(s, 16));
	snprintf(o->reason, sizeof o->reason, "%s", db_str(s, 17));
	o->created_at = db_int(s, 18);
	o->updated_at = db_int(s, 19);
	o->delivered_at = db_int(s, 20);
	o->present = db_int(s, 21);
	o->speakers = db_int(s, 22);
}

bool lesson_order_load(db *d, int64_t id, struct lesson_order *o)
{
	db_stmt *s = db_query(d, "SELECT " ORDER_COLS ORDER_FROM "WHERE lo.id = ?", "I", id);
	bool ok = db_next(s);
	if (ok)
		order_read(s, o);
	db_done(s);
	return ok;
}

static bool is_lecturer(db *d, int64_t lesson_id, int64_t member_id)
{
	return member_id && db_int1(d, 0, "SELECT COUNT(*) FROM lesson_lecturers WHERE lesson_id = ? AND member_id = ?", "II", lesson_id, member_id) > 0;
}

int lesson_order_who(db *d, const struct actor *a, const struct lesson_order *o)
{
	if (is_cli(a))
		return LW_LECTURER | LW_BRANCH;
	int who = 0;
	if (permission_allows(&perm_lesson_order, a) && actor_covers(a, o->org_path))
		who |= LW_BRANCH;
	if (is_lecturer(d, o->lesson_id, lesson_member_of(d, a)))
		who |= LW_LECTURER;
	return who;
}

bool lesson_order_visible(db *d, const struct actor *a, const struct lesson_order *o)
{
	return actor_covers(a, o->org_path) || lesson_order_who(d, a, o) != 0;
}

static int64_t org_of_path(db *d, int64_t org_id, char path[256], char type[32])
{
	path[0] = type[0] = 0;
	db_stmt *s = db_query(d, "SELECT path, type FROM orgs WHERE id = ? AND dissolved_at IS NULL", "I", org_id);
	if (db_next(s)) {
		snprintf(path, 256, "%s", db_str(s, 0));
		snprintf(type, 32, "%s", db_str(s, 1));
	}
	db_done(s);
	return *path ? org_id : 0;
}

/* Tells every lecturer of the lesson who has an account. */
static int notify_lecturers(db *d, int64_t lesson_id, const char *kind, int64_t order_id, const char *text, int64_t now)
{
	int64_t users[LESSON_MAX_LECTURERS * 2];
	int n = 0;
	db_stmt *s = db_query(
		d,
		"SELECT m.user_id FROM lesson_lecturers ll JOIN members m ON m.id = ll.member_id WHERE ll.lesson_id = ? AND m.user_id IS NOT "
		"NULL ORDER BY m.id",
		"I", lesson_id);
	while (db_next(s) && n < (int)(sizeof users / sizeof users[0]))
		users[n++] = db_int(s, 0);
	int rc = db_done(s);
	for (int i = 0; i < n && rc == DB_OK; i++)
		rc = notify_user(d, users[i], kind, "lesson_order", order_id, text, now);
	return rc;
}

static int add_event(db *d, const struct actor *a, int64_t id, int64_t now, const char *action, const char *from, const char *to, const char *note)
{
	return db_run(d, "INSERT INTO lesson_order_events (order_id, at, action, from_state, to_state, actor, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
		      "IIttttt", id, now, action, from, to, *a->label ? a->label : a->username, note ? note : "");
}

enum dj_result lesson_order_create(db *d, const struct actor *a, int64_t lesson_id, int64_t org_id, const char *want_from, const char *want_to,
				   const char *note, int64_t now, int64_t *id_out, struct field_errors *e)
{
	if (!permission_allows(&perm_lesson_order, a))
		return dj_fail(e, DJ_FORBIDDEN, "只有支部可以点单");
	struct lesson l;
	if (!lesson_load(d, lesson_id, &l))
		return dj_fail(e, DJ_NOT_FOUND, "微党课不存在");
	char town[256];
	town_of(d, a, town);
	if (!under(l.org_path, town) && !actor_covers(a, l.org_path))
		return dj_fail(e, DJ_NOT_FOUND, "微党课不存在");
	char path[256], type[32];
	if (!org_of_path(d, org_id ? org_id : a->org_id, path, type) || !actor_covers(a, path))
		ferr_add(e, "org", "点单支部不存在或不在您的管辖范围内");
	else if (strcmp(type, "branch") != 0)
		ferr_add(e, "org", "请以党支部的名义点单");
	char today_s[11];
	lesson_date_of(now, today_s);
	if (!want_from || !date_valid(want_from))
		ferr_add(e, "want_from", "请填写希望开始日期（YYYY-MM-DD）");
	else if (strcmp(want_from, today_s) < 0)
		ferr_add(e, "want_from", "希望日期不能早于今天");
	if (!want_to || !*want_to)
		want_to = want_from;
	if (!want_to || !date_valid(want_to))
		ferr_add(e, "want_to", "请填写希望结束日期（YYYY-MM-DD）");
	else if (want_from && date_valid(want_from) && strcmp(want_to, want_from) < 0)
		ferr_add(e, "want_to", "结束日期不能早于开始日期");
	if (!text_opt(note, 500))
		ferr_add(e, "note", "备注不能超过500字");
	if (e->n)
		return DJ_INVALID;
	int64_t org = org_id ? org_id : a->org_id;
	int64_t id = db_int1(d, 0,
			     "INSERT INTO lesson_orders (lesson_id, org_id, state, want_from, want_to, note, created_by, created_at, updated_at) VALUES "
			     "(?, ?, 'requested', ?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?, ?) RETURNING id",
			     "IItttIII", lesson_id, org, want_from, want_to, note ? note : "", a->user_id, now, now);
	if (!id)
		return DJ_DB_ERROR;
	char text[400];
	snprintf(text, sizeof text, "支部点单：《%s》，希望 %s 至 %s 授课，请确认时间地点", l.title, want_from, want_to);
	if (add_event(d, a, id, now, "create", "", "requested", note) != DB_OK || notify_lecturers(d, lesson_id, "lesson_order", id, text, now) != DB_OK ||
	    audit_write(d, a, "lesson_order.create", "lesson_order", id, org, l.title) != DB_OK)
		return DJ_DB_ERROR;
	*id_out = id;
	return DJ_OK;
}

/* The size of a branch: its active members (and its groups'). */
static int64_t branch_size(db *d, const char *path)
{
	return db_int1(
		d, 0,
		"SELECT COUNT(*) FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE ? || '%' AND m.status NOT IN ('stopped', 'transferred')",
		"t", path);
}

static bool member_in(db *d, int64_t member_id, const char *path)
{
	return db_int1(d, 0,
		       "SELECT COUNT(*) FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id = ? AND o.path LIKE ? || '%' AND m.status NOT IN ('stopped', 'transferred')",
		       "It", member_id, path) > 0;
}

/* The attendance of a delivery: checked in full before anything is written. */
static bool check_attendance(db *d, const struct lesson_order *o, const struct lesson_act *act, struct field_errors *e)
{
	int n0 = e->n;
	int64_t listed = act->npresent;
	for (int i = 0; i < act->npresent; i++)
		if (!member_in(d, act->present[i], o->org_path)) {
			ferr_add(e, "present", "到场党员须是本支部的在册党员");
			break;
		}
	for (int i = 0; i < act->nspeakers; i++) {
		if (!member_in(d, act->speakers[i], o->org_path)) {
			ferr_add(e, "speakers", "上台讲课的党员须是本支部的在册党员");
			break;
		}
		bool dup = false;
		for (int j = 0; j < act->npresent && !dup; j++)
			dup = act->present[j] == act->speakers[i];
		if (!dup)
			listed++; /* a speaker was there too */
	}
	for (int i = 0; i < act->npresent; i++)
		for (int j = 0; j < i; j++)
			if (act->present[i] == act->present[j]) {
				ferr_add(e, "present", "到场党员有重复");
				i = act->npresent;
				break;
			}
	if (act->others < 0 || act->others > 100000)
		ferr_add(e, "others", "其他参加人数应为不小于0的整数");
	int64_t size = branch_size(d, o->org_path);
	if (e->n == n0 && listed + act->others > size)
		ferr_add(e, "others", "参加人数（%lld）超过了本支部党员人数（%lld）", (long long)(listed + act->others), (long long)size);
	if (e->n == n0 && listed + act->others == 0)
		ferr_add(e, "present", "请记录到场党员或参加人数");
	return e->n == n0;
}

static enum dj_result award_lecturers(db *d, const struct actor *a, const struct lesson_order *o, int64_t now, struct field_errors *e)
{
	int64_t ids[LESSON_MAX_LECTURERS * 2];
	int n = 0;
	db_stmt *s = db_query(d, "SELECT member_id FROM lesson_lecturers WHERE lesson_id = ? ORDER BY member_id", "I", o->lesson_id);
	while (db_next(s) && n < (int)(sizeof ids / sizeof ids[0]))
		ids[n++] = db_int(s, 0);
	if (db_done(s) != DB_OK)
		return DJ_DB_ERROR;
	for (int i = 0; i < n; i++) {
		enum dj_result r = lessons_points_award(d, a, ids[i], "lesson_given", "lesson_order", o->id, now, e);
		if (r != DJ_OK)
			return r;
	}
	return DJ_OK;
}

enum dj_result lesson_order_transition(db *d, const struct actor *a, int64_t id, const char *action, const struct lesson_act *act, int64_t now,
				       struct field_errors *e)
{
	struct lesson_order o;
	if (!lesson_order_load(d, id, &o) || !lesson_order_visible(d, a, &o))
		return dj_fail(e, DJ_NOT_FOUND, "点单不存在或不在您的管辖范围内");
	bool known = false;
	for (int i = 0; lesson_actions[i]; i++)
		known |= is(lesson_actions[i], action);
	if (!known)
		return dj_fail(e, DJ_NOT_FOUND, "没有这个操作");
	int who = lesson_order_who(d, a, &o);
	const struct lesson_transition *t = lesson_find(o.state, action, who);
	if (!t) {
		if (lesson_find(o.state, action, LW_LECTURER | LW_BRANCH)) {
			if (lesson_find(o.state, action, LW_LECTURER))
				return dj_fail(e, DJ_FORBIDDEN, "这不是您的微党课：只有授课讲师本人可以%s", lesson_action_label(action));
			return dj_fail(e, DJ_FORBIDDEN, "只有点单的支部可以%s", lesson_action_label(action));
		}
		return dj_fail(e, DJ_CONFLICT, "“%s”的点单不能%s", lesson_state_label(o.state), lesson_action_label(action));
	}
	/* the lecturer who acts: the actor's roster member (the CLI names one) */
	int64_t lecturer = 0;
	if (t->who == LW_LECTURER) {
		lecturer = is_cli(a) ? act->lecturer : lesson_member_of(d, a);
		if (!lecturer)
			lecturer = db_int1(d, 0, "SELECT MIN(member_id) FROM lesson_lecturers WHERE lesson_id = ?", "I", o.lesson_id);
		if (!is_lecturer(d, o.lesson_id, lecturer))
			return dj_fail(e, DJ_FORBIDDEN, "这不是您的微党课");
	}
	char today_s[11];
	lesson_date_of(now, today_s);
	const char *note = "";
	char buf_note[300] = "";
	int rc = DB_OK;
	if (is(action, "confirm")) {
		if (!act->date || !date_valid(act->date))
			ferr_add(e, "date", "请填写授课日期（YYYY-MM-DD）");
		else if (strcmp(act->date, today_s) < 0)
			ferr_add(e, "date", "授课日期不能早于今天");
		if (!text_ok(act->place, 80))
			ferr_add(e, "place", "请填写授课地点（80字以内）");
		if (e->n)
			return DJ_INVALID;
		snprintf(buf_note, sizeof buf_note, "%s %s", act->date, act->place);
		note = buf_note;
		rc = db_run(d,
			    "UPDATE lesson_orders SET state = ?, lecturer_id = ?, lesson_date = ?, place = ?, updated_at = ? WHERE id = ? AND state = ?",
			    "tIttIIt", t->to, lecturer, act->date, act->place, now, id, o.state);
	} else if (is(action, "decline")) {
		if (!text_ok(act->reason, 200))
			return ferr_add(e, "reason", "请填写婉拒的原因（200字以内）"), DJ_INVALID;
		note = act->reason;
		rc = db_run(d, "UPDATE lesson_orders SET state = ?, lecturer_id = ?, reason = ?, updated_at = ? WHERE id = ? AND state = ?", "tItIIt",
			    t->to, lecturer, act->reason, now, id, o.state);
	} else if (is(action, "cancel")) {
		if (!text_opt(act->reason, 200))
			return ferr_add(e, "reason", "取消原因不能超过200字"), DJ_INVALID;
		note = act->reason ? act->reason : "";
		rc = db_run(d, "UPDATE lesson_orders SET state = ?, reason = ?, updated_at = ? WHERE id = ? AND state = ?", "ttIIt", t->to, note, now, id,
			    o.state);
	} else if (is(action, "deliver")) {
		if (!check_attendance(d, &o, act, e))
			return DJ_INVALID;
		rc = db_run(d, "UPDATE lesson_orders SET state = ?, others = ?, delivered_at = ?, updated_at = ? WHERE id = ? AND state = ?", "tIIIIt",
			    t->to, act->others, now, now, id, o.state);
		if (rc == DB_OK && db_changes(d) == 0) /* someone acted first: no attendance twice */
			return dj_fail(e, DJ_CONFLICT, "点单已被他人处理，请刷新后再试");
		for (int i = 0; i < act->npresent && rc == DB_OK; i++) {
			bool spoke = false;
			for (int j = 0; j < act->nspeakers; j++)
				spoke |= act->speakers[j] == act->present[i];
			rc = db_run(d, "INSERT INTO lesson_attendance (order_id, member_id, spoke) VALUES (?, ?, ?)", "IIi", id, act->present[i],
				    spoke ? 1 : 0);
		}
		for (int i = 0; i < act->nspeakers && rc == DB_OK; i++) {
			bool listed = false;
			for (int j = 0; j < act->npresent; j++)
				listed |= act->speakers[i] == act->present[j];
			if (!listed)
				rc = db_run(d, "INSERT INTO lesson_attendance (order_id, member_id, spoke) VALUES (?, ?, 1)", "II", id, act->speakers[i]);
		}
		snprintf(buf_note, sizeof buf_note, "到场党员%d人，上台讲课%d人，其他%lld人", act->npresent, act->nspeakers, (long long)act->others);
		note = buf_note;
	} else if (is(action, "rate")) {
		if (act->rating < 1 || act->rating > 5)
			ferr_add(e, "rating", "请给出1到5的评分");
		if (!text_opt(act->comment, 500))
			ferr_add(e, "comment", "评价不能超过500字");
		if (e->n)
			return DJ_INVALID;
		note = act->comment ? act->comment : "";
		rc = db_run(d, "UPDATE lesson_orders SET state = ?, rating = ?, comment = ?, updated_at = ? WHERE id = ? AND state = ?", "titIIt", t->to,
			    act->rating, note, now, id, o.state);
	}
	if (rc != DB_OK)
		return DJ_DB_ERROR;
	if (!is(action, "deliver") && db_changes(d) == 0)
		return dj_fail(e, DJ_CONFLICT, "点单已被他人处理，请刷新后再试");
	if (add_event(d, a, id, now, action, o.state, t->to, note) != DB_OK)
		return DJ_DB_ERROR;
	/* who hears of it: the branch of the lecturer's answer, the lecturers of the branch's */
	char text[600];
	snprintf(text, sizeof text, "微党课《%s》点单：%s（%s）", o.lesson_title, lesson_action_label(action), o.org_name);
	if (t->who == LW_LECTURER)
		rc = notify_org_role(d, o.org_id, "branch", "lesson_order", "lesson_order", id, text, now);
	else if (is(action, "cancel") || is(action, "rate"))
		rc = notify_lecturers(d, o.lesson_id, "lesson_order", id, text, now);
	if (rc != DB_OK)
		return DJ_DB_ERROR;
	if (is(action, "deliver")) {
		enum dj_result r = award_lecturers(d, a, &o, now, e);
		if (r != DJ_OK)
			return r;
	}
	if (audit_write(d, a, "lesson_order.action", "lesson_order", id, o.org_id, lesson_action_label(action)) != DB_OK)
		return DJ_DB_ERROR;
	return DJ_OK;
}

int64_t lesson_orders_to_confirm(db *d, const struct actor *a)
{
	int64_t me = lesson_member_of(d, a);
	if (!me || !db_int1(d, 0, "SELECT COUNT(*) FROM lesson_lecturers WHERE member_id = ?", "I", me))
		return -1;
	return db_int1(d, 0,
		       "SELECT COUNT(*) FROM lesson_orders lo JOIN lesson_lecturers x ON x.lesson_id = lo.lesson_id WHERE x.member_id = ? AND "
		       "lo.state = 'requested'",
		       "I", me);
}

void lesson_order_list(db *d, const struct actor *a, const struct lesson_order_filter *f, void (*fn)(void *ctx, const struct lesson_order *o), void *ctx)
{
	int64_t me = lesson_member_of(d, a);
	const char *state = f->state && *f->state ? f->state : NULL;
	db_stmt *s = db_query(d,
			      "SELECT " ORDER_COLS ORDER_FROM "WHERE (CAST(? AS TEXT) IS NULL OR lo.state = ?) AND ("
			      "(? = 0 AND o.path LIKE ? || '%') OR "
			      "EXISTS (SELECT 1 FROM lesson_lecturers x WHERE x.lesson_id = lo.lesson_id AND x.member_id = ?)) "
			      "ORDER BY lo.id DESC LIMIT 200",
			      "ttitI", state, state ? state : "", f->mine ? 1 : 0, actor_scope(a), me);
	while (db_next(s)) {
		struct lesson_order o;
		order_read(s, &o);
		fn(ctx, &o);
	}
	db_done(s);
}

void lesson_order_events(db *d, int64_t id, void (*fn)(void *ctx, int64_t at, const char *action, const char *actor, const char *note), void *ctx)
{
	db_stmt *s = db_query(d, "SELECT at, action, actor, note FROM lesson_order_events WHERE order_id = ? ORDER BY id", "I", id);
	while (db_next(s))
		fn(ctx, db_int(s, 0), db_str(s, 1), db_str(s, 2), db_str(s, 3));
	db_done(s);
}

void lesson_order_attendance(db *d, int64_t id, void (*fn)(void *ctx, int64_t member_id, const char *name, bool spoke), void *ctx)
{
	db_stmt *s = db_query(
		d, "SELECT m.id, m.name, a.spoke FROM lesson_attendance a JOIN members m ON m.id = a.member_id WHERE a.order_id = ? ORDER BY m.id", "I",
		id);
	while (db_next(s))
		fn(ctx, db_int(s, 0), db_str(s, 1), db_int(s, 2) != 0);
	db_done(s);
}

void lesson_branch_members(db *d, int64_t org_id, void (*fn)(void *ctx, int64_t member_id, const char *name), void *ctx)
{
	db_stmt *s = db_query(
		d,
		"SELECT m.id, m.name FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE (SELECT path FROM orgs WHERE id = ?) || '%' "
		"AND m.status NOT IN ('stopped', 'transferred') ORDER BY m.id LIMIT 500",
		"I", org_id);
	while (db_next(s))
		fn(ctx, db_int(s, 0), db_str(s, 1));
	db_done(s);
}

/* ---- reports ---- */

void lesson_coverage(db *d, const char *prefix, int64_t t0, int64_t t1,
		     void (*fn)(void *ctx, int64_t org_id, const char *code, const char *name, int64_t deliveries), void *ctx, int64_t *covered,
		     int64_t *branches)
{
	*covered = *branches = 0;
	db_stmt *s = db_query(d,
			      "SELECT b.id, b.code, b.name, (SELECT COUNT(*) FROM lesson_orders lo JOIN orgs x ON x.id = lo.org_id "
			      "WHERE x.path LIKE b.path || '%' AND lo.delivered_at >= ? AND lo.delivered_at < ?) "
			      "FROM orgs b WHERE b.type = 'branch' AND b.dissolved_at IS NULL AND b.path LIKE ? || '%' ORDER BY b.sort, b.id",
			      "IIt", t0, t1, prefix);
	while (db_next(s)) {
		int64_t n = db_int(s, 3);
		(*branches)++;
		if (n)
			(*covered)++;
		if (fn)
			fn(ctx, db_int(s, 0), db_str(s, 1), db_str(s, 2), n);
	}
	db_done(s);
}

void lesson_stats_compute(db *d, const char *prefix, int64_t t0, int64_t t1, struct lesson_stats *st)
{
	memset(st, 0, sizeof *st);
	st->lessons = db_int1(d, 0, "SELECT COUNT(*) FROM lessons l JOIN orgs o ON o.id = l.org_id WHERE o.path LIKE ? || '%' AND l.created_at < ?", "tI",
			      prefix, t1);
	db_stmt *s = db_query(d,
			      "SELECT lo.state, COUNT(*) FROM lesson_orders lo JOIN orgs o ON o.id = lo.org_id WHERE o.path LIKE ? || '%' "
			      "AND lo.created_at >= ? AND lo.created_at < ? GROUP BY lo.state",
			      "tII", prefix, t0, t1);
	while (db_next(s)) {
		for (int i = 0; lesson_states[i]; i++)
			if (is(db_str(s, 0), lesson_states[i]))
				st->by_state[i] = db_int(s, 1);
		st->orders += db_int(s, 1);
	}
	db_done(s);
	s = db_query(d,
		     "SELECT COUNT(*), COALESCE(SUM(lo.others), 0), "
		     "COALESCE(SUM((SELECT COUNT(*) FROM lesson_attendance x WHERE x.order_id = lo.id)), 0), "
		     "COALESCE(SUM((SELECT COUNT(*) FROM lesson_attendance x WHERE x.order_id = lo.id AND x.spoke = 1)), 0), "
		     "COALESCE(SUM(CASE WHEN lo.rating IS NULL THEN 0 ELSE 1 END), 0), COALESCE(SUM(COALESCE(lo.rating, 0)), 0) "
		     "FROM lesson_orders lo JOIN orgs o ON o.id = lo.org_id WHERE o.path LIKE ? || '%' AND lo.delivered_at >= ? AND lo.delivered_at < ?",
		     "tII", prefix, t0, t1);
	if (db_next(s)) {
		st->deliveries = db_int(s, 0);
		st->others = db_int(s, 1);
		st->present = db_int(s, 2);
		st->speakers = db_int(s, 3);
		st->rated = db_int(s, 4);
		st->average_rating = st->rated ? (double)db_int(s, 5) / (double)st->rated : 0;
	}
	db_done(s);
	st->attendance = st->present + st->others;
}

/* ---- points (issue 11) ----
 * Every award of this mechanism goes through here, in the caller's
 * transaction: "lesson_given" to each lecturer of a delivered lesson
 * (lesson_order_transition), "reflection" once per member and film
 * (themeday.c's reflection_add). The award is the rule's consequence of the
 * event, so it is made as the system: the branch that records a delivery
 * does not hold the lecturer of another village in its subtree. As for
 * orders, only a failed write fails the event; an award the rules refuse
 * (no version in force) leaves the event standing. */
enum dj_result lessons_points_award(db *d, const struct actor *a, int64_t member_id, const char *event, const char *source_kind, int64_t source_id,
				    int64_t at, struct field_errors *e)
{
	(void)a;
	struct actor sys;
	actor_system(&sys);
	struct field_errors pe = {0};
	if (points_award(d, &sys, member_id, event, source_kind, source_id, 1, at, &pe) == DJ_DB_ERROR)
		return dj_fail(e, DJ_DB_ERROR, "数据库暂时无法完成操作，请稍后再试");
	return DJ_OK;
}
