/* Stands in for the generated embedded.c in small tests: one migration, no assets. */
#include <stddef.h>

#include "embedded.h"

const struct embedded_migration embedded_migrations[] = {
	{1, "t", "CREATE TABLE t (id @ID@, name TEXT NOT NULL UNIQUE, n BIGINT)"},
};
const size_t embedded_migrations_count = sizeof embedded_migrations / sizeof *embedded_migrations;

const struct embedded_asset embedded_assets[] = {{NULL, NULL, NULL, 0, NULL}};
const size_t embedded_assets_count = 0;

const struct embedded_asset *embedded_asset_find(const char *path)
{
	(void)path;
	return NULL;
}
