/* points_web — the pages and the API of party-member points (issue 11), and
 * the module record. */
#include <stdio.h>
#include <string.h>

#include "module.h"
#include "points.h"

/* ---- the module record ---- */
const struct module points_module = {
	.name = "points",
};
