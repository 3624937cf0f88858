/* json — a small streaming JSON writer over a buf (jansson parses input). */
#ifndef DJ_JSON_H
#define DJ_JSON_H
#include <stdbool.h>
#include <stdint.h>

#include "buf.h"

typedef struct jw {
	buf *b;
	int depth;
	bool need_comma[32];
} jw;

void jw_init(jw *w, buf *b);
void jw_obj(jw *w);  /* { */
void jw_end(jw *w);  /* } */
void jw_arr(jw *w);  /* [ */
void jw_aend(jw *w); /* ] */
void jw_key(jw *w, const char *k);
void jw_str(jw *w, const char *s); /* NULL → null */
void jw_int(jw *w, int64_t v);
void jw_bool(jw *w, bool v);
void jw_null(jw *w);
void jw_double(jw *w, double v);
/* Shorthands for "key": value inside an object. */
void jw_kstr(jw *w, const char *k, const char *s);
void jw_kint(jw *w, const char *k, int64_t v);
void jw_kbool(jw *w, const char *k, bool v);
void json_escape(buf *b, const char *s);

#endif
