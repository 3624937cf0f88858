#!/usr/bin/env bash
# Throughput with one node and with two nodes behind nginx (issue 9), on one
# throwaway PostgreSQL cluster, beside a bare libmicrohttpd reply measured in
# the same run (bench/bare.c). wrk on loopback, each run bounded by SECONDS.
# Prints a Markdown table for docs/performance.md.
#   bash bench/nodes.sh [BUILD_DIR] [SECONDS] [CONNECTIONS]
# PG_PORT picks the cluster's port (default: a free one).
#
# Targets, each measured with the same wrk command:
#   $BARE     the bare reply (reference)
#   $NODE_A   one node, directly
#   $NGINX_1  one node behind nginx (what nginx itself costs)
#   $NGINX_2  two nodes behind nginx, round robin
#   $NGINX_2K the same with keep-alive connections to the nodes (upstream
#             keepalive, proxy_http_version 1.1): not in the README's block,
#             where nginx opens a new connection to a node for every request
# nginx is configured as the README's block (proxy_set_header Host, X-Real-IP),
# except that X-Real-IP passes on the address the client claims when it sends
# one: bench/place_nodes.lua gives every order its own address, as bench/run.sh
# does directly, so that the limit of 10 orders an hour per address does not
# answer. Everything runs on this one machine: wrk, nginx, both nodes and
# PostgreSQL share its cores.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
secs=${2:-10}
conns=${3:-64}
threads=${THREADS:-4} # the default of dangjian serve
bin="$build/dangjian"; bare="$build/bare"
[ -x "$bin" ] && [ -x "$bare" ] || { echo "bench: build $build first (make build)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk missing; run scripts/setup.sh" >&2; exit 1; }
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || { echo "bench: nginx missing; run scripts/setup.sh" >&2; exit 1; }

tmp=$(mktemp -d /tmp/dj-nodes-XXXXXX)
chmod 755 "$tmp" # the cluster runs as the postgres user, which must reach it
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -d "$tmp/pg" ] && bash scripts/pg-cluster.sh stop "$tmp/pg" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 200); do curl -fs -o /dev/null "http://127.0.0.1:$1$2" && return 0; sleep 0.05; done; echo "bench: nothing answers on $1$2" >&2; exit 1; }

pg_port=${PG_PORT:-$(free_port)}
url=$(bash scripts/pg-cluster.sh start "$tmp/pg" "$pg_port" | tail -n 1)
"$bin" --db "$url" demo >/dev/null

p_bare=$(free_port); "$bare" "$p_bare" "$threads" & pids+=($!)
p_a=$(free_port); "$bin" --db "$url" serve --port "$p_a" --threads "$threads" --access-log off 2>"$tmp/a.log" & pids+=($!)
wait_up "$p_a" /healthz # the first node migrates; the second then finds nothing to do
p_b=$(free_port); "$bin" --db "$url" serve --port "$p_b" --threads "$threads" --access-log off 2>"$tmp/b.log" & pids+=($!)
wait_up "$p_b" /healthz; wait_up "$p_bare" /

p_n1=$(free_port); p_n2=$(free_port); p_n2k=$(free_port)
mkdir -p "$tmp/nginx"
cat >"$tmp/nginx/nginx.conf" <<EOF
# written by bench/nodes.sh
$([ "$(id -u)" -eq 0 ] && echo 'user root;')
worker_processes auto;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    map \$http_x_real_ip \$real_ip { "" \$remote_addr; default \$http_x_real_ip; }
    upstream one { server 127.0.0.1:$p_a; }
    upstream two { server 127.0.0.1:$p_a; server 127.0.0.1:$p_b; }
    upstream two_kept { server 127.0.0.1:$p_a; server 127.0.0.1:$p_b; keepalive 32; }
    server {
        listen 127.0.0.1:$p_n1;
        client_max_body_size 20m;
        location / {
            proxy_pass http://one;
            proxy_set_header Host \$host;
            proxy_set_header X-Real-IP \$real_ip;
        }
    }
    server {
        listen 127.0.0.1:$p_n2;
        client_max_body_size 20m;
        location / {
            proxy_pass http://two;
            proxy_set_header Host \$host;
            proxy_set_header X-Real-IP \$real_ip;
            add_header X-Dangjian-Node \$upstream_addr always;
        }
    }
    server {
        listen 127.0.0.1:$p_n2k;
        client_max_body_size 20m;
        location / {
            proxy_pass http://two_kept;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_set_header X-Real-IP \$real_ip;
        }
    }
}
EOF
"$nginx" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" & pids+=($!)
wait_up "$p_n1" /healthz; wait_up "$p_n2" /healthz; wait_up "$p_n2k" /healthz

# one order to track, then check that every target answers it and that nginx uses both nodes
code=$(curl -fs -H 'Content-Type: application/json' -H 'X-Real-IP: 10.255.0.1' -d '{"kind":"need","content":"路灯","org":"CJZ-CJC","contact_name":"王","contact_phone":"13800001111"}' "http://127.0.0.1:$p_a/api/v1/public/orders" | python3 -c 'import json,sys;print(json.load(sys.stdin)["code"])')
for p in "$p_a" "$p_b" "$p_n1" "$p_n2" "$p_n2k"; do curl -fs -o /dev/null "http://127.0.0.1:$p/track/$code" || { echo "bench: /track/$code fails on $p" >&2; exit 1; }; done
seen=$(for _ in 1 2 3 4; do curl -fs -D - -o /dev/null "http://127.0.0.1:$p_n2/healthz" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-dangjian-node" {print $2}'; done | sort -u | wc -l)
[ "$seen" -eq 2 ] || { echo "bench: nginx did not send requests to both nodes" >&2; exit 1; }

declare -A port_of=([BARE]=$p_bare [NODE_A]=$p_a [NGINX_1]=$p_n1 [NGINX_2]=$p_n2 [NGINX_2K]=$p_n2k)
run_no=0
run() { # name target path [lua]
  local port=${port_of[$2]} script="" out
  [ -n "${4:-}" ] && script="-s $4 "
  run_no=$((run_no + 1))
  out=$(DJ_RUN=$run_no wrk -t2 -c"$conns" -d"${secs}s" --latency $script"http://127.0.0.1:$port$3")
  local rps p50 p99 errs sock
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errs=$(awk '/Non-2xx or 3xx/ {print $NF}' <<<"$out"); errs=${errs:-0}
  sock=$(awk '/Socket errors/ {print $0}' <<<"$out")
  echo "$1|$rps|$p50|$p99|$errs|${sock:-none}|wrk -t2 -c$conns -d${secs}s --latency $script\$$2$3"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
results=()
results+=("$(run 'bare libmicrohttpd, 13-byte reply (reference)' BARE /)")
for t in NODE_A NGINX_1 NGINX_2 NGINX_2K; do
  case $t in
  NODE_A) who='one node, direct' ;; NGINX_1) who='one node behind nginx' ;; NGINX_2) who='two nodes behind nginx' ;;
  NGINX_2K) who='two nodes behind nginx, upstream keep-alive' ;;
  esac
  results+=("$(run "$who: GET /api/v1/orders/transitions (no database)" "$t" /api/v1/orders/transitions)")
  results+=("$(run "$who: GET /track/CODE (tracking page, reads PostgreSQL)" "$t" "/track/$code")")
  results+=("$(run "$who: POST /api/v1/public/orders (place an order)" "$t" / bench/place_nodes.lua)")
done
placed=$(psql "$url" -qAtc 'SELECT COUNT(*) FROM orders')
grep -E '\[(error|crit|alert|emerg)\]' "$tmp/nginx/error.log" | head -5 >&2 || true

bare_rps=$(cut -d'|' -f2 <<<"${results[0]}")
echo "wrk -t2 -c$conns -d${secs}s --latency on loopback; each node: dangjian serve --threads $threads on PostgreSQL $(psql "$url" -qAtc 'SHOW server_version') (throwaway cluster, fsync off); nginx $("$nginx" -v 2>&1 | sed 's/.*nginx\///'), worker_processes auto; $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo
echo "load average (1, 5, 15 min) before the runs: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| what | requests/s | vs bare | p50 | p99 | non-2xx/3xx | socket errors | command |"
echo "|---|---:|---:|---:|---:|---:|---|---|"
for r in "${results[@]}"; do
  IFS='|' read -r name rps p50 p99 errs sock cmd <<<"$r"
  ratio=$(awk -v a="$rps" -v b="$bare_rps" 'BEGIN{printf "%.1f%%", 100*a/b}')
  echo "| $name | $rps | $ratio | $p50 | $p99 | $errs | $sock | \`$cmd\` |"
done
echo
echo "orders in the database after the run: $placed"
