/* buf — a growable byte buffer, the house string type (in the spirit of Redis' sds). */
#ifndef DJ_BUF_H
#define DJ_BUF_H
#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
	char *p;    /* always NUL-terminated once anything was written */
	size_t len; /* bytes in use, without the NUL */
	size_t cap;
} buf;

void buf_reserve(buf *b, size_t extra);
void buf_append(buf *b, const void *data, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void buf_reset(buf *b);
void buf_free(buf *b);
/* Hands the heap block to the caller (to free()); the buf becomes empty. */
char *buf_detach(buf *b);
/* Returns the contents as a C string, "" when empty. */
const char *buf_str(const buf *b);

#endif
