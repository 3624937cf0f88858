/* Files built into the binary by scripts/embed.py: static assets and migrations. */
#ifndef DJ_EMBEDDED_H
#define DJ_EMBEDDED_H
#include <stddef.h>

struct embedded_asset {
	const char *path; /* "app.css", served at /static/app.css */
	const char *mime;
	const unsigned char *data;
	size_t size;
	const char *etag; /* content hash, also the ?v= cache buster */
};

struct embedded_migration {
	int version;
	const char *name;
	const char *sql;
};

extern const struct embedded_asset embedded_assets[];
extern const size_t embedded_assets_count;
extern const struct embedded_migration embedded_migrations[];
extern const size_t embedded_migrations_count;

const struct embedded_asset *embedded_asset_find(const char *path);

#endif
