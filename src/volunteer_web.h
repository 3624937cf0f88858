/* volunteer_web — what the pages (volunteer_web.c) and the JSON API
 * (volunteer_api.c) of volunteer service share. */
#ifndef DJ_VOLUNTEER_WEB_H
#define DJ_VOLUNTEER_WEB_H
#include <stdbool.h>
#include <stdint.h>

#include "server.h"
#include "valid.h"

/* ?org=&from=&to= of a report (both days included; default: this year so far):
 * the org's id (0: the caller's own), the period [t0, t1), the dates as text. */
bool volunteer_web_period(req *r, int64_t *org, int64_t *t0, int64_t *t1, char from[11], char to[11], struct field_errors *e);
/* "2.5" hours → 150 minutes; -1 when it is not a number of hours. */
int64_t volunteer_web_hours(const char *s);

/* The roster's member page (/members/:id) calls it: the member's hours,
 * activities and stars (volunteer_member_stats) as a card linking to the
 * volunteer page, or nothing when the caller may not read them. */
void volunteer_member_card(req *r, int64_t member_id);

/* The campaign's page (/campaigns/:id) calls it: the campaign's volunteer
 * minimum (volunteer_campaign_minimum_of) with a link to the members below
 * it, and the form that sets it for whoever manages the campaign. */
void volunteer_campaign_card(req *r, int64_t campaign_id, bool manager);

/* The API (volunteer_api.c). */
void volunteer_api_list(req *r);
void volunteer_api_create(req *r);
void volunteer_api_get(req *r);
void volunteer_api_action(req *r);
void volunteer_api_member(req *r);
void volunteer_api_teams(req *r);
void volunteer_api_team_create(req *r);
void volunteer_api_team_add(req *r);
void volunteer_api_report(req *r);
void volunteer_api_minimums(req *r);
void volunteer_api_minimum_set(req *r);
void volunteer_api_campaign_minimum(req *r);

#endif
