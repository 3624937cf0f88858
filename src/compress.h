/* compress — answers that travel compressed (issue 10 §10): which coding a
 * client's Accept-Encoding allows, gzip of a dynamic answer, and which content
 * types are worth it. The static assets come compressed from the build
 * (scripts/embed.py); HTML and JSON are compressed per answer by server.c. */
#ifndef DJ_COMPRESS_H
#define DJ_COMPRESS_H
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* Answers shorter than this go as they are: a packet either way. */
#define COMPRESS_MIN 1400
/* zlib's level for answers made per request: 6 packs HTML within a few percent
 * of 9 at a fraction of the CPU (docs/performance.md). */
#define COMPRESS_LEVEL 6

/* Whether an Accept-Encoding header (NULL: none) accepts coding ("gzip", "br"):
 * named with q > 0, or not named and "*" with q > 0. "x-gzip" counts as gzip. */
bool accept_encoding_allows(const char *header, const char *coding);

/* Whether a content type is text that compresses (HTML, CSS, JS, JSON, SVG, …). */
bool compress_type_ok(const char *content_type);

/* in[0..len) as a gzip member appended to out; false (out unchanged) on failure. */
bool gzip_compress(const void *in, size_t len, int level, buf *out);

/* Whether an If-None-Match header names etag (quoted, as sent in ETag), also
 * in a list, weak (W/) or "*". */
bool etag_matches(const char *if_none_match, const char *etag);

#endif
