/* result — the one outcome type of the domain functions. */
#include "result.h"

#include <stdarg.h>
#include <stdio.h>

const char *dj_result_code(enum dj_result r)
{
	switch (r) {
	case DJ_OK: return "ok";
	case DJ_NOT_FOUND: return "not_found";
	case DJ_FORBIDDEN: return "forbidden";
	case DJ_CONFLICT: return "conflict";
	case DJ_INVALID: return "invalid";
	case DJ_DB_ERROR: return "db_error";
	}
	return "error";
}

enum dj_result dj_fail(struct field_errors *e, enum dj_result r, const char *fmt, ...)
{
	if (e && e->n < (int)(sizeof e->e / sizeof e->e[0])) {
		snprintf(e->e[e->n].field, sizeof e->e[e->n].field, "_form");
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->e[e->n].msg, sizeof e->e[e->n].msg, fmt, ap);
		va_end(ap);
		e->n++;
	}
	return r;
}

const char *dj_message(enum dj_result r, const struct field_errors *e)
{
	if (e && e->n)
		return e->e[0].msg;
	switch (r) {
	case DJ_OK: return "";
	case DJ_NOT_FOUND: return "记录不存在或不在您的管辖范围内";
	case DJ_FORBIDDEN: return "您的角色无权执行此操作";
	case DJ_CONFLICT: return "记录已被他人修改，请刷新后重试";
	case DJ_INVALID: return "填写的内容有误";
	case DJ_DB_ERROR: return "数据库暂时无法完成操作，请稍后再试";
	}
	return "出错了";
}
