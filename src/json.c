#include "json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void jw_init(jw *w, buf *b)
{
	memset(w, 0, sizeof *w);
	w->b = b;
}

static void sep(jw *w)
{
	if (w->need_comma[w->depth])
		buf_putc(w->b, ',');
	w->need_comma[w->depth] = true;
}

static void open(jw *w, char c)
{
	sep(w);
	buf_putc(w->b, c);
	if (w->depth < 31)
		w->depth++;
	w->need_comma[w->depth] = false;
}

static void close_(jw *w, char c)
{
	buf_putc(w->b, c);
	if (w->depth > 0)
		w->depth--;
}

void jw_obj(jw *w) { open(w, '{'); }
void jw_end(jw *w) { close_(w, '}'); }
void jw_arr(jw *w) { open(w, '['); }
void jw_aend(jw *w) { close_(w, ']'); }

void json_escape(buf *b, const char *s)
{
	buf_putc(b, '"');
	const unsigned char *u = (const unsigned char *)s;
	size_t start = 0, i = 0;
	for (; u[i]; i++) {
		if (u[i] >= 0x20 && u[i] != '"' && u[i] != '\\' && u[i] != '<')
			continue;
		buf_append(b, s + start, i - start);
		switch (u[i]) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		default: buf_printf(b, "\\u%04x", u[i]); break; /* controls and '<' (safe in <script>) */
		}
		start = i + 1;
	}
	buf_append(b, s + start, i - start);
	buf_putc(b, '"');
}

void jw_key(jw *w, const char *k)
{
	sep(w);
	json_escape(w->b, k);
	buf_putc(w->b, ':');
	w->need_comma[w->depth] = false;
}

void jw_str(jw *w, const char *s)
{
	sep(w);
	if (s)
		json_escape(w->b, s);
	else
		buf_puts(w->b, "null");
}

void jw_int(jw *w, int64_t v)
{
	sep(w);
	/* by hand: a list of 25 orders writes ~200 numbers, and vsnprintf
	 * was a tenth of its JSON's time */
	char d[24], *p = d + sizeof d;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	buf_append(w->b, p, (size_t)(d + sizeof d - p));
}

void jw_bool(jw *w, bool v)
{
	sep(w);
	buf_puts(w->b, v ? "true" : "false");
}

void jw_null(jw *w)
{
	sep(w);
	buf_puts(w->b, "null");
}

void jw_double(jw *w, double v)
{
	sep(w);
	if (isfinite(v))
		buf_printf(w->b, "%.6g", v);
	else
		buf_puts(w->b, "null");
}

void jw_kstr(jw *w, const char *k, const char *s) { jw_key(w, k), jw_str(w, s); }
void jw_kint(jw *w, const char *k, int64_t v) { jw_key(w, k), jw_int(w, v); }
void jw_kbool(jw *w, const char *k, bool v) { jw_key(w, k), jw_bool(w, v); }
