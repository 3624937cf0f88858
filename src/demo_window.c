/* demo_window — the months the demo town's records cover (demo.h). */
#include <stdio.h>
#include <time.h>

#include "demo.h"

#define BEIJING (8 * 3600) /* Asia/Shanghai: UTC+8 the whole year */

static void beijing_ym(int64_t now, int *y, int *m)
{
	time_t t = (time_t)(now + BEIJING);
	struct tm tm;
	gmtime_r(&t, &tm);
	*y = tm.tm_year + 1900, *m = tm.tm_mon + 1;
}

int demo_window_months(int64_t now)
{
	int y, m;
	beijing_ym(now, &y, &m);
	return m == 12 ? 13 : 12;
}

/* the window's month i as months since year 0 */
static int window_month(int64_t now, int i)
{
	int y, m;
	beijing_ym(now, &y, &m);
	return y * 12 + (m - 1) - (demo_window_months(now) - 1) + i;
}

void demo_window_month(int64_t now, int i, char out[8])
{
	unsigned k = (unsigned)window_month(now, i);
	snprintf(out, 8, "%04u-%02u", (k / 12) % 10000, k % 12 + 1);
}

int64_t demo_window_start(int64_t now)
{
	int k = window_month(now, 0);
	struct tm tm = {.tm_year = k / 12 - 1900, .tm_mon = k % 12, .tm_mday = 1};
	return (int64_t)timegm(&tm) - BEIJING;
}

int demo_window_days(int64_t now) { return (int)((now - demo_window_start(now)) / 86400); }
