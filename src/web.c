/* web — one answer per domain result; one reader of JSON bodies. */
#include "web.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "layout.h"
#include "util.h"

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

bool req_ok(req *r, enum dj_result res, const struct field_errors *e)
{
	if (res == DJ_OK)
		return true;
	req_fail(r, res, e);
	return false;
}

void req_json_obj(req *r, int status, jw *w)
{
	req_json_begin(r, status);
	jw_init(w, &r->out);
	jw_obj(w);
}

void req_json_list(req *r, jw *w, const char *key)
{
	req_json_obj(r, 200, w);
	jw_key(w, key);
	jw_arr(w);
}

void req_json_list_end(jw *w)
{
	jw_aend(w);
	jw_end(w);
}

void req_json_ok(req *r, int status)
{
	req_json_begin(r, status);
	buf_puts(&r->out, "{\"ok\":true}");
}

void jw_krows(jw *w, const char *key, buf *rows)
{
	jw_key(w, key);
	buf_puts(w->b, rows->len ? buf_str(rows) : "[]");
	w->need_comma[w->depth] = true;
	buf_free(rows);
}

void jw_rows(jw *w, buf *rows)
{
	jw_init(w, rows);
	jw_arr(w);
}

bool req_rows_done(req *r, jw *w, buf *rows, enum dj_result res, const struct field_errors *e)
{
	jw_aend(w);
	if (res == DJ_OK)
		return true;
	buf_free(rows);
	req_fail(r, res, e);
	return false;
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

void req_send_download(req *r, download_writer write, void *ctx, const char *content_type, const char *ascii_name, const char *filename)
{
	const char *tmpdir = getenv("TMPDIR");
	char dir[512], path[600];
	snprintf(dir, sizeof dir, "%s/dj-export-XXXXXX", tmpdir && *tmpdir && strlen(tmpdir) < 400 ? tmpdir : "/tmp");
	if (!mkdtemp(dir)) {
		fprintf(stderr, "dangjian: export: cannot create a directory in %s: %s\n", tmpdir ? "$TMPDIR" : "/tmp", strerror(errno));
		req_error(r, 503, "io", "导出失败，请稍后再试");
		return;
	}
	snprintf(path, sizeof path, "%s/export", dir);
	struct field_errors e = {0};
	enum dj_result res = write(path, ctx, &e);
	int fd = res == DJ_OK ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	struct stat st;
	bool open_ok = fd >= 0 && fstat(fd, &st) == 0;
	unlink(path);
	rmdir(dir);
	if (res != DJ_OK && res != DJ_DB_ERROR) {
		req_fail(r, res, &e);
		return;
	}
	if (!open_ok) {
		if (fd >= 0)
			close(fd);
		fprintf(stderr, "dangjian: export: %s\n", res == DJ_OK ? "cannot read the written file" : dj_message(res, &e));
		r->failed = true;
		req_error(r, 503, "io", "导出失败，请稍后再试");
		return;
	}
	req_send_fd(r, fd, (uint64_t)st.st_size);
	r->content_type = content_type;
	buf name = {0};
	buf_printf(&name, "attachment; filename=\"%s\"; filename*=UTF-8''", ascii_name);
	url_encode(&name, filename);
	req_set_header(r, "Content-Disposition", buf_str(&name));
	buf_free(&name);
}

void req_send_attachment(req *r, buf *data, const char *content_type, const char *ascii_name, const char *filename)
{
	buf_reset(&r->out);
	buf_append(&r->out, data->p ? data->p : "", data->len);
	r->content_type = content_type;
	buf name = {0};
	buf_printf(&name, "attachment; filename=\"%s\"; filename*=UTF-8''", ascii_name);
	url_encode(&name, filename);
	req_set_header(r, "Content-Disposition", buf_str(&name));
	buf_free(&name);
	req_set_header(r, "Cache-Control", "private, no-store");
}
