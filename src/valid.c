/* valid — validators of SPEC M1's fields and the masks of SPEC §1. */
#include "valid.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util.h"

void ferr_add(struct field_errors *e, const char *field, const char *fmt, ...)
{
	if (e->n >= (int)(sizeof e->e / sizeof e->e[0]))
		return;
	snprintf(e->e[e->n].field, sizeof e->e[e->n].field, "%s", field);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->e[e->n].msg, sizeof e->e[e->n].msg, fmt, ap);
	va_end(ap);
	e->n++;
}

const char *ferr_get(const struct field_errors *e, const char *field)
{
	for (int i = 0; e && i < e->n; i++)
		if (!strcmp(e->e[i].field, field))
			return e->e[i].msg;
	return NULL;
}

static bool digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static bool ymd_valid(int y, int m, int d)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1)
		return false;
	return d <= days[m - 1] + (m == 2 && leap(y));
}

bool date_valid(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4) || !digits(s + 5, 2) || !digits(s + 8, 2))
		return false;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
	return ymd_valid(y, m, d);
}

char idcard_check_char(const char *first17)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char map[] = "10X98765432";
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (first17[i] - '0') * w[i];
	return map[sum % 11];
}

const char *idcard_check(const char *id, char birth[11], const char **gender)
{
	if (!id || !*id)
		return "请填写身份证号";
	if (strlen(id) != 18)
		return "身份证号应为 18 位";
	if (!digits(id, 17) || !((id[17] >= '0' && id[17] <= '9') || id[17] == 'X'))
		return "身份证号前 17 位应为数字，最后一位为数字或大写 X";
	char b[11];
	snprintf(b, sizeof b, "%.4s-%.2s-%.2s", id + 6, id + 10, id + 12);
	if (!date_valid(b))
		return "身份证号中的出生日期无效";
	if (idcard_check_char(id) != id[17])
		return "身份证号校验码不正确";
	if (birth)
		memcpy(birth, b, 11);
	if (gender)
		*gender = (id[16] - '0') % 2 ? "男" : "女";
	return NULL;
}

bool phone_valid(const char *p) { return p && strlen(p) == 11 && p[0] == '1' && p[1] >= '3' && p[1] <= '9' && digits(p, 11); }

void mask_phone(const char *p, char out[24])
{
	size_t n = p ? strlen(p) : 0;
	if (n < 7)
		snprintf(out, 24, "%s", n ? "****" : "");
	else
		snprintf(out, 24, "%.3s****%.4s", p, p + n - 4);
}

void mask_idcard(const char *id, char out[24])
{
	size_t n = id ? strlen(id) : 0;
	if (n < 8)
		snprintf(out, 24, "%s", n ? "****" : "");
	else
		snprintf(out, 24, "%.4s**********%.4s", id, id + n - 4);
}

void today(char out[11])
{
	time_t t = (time_t)(now_unix() + 8 * 3600);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}
