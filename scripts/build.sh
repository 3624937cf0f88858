#!/usr/bin/env bash
# Builds DIR with meson + ninja: sets it up with the given meson options when
# it is new, and reconfigures it when a source file, unit test or migration
# was added or removed since (meson.build collects them with a glob when it
# configures, so a new mechanism needs no build edit).
# usage: scripts/build.sh DIR [MESON_SETUP_OPTIONS...]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1
shift
files=$(ls src/*.c tests/unit/test_*.c tests/fuzz/fuzz_*.c migrations/*.sql | sort)
if [ ! -f "$dir/build.ninja" ]; then
  meson setup "$dir" "$@" >/dev/null
elif [ "$files" != "$(cat "$dir/.dj-sources" 2>/dev/null)" ]; then
  meson setup --reconfigure "$dir" >/dev/null
fi
printf '%s\n' "$files" >"$dir/.dj-sources"
ninja -C "$dir"
