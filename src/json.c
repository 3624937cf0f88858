#include "json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void jw_init(jw *w, buf *b)
{
	memset(w, 0, sizeof *w);
	w->b = b;
}

/* One character, without a call when the buffer has room: a JSON answer is
 * thousands of small pieces (a page of 50 members, ~850 of them), and the
 * calls were ~15 % of such an answer's CPU (issue 9 §2). */
static inline void put1(buf *b, char c)
{
	if (b->p && b->len + 2 <= b->cap) {
		b->p[b->len++] = c;
		b->p[b->len] = '\0';
	} else
		buf_putc(b, c);
}

static void sep(jw *w)
{
	if (w->need_comma[w->depth])
		put1(w->b, ',');
	w->need_comma[w->depth] = true;
}

static void open(jw *w, char c)
{
	sep(w);
	put1(w->b, c);
	if (w->depth < 31)
		w->depth++;
	w->need_comma[w->depth] = false;
}

static void close_(jw *w, char c)
{
	put1(w->b, c);
	if (w->depth > 0)
		w->depth--;
}

void jw_obj(jw *w) { open(w, '{'); }
void jw_end(jw *w) { close_(w, '}'); }
void jw_arr(jw *w) { open(w, '['); }
void jw_aend(jw *w) { close_(w, ']'); }

void json_escape(buf *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t start = 0, i = 0;
	while (u[i] >= 0x20 && u[i] != '"' && u[i] != '\\' && u[i] != '<')
		i++;
	if (!u[i]) { /* nothing to escape (nearly always): one copy between the quotes */
		buf_reserve(b, i + 2);
		char *p = b->p + b->len;
		p[0] = '"';
		memcpy(p + 1, s, i);
		p[i + 1] = '"';
		p[i + 2] = '\0';
		b->len += i + 2;
		return;
	}
	i = 0;
	put1(b, '"');
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
	put1(b, '"');
}

void jw_key(jw *w, const char *k)
{
	sep(w);
	json_escape(w->b, k);
	put1(w->b, ':');
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
	/* the digits by hand: printf's machinery for each id and time was a
	 * tenth of a list's JSON */
	char tmp[24], *e = tmp + sizeof tmp, *p = e;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	buf_append(w->b, p, (size_t)(e - p));
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
