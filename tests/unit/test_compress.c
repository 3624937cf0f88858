/* Unit tests: compress — Accept-Encoding with q-values, If-None-Match lists,
 * gzip that zlib reads back, which content types are compressed. */
#include <criterion/criterion.h>
#include <string.h>
#include <zlib.h>

#include "compress.h"

Test(compress, accept_encoding_names_and_q_values)
{
	cr_assert_not(accept_encoding_allows(NULL, "gzip"));
	cr_assert_not(accept_encoding_allows("", "gzip"));
	cr_assert(accept_encoding_allows("gzip", "gzip"));
	cr_assert(accept_encoding_allows("gzip, deflate, br", "br"));
	cr_assert(accept_encoding_allows("GZIP", "gzip"));
	cr_assert(accept_encoding_allows("deflate,gzip;q=0.5", "gzip"));
	cr_assert(accept_encoding_allows("gzip ; q=1.000", "gzip"));
	cr_assert(accept_encoding_allows("x-gzip", "gzip"));
	cr_assert_not(accept_encoding_allows("x-gzip", "br"));
	cr_assert_not(accept_encoding_allows("gzip;q=0", "gzip"));
	cr_assert_not(accept_encoding_allows("gzip;q=0.000", "gzip"));
	cr_assert(accept_encoding_allows("gzip;q=0.001", "gzip"));
	cr_assert_not(accept_encoding_allows("br;q=0, gzip", "br"));
	cr_assert(accept_encoding_allows("br;q=0, gzip", "gzip"));
	cr_assert_not(accept_encoding_allows("identity", "gzip"));
	cr_assert_not(accept_encoding_allows("gzipped", "gzip"), "a longer name is another coding");
	cr_assert_not(accept_encoding_allows("gzi", "gzip"));
	/* "*" stands for what is not named */
	cr_assert(accept_encoding_allows("*", "br"));
	cr_assert_not(accept_encoding_allows("*;q=0", "gzip"));
	cr_assert_not(accept_encoding_allows("gzip;q=0, *", "gzip"));
	cr_assert(accept_encoding_allows("br;q=0, *", "gzip"));
	/* malformed q: not acceptable, the plain bytes always work */
	cr_assert_not(accept_encoding_allows("gzip;q=2", "gzip"));
	cr_assert_not(accept_encoding_allows("gzip;q=abc", "gzip"));
	cr_assert_not(accept_encoding_allows("gzip;q=", "gzip"));
	cr_assert(accept_encoding_allows(";;,, ,gzip;level=9", "gzip"), "other parameters are ignored");
}

Test(compress, etag_lists_weak_and_star)
{
	cr_assert_not(etag_matches(NULL, "\"a\""));
	cr_assert(etag_matches("\"a\"", "\"a\""));
	cr_assert(etag_matches("\"x\", W/\"a\"", "\"a\""));
	cr_assert(etag_matches("*", "\"a\""));
	cr_assert_not(etag_matches("\"a-gzip\"", "\"a\""));
	cr_assert_not(etag_matches("\"a\"", "\"a-gzip\""));
	cr_assert_not(etag_matches("\"ab\"", "\"a\""));
}

Test(compress, content_types)
{
	cr_assert(compress_type_ok("text/html; charset=utf-8"));
	cr_assert(compress_type_ok("application/json"));
	cr_assert(compress_type_ok("image/svg+xml"));
	cr_assert_not(compress_type_ok(NULL));
	cr_assert_not(compress_type_ok("image/png"));
	cr_assert_not(compress_type_ok("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
}

/* in[0..len) inflated from a gzip member equals want */
static void assert_gunzips_to(const char *z_in, size_t zlen, const buf *want)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	cr_assert_eq(inflateInit2(&z, 15 + 16), Z_OK);
	char *back = malloc(want->len + 16);
	z.next_in = (Bytef *)z_in;
	z.avail_in = (uInt)zlen;
	z.next_out = (Bytef *)back;
	z.avail_out = (uInt)(want->len + 16);
	cr_assert_eq(inflate(&z, Z_FINISH), Z_STREAM_END);
	cr_assert_eq(z.total_out, want->len);
	cr_assert_eq(memcmp(back, want->p, want->len), 0);
	inflateEnd(&z);
	free(back);
}

Test(compress, gzip_round_trips)
{
	buf in = {0};
	for (int i = 0; i < 2000; i++)
		buf_printf(&in, "<tr><td>第%d行</td><td>陈集村党支部</td></tr>", i);
	buf out = {0};
	buf_puts(&out, "x"); /* appends after what is there */
	cr_assert(gzip_compress(in.p, in.len, COMPRESS_LEVEL, &out));
	cr_assert(out.len < in.len / 5, "%zu of %zu", out.len, in.len);
	cr_assert_eq(out.p[0], 'x');
	cr_assert_eq((unsigned char)out.p[1], 0x1f);
	cr_assert_eq((unsigned char)out.p[2], 0x8b);
	assert_gunzips_to(out.p + 1, out.len - 1, &in);
	/* the thread's stream is reused: other levels and inputs come out whole */
	int levels[] = {1, 9, COMPRESS_LEVEL};
	for (size_t i = 0; i < sizeof levels / sizeof *levels; i++) {
		buf again = {0}, part = {0};
		buf_append(&part, in.p, in.len / (i + 2));
		cr_assert(gzip_compress(part.p, part.len, levels[i], &again));
		assert_gunzips_to(again.p, again.len, &part);
		buf_free(&again);
		buf_free(&part);
	}
	/* nothing to compress is still a valid member */
	buf empty = {0};
	cr_assert(gzip_compress("", 0, 9, &empty));
	cr_assert(empty.len >= 18);
	buf_free(&empty);
	buf_free(&in);
	buf_free(&out);
}
