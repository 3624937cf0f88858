/* checkin — rotating check-in codes (checkin.h). */
#include "checkin.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "util.h"
#include "valid.h"

/* The secret, read once per process; made by checkin_prepare (the first
 * node's INSERT wins and every node reads the stored value). */
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char g_secret[crypto_auth_hmacsha256_KEYBYTES];
static bool g_loaded;

static bool secret_read(db *d)
{
	bool ok = false;
	db_stmt *s = db_query(d, "SELECT value FROM settings WHERE key = 'checkin_secret'", "");
	if (db_next(s)) {
		const char *hex = db_str(s, 0);
		size_t n = 0;
		ok = sodium_hex2bin(g_secret, sizeof g_secret, hex, strlen(hex), NULL, &n, NULL) == 0 && n == sizeof g_secret;
	}
	db_done(s);
	return ok;
}

static bool secret(db *d, bool make)
{
	pthread_mutex_lock(&g_lock);
	if (!g_loaded && !(g_loaded = secret_read(d)) && make) {
		unsigned char raw[sizeof g_secret];
		char hex[2 * sizeof raw + 1];
		randombytes_buf(raw, sizeof raw);
		sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
		if (db_run(d, "INSERT INTO settings (key, value) VALUES ('checkin_secret', ?) ON CONFLICT (key) DO NOTHING", "t", hex) == DB_OK)
			g_loaded = secret_read(d);
		sodium_memzero(raw, sizeof raw);
	}
	bool ok = g_loaded;
	pthread_mutex_unlock(&g_lock);
	return ok;
}

bool checkin_prepare(db *d)
{
	if (db_begin(d, true) != DB_OK)
		return false;
	bool ok = secret(d, true);
	if (db_commit(d) != DB_OK)
		return false;
	return ok;
}

/* The code of one minute: the HMAC's first 40 bits in 8 characters of a
 * 32-letter alphabet. */
static void code_of(const char *kind, int64_t id, int64_t minute, char out[CHECKIN_CODE_LEN + 1])
{
	char msg[128];
	int n = snprintf(msg, sizeof msg, "checkin1|%s|%lld|%lld", kind, (long long)id, (long long)minute);
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, g_secret, sizeof g_secret);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, (unsigned long long)n);
	crypto_auth_hmacsha256_final(&st, mac);
	uint64_t v = 0;
	for (int i = 0; i < 5; i++)
		v = v << 8 | mac[i];
	for (int i = CHECKIN_CODE_LEN - 1; i >= 0; i--, v >>= 5)
		out[i] = CHECKIN_ALPHABET[v & 31];
	out[CHECKIN_CODE_LEN] = 0;
}

bool checkin_code(db *d, const char *kind, int64_t id, int64_t now, char out[CHECKIN_CODE_LEN + 1], int64_t *expires)
{
	out[0] = 0;
	if (!secret(d, false))
		return false;
	int64_t minute = now / CHECKIN_STEP;
	code_of(kind, id, minute, out);
	if (expires)
		*expires = (minute + 1) * CHECKIN_STEP;
	return true;
}

enum dj_result checkin_verify(db *d, const char *kind, int64_t id, const char *code, int64_t now, struct field_errors *e)
{
	/* typed by hand from the organiser's screen it may come in lower case,
	 * with a space or a dash in the middle */
	char c[CHECKIN_CODE_LEN + 1];
	size_t n = 0;
	for (const char *p = code ? code : ""; *p; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		char ch = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
		if (n == CHECKIN_CODE_LEN || !strchr(CHECKIN_ALPHABET, ch)) {
			ferr_add(e, "code", "签到码不正确，请扫描现场屏幕上的二维码");
			return DJ_INVALID;
		}
		c[n++] = ch;
	}
	c[n] = 0;
	if (n != CHECKIN_CODE_LEN) {
		ferr_add(e, "code", "签到码不正确，请扫描现场屏幕上的二维码");
		return DJ_INVALID;
	}
	if (!secret(d, false))
		return dj_fail(e, DJ_DB_ERROR, "%s", "签到暂不可用，请稍后再试");
	int64_t minute = now / CHECKIN_STEP;
	for (int64_t m = minute; m >= minute - 1; m--) {
		char want[CHECKIN_CODE_LEN + 1];
		code_of(kind, id, m, want);
		if (str_eq_ct(c, want))
			return DJ_OK;
	}
	ferr_add(e, "code", "签到码已过期，请扫描现场屏幕上最新的二维码");
	return DJ_INVALID;
}

enum dj_result checkin_scan(db *d, const struct actor *a, const struct checkin_kind *k, int64_t id, const char *code, int64_t now, char *done,
			    size_t done_n, struct field_errors *e)
{
	char title[200];
	int64_t opens = 0, closes = 0;
	enum dj_result res = k->window(d, a, id, title, sizeof title, &opens, &closes);
	if (res != DJ_OK)
		return res;
	if (now < opens)
		return dj_fail(e, DJ_CONFLICT, "%s还没有开始签到", k->label);
	if (now >= closes)
		return dj_fail(e, DJ_CONFLICT, "%s的签到已经结束", k->label);
	if ((res = checkin_verify(d, k->kind, id, code, now, e)) != DJ_OK)
		return res;
	return k->scanned(d, a, id, now, done, done_n, e);
}
