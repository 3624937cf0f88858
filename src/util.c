#include "util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The clock is injectable for tests: DANGJIAN_NOW pins it for a process;
 * DANGJIAN_NOW_FILE names a file holding the time (Unix seconds), read on
 * every call, so a test can move a running server's clock forward. */
int64_t now_unix(void)
{
	static int64_t pinned = -1;
	static const char *file;
	if (pinned == -1) {
		const char *e = getenv("DANGJIAN_NOW");
		file = getenv("DANGJIAN_NOW_FILE");
		pinned = e && *e ? strtoll(e, NULL, 10) : 0;
	}
	if (file && *file) {
		FILE *f = fopen(file, "r");
		long long v = 0;
		if (f) {
			if (fscanf(f, "%lld", &v) != 1)
				v = 0;
			fclose(f);
		}
		if (v > 0)
			return (int64_t)v;
	}
	return pinned > 0 ? pinned : (int64_t)time(NULL);
}

void fmt_time(int64_t t, char out[20])
{
	time_t tt = (time_t)(t + 8 * 3600);
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 20, "%Y-%m-%d %H:%M", &tm);
}

int64_t parse_id(const char *s)
{
	if (!s || !*s || strlen(s) > 18)
		return 0;
	int64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		v = v * 10 + (*p - '0');
	}
	return v;
}

bool str_eq_ct(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return false;
	return sodium_memcmp(a, b, la) == 0;
}

void random_token(char *out, size_t outlen, size_t nbytes)
{
	unsigned char raw[64];
	if (nbytes > sizeof raw)
		nbytes = sizeof raw;
	randombytes_buf(raw, nbytes);
	sodium_bin2base64(out, outlen, raw, nbytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool utf8_valid(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		if (*u < 0x80) {
			if (*u < 0x20 && *u != '\n' && *u != '\r' && *u != '\t')
				return false;
			u++;
			continue;
		}
		int n;
		uint32_t cp;
		if ((*u & 0xe0) == 0xc0)
			n = 1, cp = *u & 0x1f;
		else if ((*u & 0xf0) == 0xe0)
			n = 2, cp = *u & 0x0f;
		else if ((*u & 0xf8) == 0xf0)
			n = 3, cp = *u & 0x07;
		else
			return false;
		for (int i = 1; i <= n; i++) {
			if ((u[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (u[i] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		u += n + 1;
	}
	return true;
}

size_t utf8_len(const char *s)
{
	size_t n = 0;
	for (const unsigned char *u = (const unsigned char *)s; *u; u++)
		if ((*u & 0xc0) != 0x80)
			n++;
	return n;
}

char *str_trim(char *s)
{
	char *e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = 0;
	char *b = s;
	while (*b == ' ' || *b == '\t' || *b == '\n' || *b == '\r')
		b++;
	if (b != s)
		memmove(s, b, strlen(b) + 1);
	return s;
}

void str_copy(char *dst, size_t n, const char *s)
{
	size_t l = s ? strnlen(s, n - 1) : 0;
	if (s && s[l])
		while (l > 0 && ((unsigned char)s[l] & 0xC0) == 0x80)
			l--;
	if (l)
		memcpy(dst, s, l);
	dst[l] = 0;
}

/* The length of the valid UTF-8 sequence at u (2-4), or 0; C1 controls
 * (U+0080..U+009F) count as invalid here, they are escaped like C0. */
static int utf8_seq(const unsigned char *u)
{
	int n;
	uint32_t cp;
	if ((*u & 0xe0) == 0xc0)
		n = 1, cp = *u & 0x1f;
	else if ((*u & 0xf0) == 0xe0)
		n = 2, cp = *u & 0x0f;
	else if ((*u & 0xf8) == 0xf0)
		n = 3, cp = *u & 0x07;
	else
		return 0;
	for (int i = 1; i <= n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (u[i] & 0x3f);
	}
	if ((n == 1 && cp < 0xa0) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n + 1;
}

const char *log_safe(const char *s, char *out, size_t outlen)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	if (!outlen)
		return out;
	const unsigned char *u = (const unsigned char *)(s ? s : "");
	while (*u) {
		char tmp[4];
		const char *piece = tmp;
		size_t len;
		int seq = *u >= 0x80 ? utf8_seq(u) : 0;
		if (seq) {
			piece = (const char *)u, len = (size_t)seq;
		} else if (*u == '"' || *u == '\\') {
			tmp[0] = '\\', tmp[1] = (char)*u, len = 2;
		} else if (*u < 0x20 || *u >= 0x7f) {
			tmp[0] = '\\', tmp[1] = 'x', tmp[2] = hex[*u >> 4], tmp[3] = hex[*u & 15], len = 4;
		} else {
			tmp[0] = (char)*u, len = 1;
		}
		if (o + len >= outlen)
			break;
		memcpy(out + o, piece, len);
		o += len;
		u += seq ? (size_t)seq : 1;
	}
	out[o] = 0;
	return out;
}

bool utf8_wellformed(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s, *end = u + n;
	while (u < end) {
		if (*u < 0x80) {
			u++;
			continue;
		}
		int k;
		uint32_t cp;
		if ((*u & 0xe0) == 0xc0)
			k = 1, cp = *u & 0x1f;
		else if ((*u & 0xf0) == 0xe0)
			k = 2, cp = *u & 0x0f;
		else if ((*u & 0xf8) == 0xf0)
			k = 3, cp = *u & 0x07;
		else
			return false;
		if (end - u <= k)
			return false;
		for (int i = 1; i <= k; i++) {
			if ((u[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (u[i] & 0x3f);
		}
		if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		u += k + 1;
	}
	return true;
}
