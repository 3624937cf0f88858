/* compress — see compress.h. */
#include "compress.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

static bool is_space(char c) { return c == ' ' || c == '\t'; }

/* "1", "1.0", "0", "0.5", "0.001" → 0..1000; anything else → 0 (not acceptable:
 * the plain bytes always work) */
static int parse_q(const char *p, const char *end)
{
	if (p < end && *p == '1') {
		p++;
		if (p < end && *p == '.')
			for (p++; p < end && *p == '0'; p++)
				;
		return p == end ? 1000 : 0;
	}
	if (p >= end || *p != '0')
		return 0;
	p++;
	if (p == end)
		return 0;
	if (*p != '.')
		return 0;
	int q = 0, digits = 0;
	for (p++; p < end && *p >= '0' && *p <= '9' && digits < 3; p++, digits++)
		q = q * 10 + (*p - '0');
	if (p != end)
		return 0;
	for (; digits < 3; digits++)
		q *= 10;
	return q;
}

bool accept_encoding_allows(const char *header, const char *coding)
{
	if (!header)
		return false;
	int named = -1, star = -1;
	size_t clen = strlen(coding);
	const char *p = header;
	while (*p) {
		while (is_space(*p) || *p == ',')
			p++;
		const char *s = p;
		while (*p && *p != ',' && *p != ';' && !is_space(*p))
			p++;
		size_t n = (size_t)(p - s);
		int q = 1000;
		while (*p && *p != ',') { /* parameters: only q counts */
			if (*p != ';') {
				p++;
				continue;
			}
			for (p++; is_space(*p); p++)
				;
			const char *v = p;
			while (*p && *p != ',' && *p != ';' && !is_space(*p))
				p++;
			if ((v[0] == 'q' || v[0] == 'Q') && v[1] == '=')
				q = parse_q(v + 2, p);
		}
		if (!n)
			continue;
		bool match = (n == clen && !strncasecmp(s, coding, n)) || (!strcmp(coding, "gzip") && n == 6 && !strncasecmp(s, "x-gzip", 6));
		if (match)
			named = named > q ? named : q;
		else if (n == 1 && *s == '*')
			star = q;
	}
	return named >= 0 ? named > 0 : star > 0;
}

bool compress_type_ok(const char *t)
{
	if (!t)
		return false;
	static const char *const ok[] = {"text/", "application/json", "application/javascript", "application/yaml", "application/xml", "image/svg+xml"};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
		if (!strncasecmp(t, ok[i], strlen(ok[i])))
			return true;
	return false;
}

/* Each thread keeps its deflate state: setting one up allocates and clears some
 * 256 KB, which cost as much as compressing a 19 KB page (docs/performance.md);
 * a reset clears only the hash. The key's destructor frees it when the thread
 * ends. */
static pthread_key_t g_z_key;
static pthread_once_t g_z_once = PTHREAD_ONCE_INIT;

static void z_free(void *p)
{
	deflateEnd(p);
	free(p);
}

static void z_key(void) { pthread_key_create(&g_z_key, z_free); }

static z_stream *z_thread(int level)
{
	pthread_once(&g_z_once, z_key);
	z_stream *z = pthread_getspecific(g_z_key);
	if (z) {
		if (deflateReset(z) == Z_OK && deflateParams(z, level, Z_DEFAULT_STRATEGY) == Z_OK)
			return z;
		z_free(z);
		pthread_setspecific(g_z_key, NULL);
	}
	z = calloc(1, sizeof *z);
	/* windowBits 15 + 16: a gzip header and trailer around the deflate stream */
	if (!z || deflateInit2(z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(z);
		return NULL;
	}
	pthread_setspecific(g_z_key, z);
	return z;
}

bool gzip_compress(const void *in, size_t len, int level, buf *out)
{
	z_stream *z = z_thread(level);
	if (!z)
		return false;
	uLong bound = deflateBound(z, (uLong)len);
	buf_reserve(out, bound);
	z->next_in = (Bytef *)(uintptr_t)in;
	z->avail_in = (uInt)len;
	z->next_out = (Bytef *)out->p + out->len;
	z->avail_out = (uInt)bound;
	/* the bound holds the whole output: one call finishes the stream */
	if (deflate(z, Z_FINISH) != Z_STREAM_END)
		return false; /* the next call resets it */
	out->len += z->total_out;
	out->p[out->len] = 0;
	return true;
}

bool etag_matches(const char *inm, const char *etag)
{
	if (!inm)
		return false;
	size_t n = strlen(etag);
	const char *p = inm;
	while (*p) {
		while (is_space(*p) || *p == ',')
			p++;
		if (*p == '*')
			return true;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		const char *s = p;
		while (*p && *p != ',' && !is_space(*p))
			p++;
		if ((size_t)(p - s) == n && !memcmp(s, etag, n))
			return true;
	}
	return false;
}
