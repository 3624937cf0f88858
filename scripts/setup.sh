#!/usr/bin/env bash
# Installs every Debian package and npm asset dangjian needs to build, run and test.
# Idempotent: packages already present are skipped, so `make run` stays fast.
set -euo pipefail
cd "$(dirname "$0")/.."

# zlib1g-dev: gzip of dynamic answers (src/compress.c); python3-brotli: scripts/embed.py
# compresses the static assets with brotli at build time (gzip only without it)
DEB_PACKAGES=(
  gcc clang clang-format make meson ninja-build pkg-config
  libmicrohttpd-dev libsqlite3-dev sqlite3 libpq-dev postgresql
  libsodium-dev libjansson-dev libopencc-dev opencc libqrencode-dev
  libzip-dev zlib1g-dev libexpat1-dev libxlsxwriter-dev python3-openpyxl python3-brotli
  libcriterion-dev libclang-rt-14-dev
  chromium wrk fonts-wqy-zenhei nginx zbar-tools librsvg2-bin
  libhpdf-dev poppler-utils
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

# The e2e and browser tests run on Debian 12's own nodejs (18.x): package-lock.json pins
# versions whose `engines` accept it (tests/e2e/engines.test.js checks the lock).
if ! command -v node >/dev/null 2>&1; then
  echo "setup: node is missing after installing nodejs; install it with: apt-get install -y nodejs npm" >&2
  exit 1
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 18 ]; then
  echo "setup: node $(node --version) at $(command -v node) is too old: the tests need Node 18 or newer" \
    "(Debian 12's nodejs is 18). Remove it or put a newer node first in PATH, then run make again." >&2
  exit 1
fi

# Front-end assets (ECharts) and test tools (playwright-core) come from npm,
# pinned by package-lock.json; node_modules is refreshed only when the lock changes.
if [ -f package-lock.json ] && { [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
