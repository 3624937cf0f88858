#!/usr/bin/env python3
"""Writes a C file holding the static assets and the numbered SQL migrations,
so that one binary carries everything it serves and every schema change.
Each asset is also compressed here, once, at build time (issue 10 §10): gzip -9
always, brotli when the module is there (Debian's python3-brotli, set up by
scripts/setup.sh); the server sends whichever the client accepts.
usage: embed.py OUT.c --assets FILE... --migrations FILE..."""
import gzip
import hashlib
import os
import re
import sys

try:
    import brotli
except ImportError:
    # python3 may be another build than Debian's (pyenv), which does not look in
    # Debian's dist-packages; the module there works for the same minor version
    sys.path.append("/usr/lib/python3/dist-packages")
    try:
        import brotli
    except ImportError:
        brotli = None

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
# already compressed formats gain nothing from another pass
PACKED = {".png", ".woff2"}


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
        packed = {}
        if os.path.splitext(name)[1] not in PACKED:
            # mtime=0: the same input gives the same bytes, so the build is reproducible
            packed["gz"] = gzip.compress(data, compresslevel=9, mtime=0)
            if brotli:
                packed["br"] = brotli.compress(data, quality=11)
        fields = []
        for enc in ("gz", "br"):
            z = packed.get(enc)
            # a compressed copy that does not save at least 10 % is not worth a Vary
            if z is not None and len(z) < len(data) * 0.9:
                lines.append(f"static const unsigned char asset_{i}_{enc}[] = {{\n{c_bytes(z)}\n}};")
                fields.append(f"asset_{i}_{enc}, {len(z)}")
            else:
                fields.append("NULL, 0")
        entries.append(f'\t{{"{name}", "{mime}", asset_{i}, {len(data)}, "{etag}", {fields[0]}, {fields[1]}}},')
    lines.append("const struct embedded_asset embedded_assets[] = {")
    lines += entries or ['\t{"", "", 0, 0, "", NULL, 0, NULL, 0},']
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
