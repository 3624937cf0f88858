/* modules — the mechanisms this program is made of, in the order their
 * navigation links and background tasks come. The one central line a new
 * mechanism adds (STYLE: "A mechanism is three files"): one a line, so that
 * two mechanisms added side by side merge without a conflict. */
#include "module.h"

/* clang-format off */
extern const struct module
	site_module,
	api_module,
	ops_module,
	orgs_module,
	members_module,
	accounts_module,
	orders_module,
	points_module,
	grids_module,
	notify_module,
	users_module,
	audit_module,
	settings_module,
	checkin_module,
	lessons_module,
	themeday_module,
	assess_module;

const struct module *const modules[] = {
	&site_module,
	&api_module,
	&ops_module,
	&orgs_module,
	&members_module,
	&accounts_module,
	&orders_module,
	&points_module,
	&grids_module,
	&notify_module,
	&users_module,
	&audit_module,
	&settings_module,
	&checkin_module,
	&lessons_module,
	&themeday_module,
	&assess_module,
};
/* clang-format on */
const size_t modules_count = COUNT_OF(modules);
