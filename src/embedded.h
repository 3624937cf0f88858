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
	/* the same bytes compressed at build time (scripts/embed.py), or NULL when
	 * compression would not pay (already packed formats, tiny files) */
	const unsigned char *gz; /* gzip -9 */
	size_t gz_size;
	const unsigned char *br; /* brotli 11, when the build had python3-brotli */
	size_t br_size;
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
