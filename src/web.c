/* web — one answer per domain result; one reader of JSON bodies. */
#include "web.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "layout.h"

int dj_result_status(enum dj_result res)
{
	switch (res) {
	case DJ_OK: return 200;
	case DJ_NOT_FOUND: return 404;
	case DJ_FORBIDDEN: return 403;
	case DJ_CONFLICT: return 409;
	case DJ_INVALID: return 422;
	case DJ_DB_ERROR: return 503;
	}
	return 500;
}

void req_fail(req *r, enum dj_result res, const struct field_errors *e)
{
	int status = dj_result_status(res);
	if (r->route && (r->route->flags & RF_API))
		req_error_fields(r, status, dj_result_code(res), dj_message(res, e), res == DJ_INVALID ? e : NULL);
	else
		req_error(r, status, dj_result_code(res), dj_message(res, e));
}

/* Printable ASCII of fewer than max bytes: safe to cut anywhere and to show. */
static bool ascii_text(const char *s, size_t max)
{
	size_t n = 0;
	for (; s[n]; n++)
		if ((unsigned char)s[n] < 0x20 || (unsigned char)s[n] >= 0x7f)
			return false;
	return n > 0 && n < max;
}

static bool json_type_ok(char type, json_t *v)
{
	switch (type) {
	case 'b': return json_is_boolean(v);
	case 'I': return json_is_integer(v);
	case 'a': return json_is_array(v);
	case 'o': return true;
	default: return json_is_string(v); /* json_unpack's s refuses null: name the field */
	}
}

static const char *json_type_name(char type)
{
	switch (type) {
	case 'b': return " true 或 false";
	case 'I': return "整数";
	case 'a': return "数组";
	default: return "字符串";
	}
}

/* json_unpack_ex said no: name the fields at fault (unknown, wrong type, missing). */
static void json_diagnose(json_t *j, const struct json_field *fields, const json_error_t *je, struct field_errors *e)
{
	const char *key;
	json_t *v;
	json_object_foreach(j, key, v)
	{
		const struct json_field *f = fields;
		while (f->key && strcmp(f->key, key))
			f++;
		/* a field name goes into 32 bytes: anything else is named unknown_field */
		const char *name = ascii_text(key, 32) ? key : "unknown_field";
		if (!f->key)
			ferr_add(e, name, "不接受的字段（可用字段见 API 文档）");
		else if (f->refused)
			ferr_add(e, name, "%s", f->refused);
		else if (!json_type_ok(f->type, v))
			ferr_add(e, name, "%s应为%s", f->label, json_type_name(f->type));
	}
	for (const struct json_field *f = fields; f->key; f++)
		if (f->required && !json_object_get(j, f->key))
			ferr_add(e, f->key, "请提供%s（%s）", f->label, f->key);
	if (!e->n)
		ferr_add(e, "_body", "请求内容不正确%s%.100s", ascii_text(je->text, 160) ? "：" : "", ascii_text(je->text, 160) ? je->text : "");
}

bool req_json_unpack(req *r, const struct json_field *fields, bool empty_ok, const char *fmt, ...)
{
	json_t *j;
	if (empty_ok && r->body.len == 0) {
		if (!r->json)
			r->json = json_object(); /* freed with the request */
		j = r->json;
	} else if (!(j = req_json(r)))
		return false;
	json_error_t je;
	va_list ap;
	va_start(ap, fmt);
	int rc = json_vunpack_ex(j, &je, JSON_STRICT, fmt, ap);
	va_end(ap);
	if (rc == 0)
		return true;
	struct field_errors e = {0};
	json_diagnose(j, fields, &je, &e);
	req_fail(r, DJ_INVALID, &e);
	return false;
}
