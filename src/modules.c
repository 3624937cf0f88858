/* modules — the mechanisms this program is made of, in the order their
 * navigation links and background tasks come. The one central line a new
 * mechanism adds (STYLE: "A mechanism is three files"). */
#include "module.h"

extern const struct module site_module, api_module, ops_module, orgs_module, members_module, orders_module, grids_module, notify_module, users_module,
	audit_module, settings_module;

const struct module *const modules[] = {
	&site_module,  &api_module,    &ops_module,   &orgs_module,  &members_module,  &orders_module,
	&grids_module, &notify_module, &users_module, &audit_module, &settings_module,
};
const size_t modules_count = COUNT_OF(modules);
