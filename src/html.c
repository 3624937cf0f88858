#include "html.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

void html_escape_n(buf *b, const char *s, size_t n)
{
	size_t start = 0;
	buf_reserve(b, n);
	for (size_t i = 0; i < n; i++) {
		const char *rep = NULL;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_append(b, s + start, i - start);
		buf_puts(b, rep);
		start = i + 1;
	}
	buf_append(b, s + start, n - start);
}

void html_escape(buf *b, const char *s)
{
	if (s)
		html_escape_n(b, s, strlen(s));
}

/* Walks the format: literal text is copied, each conversion is formatted by
 * snprintf on its own, and %s results are escaped before they are appended. */
void html_vprintf(buf *b, const char *fmt, va_list ap)
{
	const char *p = fmt;
	while (*p) {
		const char *pct = strchr(p, '%');
		if (!pct) {
			buf_puts(b, p);
			return;
		}
		buf_append(b, p, (size_t)(pct - p));
		p = pct + 1;
		if (*p == '%') {
			buf_putc(b, '%');
			p++;
			continue;
		}
		if (*p == 's') { /* the common case, without snprintf */
			const char *s = va_arg(ap, const char *);
			if (s)
				html_escape_n(b, s, strlen(s));
			p++;
			continue;
		}
		char spec[32];
		size_t sl = 0;
		spec[sl++] = '%';
		int stars[2], nstars = 0;
		while (*p && strchr("-+ #0", *p) && sl < 8)
			spec[sl++] = *p++;
		if (*p == '*') {
			stars[nstars++] = va_arg(ap, int);
			spec[sl++] = *p++;
		} else
			while (*p >= '0' && *p <= '9' && sl < 16)
				spec[sl++] = *p++;
		int prec = -1;
		if (*p == '.') {
			spec[sl++] = *p++;
			if (*p == '*') {
				prec = stars[nstars++] = va_arg(ap, int);
				spec[sl++] = *p++;
			} else {
				prec = 0;
				while (*p >= '0' && *p <= '9' && sl < 24) {
					prec = prec * 10 + (*p - '0');
					spec[sl++] = *p++;
				}
			}
		}
		char len[3] = {0};
		size_t ll = 0;
		while (*p && strchr("hlzjt", *p) && ll < 2)
			len[ll++] = *p, spec[sl++] = *p++;
		char conv = *p ? *p++ : 0;
		spec[sl++] = conv;
		spec[sl] = 0;
		char tmp[128];
		int n = 0;
		/* spec is one conversion cut out of fmt, which the format attribute
		 * has the compiler check at every call site; it cannot be a literal. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#define FMT1(val)                                                                 \
	(nstars == 2   ? snprintf(tmp, sizeof tmp, spec, stars[0], stars[1], val) \
	 : nstars == 1 ? snprintf(tmp, sizeof tmp, spec, stars[0], val)           \
		       : snprintf(tmp, sizeof tmp, spec, val))
		switch (conv) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "";
			size_t n2 = strlen(s);
			if (prec >= 0 && (size_t)prec < n2)
				n2 = (size_t)prec;
			html_escape_n(b, s, n2);
			continue;
		}
		case 'c': n = FMT1(va_arg(ap, int)); break;
		case 'd':
		case 'i':
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			if (ll == 0 || (ll == 1 && len[0] == 'h') || (ll == 2 && len[0] == 'h'))
				n = FMT1(va_arg(ap, int));
			else if (ll == 1 && len[0] == 'l')
				n = FMT1(va_arg(ap, long));
			else if (ll == 2)
				n = FMT1(va_arg(ap, long long));
			else if (len[0] == 'z')
				n = FMT1(va_arg(ap, size_t));
			else if (len[0] == 'j')
				n = FMT1(va_arg(ap, intmax_t));
			else
				n = FMT1(va_arg(ap, ptrdiff_t));
			break;
		case 'f':
		case 'g':
		case 'e':
		case 'F':
		case 'G':
		case 'E': n = FMT1(va_arg(ap, double)); break;
		default: return; /* not reachable for formats the compiler accepted */
		}
#undef FMT1
#pragma GCC diagnostic pop
		if (n > 0) {
			if ((size_t)n >= sizeof tmp)
				n = sizeof tmp - 1;
			html_escape_n(b, tmp, (size_t)n);
		}
	}
}

void html_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	html_vprintf(b, fmt, ap);
	va_end(ap);
}

void url_encode(buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *u = (const unsigned char *)s; u && *u; u++) {
		if ((*u >= 'a' && *u <= 'z') || (*u >= 'A' && *u <= 'Z') || (*u >= '0' && *u <= '9') || strchr("-_.~", *u))
			buf_putc(b, (char)*u);
		else {
			char e[3] = {'%', hex[*u >> 4], hex[*u & 15]};
			buf_append(b, e, 3);
		}
	}
}
