#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each (default 10; `make fuzz` runs
# 300). Builds them with clang, ASan and UBSan in build-fuzz/. New corpus
# entries go to a scratch copy, so the committed seeds stay small.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
if ! command -v clang >/dev/null; then echo "fuzz: clang missing; run scripts/setup.sh" >&2; exit 1; fi
log=$(mktemp)
if ! CC=clang bash scripts/build.sh build-fuzz --buildtype=debug -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false >"$log" 2>&1; then
  echo "fuzz: the clang build failed:" >&2
  grep -E "error|FAILED" "$log" >&2 || tail -30 "$log" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
status=0
for t in tests/fuzz/fuzz_*.c; do
  name=$(basename "$t" .c); name=${name#fuzz_}
  work=$(mktemp -d)
  cp -r "tests/fuzz/corpus/$name/." "$work/" 2>/dev/null || true
  # the longest input per target: a real roster .xlsx is tens of KB, a whole
  # request or an upload more than 4 KB
  case $name in
    xlsx) max_len=262144 ;;
    multipart) max_len=65536 ;;
    http|json) max_len=16384 ;;
    *) max_len=4096 ;;
  esac
  echo "fuzz: $name for ${secs}s (inputs up to $max_len bytes)"
  if ! ./build-fuzz/fuzz_"$name" -max_total_time="$secs" -max_len="$max_len" -print_final_stats=0 \
        -artifact_prefix="build-fuzz/crash-$name-" "$work" 2>"build-fuzz/fuzz-$name.log"; then
    echo "fuzz: $name FAILED; see build-fuzz/fuzz-$name.log and build-fuzz/crash-$name-*" >&2
    tail -30 "build-fuzz/fuzz-$name.log" >&2
    status=1
  else
    grep -E "^#[0-9]+.*DONE" "build-fuzz/fuzz-$name.log" | tail -1 || true
  fi
  rm -rf "$work"
done
exit $status
