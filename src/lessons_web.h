/* lessons_web — what themeday_web.c uses of the lesson pages: the select of
 * a vocabulary the committee keeps (topics, film kinds), and the org and
 * period picker of the theme-day reports (巡讲进支部全覆盖, 主题党日统计). */
#ifndef DJ_LESSONS_WEB_H
#define DJ_LESSONS_WEB_H
#include <stdbool.h>

#include "lessons.h"
#include "orgs_web.h"
#include "server.h"

/* A <select> of the entries of v still in use (retired ones hidden). */
void lessons_vocab_select(req *r, enum lesson_vocab v, const char *name, const char *label, const char *selected);

/* The org and the period of a report: ?org=CODE through orgs_from_request
 * (default the caller's org; another subtree answers 404 and returns false
 * with nothing more to do), ?from=&to= (YYYY-MM-DD; both absent: this year
 * up to today). False with e->n > 0: a date is wrong (fields from, to). */
struct report_q {
	struct org_ref org;
	char from[11], to[11];
	int64_t t0, t1; /* the start of from, the start of the day after to */
};
bool lessons_report_query(req *r, const struct permission *action, struct report_q *q, struct field_errors *e);
/* The picker: a form (GET action) with the orgs of the caller's subtree that
 * reports are for (committee, 党总支, 党支部), the two dates and a button;
 * export_href, when not NULL, adds an 导出 Excel link for the same query. */
void lessons_report_picker(req *r, const char *action, const struct report_q *q, const char *export_href);

#endif
