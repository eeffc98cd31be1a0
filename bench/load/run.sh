#!/usr/bin/env bash
# The load scenario, in one command:
#
#   bench/load/run.sh [sqlite|postgres]
#
# Builds the release binary, and for each database size (KINTSUGI_LOAD_COUPLES,
# default "1000 100000") seeds a fresh database with `kintsugi seed`, starts
# `kintsugi serve` on loopback, runs wrk with mix.lua at each concurrency
# (KINTSUGI_LOAD_CONNECTIONS, default "64 256 1024") for
# KINTSUGI_LOAD_SECONDS (default 30) after a short warm-up, and reads the
# server's peak memory (VmHWM) from /proc. A Markdown table of the results
# goes to bench/load/results/ and to standard output.
#
# PostgreSQL: KINTSUGI_LOAD_POSTGRES (default postgres://postgres@127.0.0.1:5432)
# must allow creating a database; the run makes `kintsugi_load` and drops it.
set -euo pipefail
cd "$(dirname "$0")/../.."

engine=${1:-sqlite}
case "$engine" in sqlite|postgres) ;; *) echo "usage: $0 [sqlite|postgres]" >&2; exit 2 ;; esac
couples_list=${KINTSUGI_LOAD_COUPLES:-"1000 100000"}
connections_list=${KINTSUGI_LOAD_CONNECTIONS:-"64 256 1024"}
seconds=${KINTSUGI_LOAD_SECONDS:-30}
sessions=${KINTSUGI_LOAD_SESSIONS:-1024}
port=${KINTSUGI_LOAD_PORT:-18181}
pg_base=${KINTSUGI_LOAD_POSTGRES:-postgres://postgres@127.0.0.1:5432}
bin=target/release/kintsugi

command -v wrk >/dev/null || {
  echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
if [ -z "${KINTSUGI_LOAD_SKIP_BUILD:-}" ]; then
  cargo build --release --locked -p kintsugi
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

mkdir -p bench/load/results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=bench/load/results/$engine-$stamp.md
work=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server"; wait "$server" 2>/dev/null || true
  fi
  if [ "$engine" = postgres ]; then
    psql -q "$pg_base/postgres" -c "DROP DATABASE IF EXISTS kintsugi_load WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

{
  echo "# Load: $engine, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/ {print $2}') GB."
  echo "wrk: 2 threads, ${seconds} s per level, mix.lua; sessions for $sessions couples ($((2 * sessions)) people)."
  echo
  echo "| couples | connections | req/s | p50 ms | p90 ms | p99 ms | max ms | 2xx | non-2xx | socket errors | load avg (1 min) before | server VmHWM MB |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|"
} | tee "$out"

for couples in $couples_list; do
  data=$work/data-$couples
  mkdir -p "$data"
  if [ "$engine" = postgres ]; then
    psql -q "$pg_base/postgres" -c "DROP DATABASE IF EXISTS kintsugi_load WITH (FORCE)" >/dev/null
    psql -q "$pg_base/postgres" -c "CREATE DATABASE kintsugi_load" >/dev/null
    export KINTSUGI_DATABASE_URL=$pg_base/kintsugi_load
  else
    unset KINTSUGI_DATABASE_URL
  fi
  "$bin" seed --data-dir "$data" --couples "$couples" --sessions "$sessions" \
    --tokens "$work/tokens.txt" >&2
  KINTSUGI_LOG=warn "$bin" serve --data-dir "$data" --listen "127.0.0.1:$port" \
    >"$work/server-$couples.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
    sleep 0.2
  done
  export KINTSUGI_LOAD_TOKENS=$work/tokens.txt
  # Warm-up: caches, connection pools, the coach's tables.
  wrk -t2 -c64 -d5s -s bench/load/mix.lua "http://127.0.0.1:$port" >/dev/null
  for c in $connections_list; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    result=$(wrk -t2 -c"$c" -d"${seconds}s" --timeout 10s -s bench/load/mix.lua \
      "http://127.0.0.1:$port" | sed -n 's/^RESULT //p')
    hwm=$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$server/status")
    python3 - "$couples" "$c" "$load" "$hwm" "$result" <<'PY' | tee -a "$out"
import json, sys
couples, c, load, hwm, raw = sys.argv[1:]
r = json.loads(raw)
e = r["socket_errors"]
errors = ", ".join(f"{k} {v}" for k, v in e.items() if v) or "none"
non2xx = r["status_3xx"] + r["status_4xx"] + r["status_5xx"]
print(f"| {couples} | {c} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p90_ms']:.1f} | {r['p99_ms']:.1f} | {r['max_ms']:.0f} | {r['status_2xx']} | {non2xx} | {errors} | {load} | {hwm} |")
PY
  done
  kill -TERM "$server"; wait "$server" 2>/dev/null || true
  server=
  if grep -qi "error\|panic" "$work/server-$couples.log"; then
    echo >&2 "server log ($couples couples) mentions errors:"
    grep -i "error\|panic" "$work/server-$couples.log" | sort | uniq -c | sort -rn | head -5 >&2
  fi
done
echo
echo "Results in $out"
