/* html — HTML written by construction: every %s argument is escaped.
 * Raw markup can only come from the format string, which is a literal at
 * every call site; the compiler still checks each argument's type. */
#ifndef DJ_HTML_H
#define DJ_HTML_H
#include "buf.h"

void html_escape(buf *b, const char *s);
void html_escape_n(buf *b, const char *s, size_t n);
void html_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void html_vprintf(buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Percent-encodes s for use inside a URL query value. */
void url_encode(buf *b, const char *s);

#endif
