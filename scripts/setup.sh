#!/usr/bin/env bash
# Installs every Debian package and npm asset dangjian needs to build, run and test.
# Idempotent: packages already present are skipped, so `make run` stays fast.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(
  gcc clang clang-format make meson ninja-build pkg-config
  libmicrohttpd-dev libsqlite3-dev sqlite3 libpq-dev postgresql
  libsodium-dev libjansson-dev libopencc-dev opencc libqrencode-dev
  libzip-dev libexpat1-dev libxlsxwriter-dev python3-openpyxl
  libcriterion-dev libclang-rt-14-dev
  chromium wrk fonts-wqy-zenhei nginx zbar-tools librsvg2-bin
)
# node and npm may come from Debian or be on the machine already (another build of
# node ships its own npm, which Debian's npm package conflicts with).
command -v node >/dev/null 2>&1 || DEB_PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || DEB_PACKAGES+=(npm)

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Front-end assets (ECharts) and test tools (playwright-core) come from npm,
# pinned by package-lock.json; node_modules is refreshed only when the lock changes.
if [ -f package-lock.json ] && { [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
