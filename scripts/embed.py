#!/usr/bin/env python3
"""Writes a C file holding the static assets and the numbered SQL migrations,
so that one binary carries everything it serves and every schema change.
usage: embed.py OUT.c --assets FILE... --migrations FILE..."""
import hashlib
import os
import re
import sys

MIME = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".json": "application/json",
    ".yaml": "application/yaml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


def c_bytes(data):
    out = []
    for i in range(0, len(data), 24):
        out.append(",".join(str(b) for b in data[i:i + 24]))
    return ",\n".join(out) if out else "0"


def c_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n\"\n\"") + '"'


def main():
    out = sys.argv[1]
    mode, assets, migrations = None, [], []
    for a in sys.argv[2:]:
        if a in ("--assets", "--migrations"):
            mode = a
        elif mode == "--assets":
            assets.append(a)
        elif mode == "--migrations":
            migrations.append(a)
    lines = ['#include "embedded.h"', "#include <string.h>", ""]
    entries = []
    for i, path in enumerate(sorted(assets, key=os.path.basename)):
        data = open(path, "rb").read()
        name = os.path.basename(path)
        mime = MIME.get(os.path.splitext(name)[1], "application/octet-stream")
        etag = hashlib.sha256(data).hexdigest()[:16]
        lines.append(f"static const unsigned char asset_{i}[] = {{\n{c_bytes(data)}\n}};")
        entries.append(f'\t{{"{name}", "{mime}", asset_{i}, {len(data)}, "{etag}"}},')
    lines.append("const struct embedded_asset embedded_assets[] = {")
    lines += entries or ['\t{"", "", 0, 0, ""},']
    lines.append("};")
    lines.append(f"const size_t embedded_assets_count = {len(entries)};")
    mig = []
    seen = {}  # version -> file name
    for path in sorted(migrations, key=os.path.basename):
        name = os.path.basename(path)
        m = re.match(r"(\d+)_(.+)\.sql$", name)
        if not m:
            sys.exit(f"embed.py: migration name must be NNN_name.sql: {path}")
        # Two branches that each add "the next" migration would both pick the
        # same number; the binary would then apply only one of them on
        # databases that already recorded that version. Refuse at build time.
        version = int(m.group(1))
        if version in seen:
            sys.exit(f"embed.py: migrations {seen[version]} and {name} share the number {m.group(1)}")
        seen[version] = name
        sql = open(path, encoding="utf-8").read()
        mig.append(f"\t{{{version}, {c_string(m.group(2))}, {c_string(sql)}}},")
    lines.append("const struct embedded_migration embedded_migrations[] = {")
    lines += mig or ['\t{0, "", ""},']
    lines.append("};")
    lines.append(f"const size_t embedded_migrations_count = {len(mig)};")
    lines.append("""
const struct embedded_asset *embedded_asset_find(const char *path)
{
	for (size_t i = 0; i < embedded_assets_count; i++)
		if (!strcmp(embedded_assets[i].path, path))
			return &embedded_assets[i];
	return NULL;
}""")
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
