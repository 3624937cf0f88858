/* demo — a realistic town to try the system with (SPEC §3 `dangjian demo`). */
#ifndef DJ_DEMO_H
#define DJ_DEMO_H
#include <stdio.h>

#include "db.h"

#define DEMO_PASSWORD "Demo2026"
/* Fills an empty database; prints the logins to out. Returns 0 on success. */
int demo_fill(db *d, FILE *out);
/* The roster of the demo town, inside demo_fill's transaction. */
int demo_members(db *d, FILE *out);
/* Grids, households and three months of orders, inside the same transaction. */
int demo_orders(db *d, FILE *out);
/* Accounts of a few roster members of 西街村 (issue 10 §1), activated with
 * the demo password: they log in by mobile number. After the orders, so
 * that those stay as they were. */
int demo_member_accounts(db *d, FILE *out);

#endif
