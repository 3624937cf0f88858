/* demo_meetings — a year of meetings in 陈集镇 (issue 13 §8). */
#include <stdio.h>

#include "meetings.h"

int demo_meetings(db *d, const struct actor *cli, FILE *out)
{
	(void)d;
	(void)cli;
	(void)out;
	return 0;
}
