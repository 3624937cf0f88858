/* modules — the mechanisms this program is made of, in the order their
 * navigation links and background tasks come. The one central line a new
 * mechanism adds (STYLE: "A mechanism is three files"): one a line, so that
 * two mechanisms added side by side merge without a conflict. */
#include "module.h"

/* clang-format off */
/* one a line, each line whole: mechanisms added side by side merge without
 * a conflict (.gitattributes: merge=union) */
extern const struct module site_module;
extern const struct module api_module;
extern const struct module ops_module;
extern const struct module orgs_module;
extern const struct module members_module;
extern const struct module accounts_module;
extern const struct module orders_module;
extern const struct module points_module;
extern const struct module grids_module;
extern const struct module dues_module;
extern const struct module transfers_module;
extern const struct module notify_module;
extern const struct module users_module;
extern const struct module audit_module;
extern const struct module settings_module;
extern const struct module checkin_module;
extern const struct module volunteer_module;
extern const struct module lessons_module;
extern const struct module themeday_module;
extern const struct module meetings_module;
extern const struct module exemplars_module;
extern const struct module campaigns_module;
extern const struct module dashboard_module;
extern const struct module assess_module;

const struct module *const modules[] = {
	&site_module,
	&api_module,
	&ops_module,
	&orgs_module,
	&members_module,
	&accounts_module,
	&orders_module,
	&points_module,
	&exemplars_module,
	&grids_module,
	&dues_module,
	&transfers_module,
	&notify_module,
	&users_module,
	&audit_module,
	&settings_module,
	&checkin_module,
	&volunteer_module,
	&lessons_module,
	&themeday_module,
	&meetings_module,
	&campaigns_module,
	&dashboard_module,
	&assess_module,
};
/* clang-format on */
const size_t modules_count = COUNT_OF(modules);
