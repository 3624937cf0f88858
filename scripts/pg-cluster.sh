#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests (SPEC §4: the same tests run on PostgreSQL).
#
#   scripts/pg-cluster.sh start DIR PORT   # prints postgres://dangjian@127.0.0.1:PORT/dangjian last
#   scripts/pg-cluster.sh stop DIR         # stops it and removes DIR
#
# PostgreSQL refuses to run as root, so under root the server runs as the
# `postgres` user (DIR is handed to it). The socket lives in DIR, so nothing
# needs /var/run/postgresql. Data is not fsynced: it is thrown away.
set -euo pipefail

die() { echo "pg-cluster: $*" >&2; exit 1; }
usage() { echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2; }

find_bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir 2>/dev/null || true)
    [ -n "$d" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  fi
  d=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v pg_ctl)"; return; }
  die "no PostgreSQL server binaries (pg_ctl) found; run scripts/setup.sh"
}

# Runs a command as the user that owns the cluster.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

[ $# -ge 2 ] || usage
cmd=$1
dir=$2
BIN=$(find_bindir)

case "$cmd" in
start)
  [ $# -eq 3 ] || usage
  port=$3
  if ! [[ "$port" =~ ^[0-9]{1,5}$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
    die "bad port: $port"
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ ${#dir} -le 80 ] || die "$dir: path too long for a unix socket (keep it under 80 characters)"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' user (PostgreSQL refuses root)"
    chown -R postgres: "$dir"
    runuser -u postgres -- test -x "$dir" \
      || die "user postgres cannot reach $dir; use a directory under /tmp"
  fi
  data=$dir/data
  log=$dir/server.log

  if as_owner "$BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    echo "pg-cluster: already running in $dir" >&2
  else
    if [ ! -f "$data/PG_VERSION" ]; then
      if ! as_owner "$BIN/initdb" -D "$data" -A trust -U dangjian --encoding=UTF8 --locale=C.UTF-8 \
          >"$dir/initdb.log" 2>&1; then
        rm -rf "$data"
        as_owner "$BIN/initdb" -D "$data" -A trust -U dangjian --encoding=UTF8 --no-locale \
          >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
      fi
    fi
    opts="-c listen_addresses=127.0.0.1 -p $port -k '$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    if ! as_owner "$BIN/pg_ctl" -D "$data" -l "$log" -o "$opts" -w -t 60 start >/dev/null; then
      tail -n 20 "$log" >&2 || true
      die "server did not start (port $port in use?); log: $log"
    fi
  fi

  for _ in $(seq 1 60); do
    "$BIN/pg_isready" -q -h 127.0.0.1 -p "$port" && break
    sleep 0.5
  done
  "$BIN/pg_isready" -q -h 127.0.0.1 -p "$port" || die "server not ready on port $port; log: $log"

  exists=$("$BIN/psql" -h 127.0.0.1 -p "$port" -U dangjian -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'dangjian'") || die "cannot query the server on port $port"
  if [ "$exists" != 1 ]; then
    "$BIN/createdb" -h 127.0.0.1 -p "$port" -U dangjian -E UTF8 -T template0 dangjian \
      || die "createdb dangjian failed"
  fi
  echo "postgres://dangjian@127.0.0.1:$port/dangjian"
  ;;
stop)
  [ $# -eq 2 ] || usage
  [ -d "$dir" ] || { echo "pg-cluster: $dir does not exist; nothing to stop" >&2; exit 0; }
  dir=$(cd "$dir" && pwd)
  if [ -f "$dir/data/PG_VERSION" ]; then
    if as_owner "$BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_owner "$BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null || die "pg_ctl stop failed in $dir"
    fi
  fi
  # Refuse to wipe a directory holding anything this script did not put there.
  for f in "$dir"/* "$dir"/.[!.]*; do
    [ -e "$f" ] || continue
    case "${f##*/}" in
    data | initdb.log | server.log | .s.PGSQL.*) ;;
    *) die "$dir holds ${f##*/}, which is not ours; not removing it" ;;
    esac
  done
  rm -rf "$dir"
  ;;
*) usage ;;
esac
