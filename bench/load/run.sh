#!/usr/bin/env bash
# The load scenario, in one command:
#
#   bench/load/run.sh [sqlite|postgres]
#
# Builds the release binary, and for each database size (KINTSUGI_LOAD_COUPLES,
# default "1000 100000") seeds a fresh database with `kintsugi seed`, starts
# `kintsugi serve` on loopback, and runs wrk with mix.lua at each number of
# connections (KINTSUGI_LOAD_CONNECTIONS, default "64 256 1024") for
# KINTSUGI_LOAD_SECONDS (default 20) after a short warm-up, in two modes
# (KINTSUGI_LOAD_MODES, default "people saturated"):
#
#   people     each connection is a person pausing between requests (a mean
#              of KINTSUGI_LOAD_THINK_MS, default 1000 ms): N connections are
#              N people using the app at once — the quality bar's case;
#   saturated  no pause: the most the server can do, where latency is mostly
#              time spent queueing behind the other connections.
#
# After each run it reads the server's peak memory (VmHWM) from /proc. A
# Markdown table of the results goes to bench/load/results/ and to standard
# output.
#
# PostgreSQL: KINTSUGI_LOAD_POSTGRES (default postgres://postgres@127.0.0.1:5432)
# must allow creating a database; the run makes `kintsugi_load` and drops it.
set -euo pipefail
cd "$(dirname "$0")/../.."

engine=${1:-sqlite}
case "$engine" in sqlite|postgres) ;; *) echo "usage: $0 [sqlite|postgres]" >&2; exit 2 ;; esac
couples_list=${KINTSUGI_LOAD_COUPLES:-"1000 100000"}
connections_list=${KINTSUGI_LOAD_CONNECTIONS:-"64 256 1024"}
modes=${KINTSUGI_LOAD_MODES:-"people saturated"}
seconds=${KINTSUGI_LOAD_SECONDS:-20}
think=${KINTSUGI_LOAD_THINK_MS:-1000}
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
drop_database() {
  psql -q "$pg_base/postgres" -c "DROP DATABASE IF EXISTS kintsugi_load WITH (FORCE)" >/dev/null
}
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server"; wait "$server" 2>/dev/null || true
  fi
  if [ "$engine" = postgres ]; then drop_database || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

{
  echo "# Load: $engine, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/ {print $2}') GB;" \
    "wrk runs on the same cores."
  echo "wrk: 2 threads, ${seconds} s a run after a 5 s warm-up, bench/load/mix.lua;" \
    "sessions for $sessions couples ($((2 * sessions)) people); in 'people' mode each pauses ${think} ms on average."
  echo
  echo "| couples | mode | connections | req/s | p50 ms | p90 ms | p99 ms | max ms | 2xx | non-2xx | socket errors | load avg before | server VmHWM MB |"
  echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|"
} | tee "$out"

for couples in $couples_list; do
  data=$work/data-$couples
  mkdir -p "$data"
  if [ "$engine" = postgres ]; then
    drop_database
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
  for mode in $modes; do
    for c in $connections_list; do
      pause=0
      if [ "$mode" = people ]; then pause=$think; fi
      load=$(cut -d' ' -f1 /proc/loadavg)
      result=$(KINTSUGI_LOAD_THINK_MS=$pause wrk -t2 -c"$c" -d"${seconds}s" --timeout 10s \
        -s bench/load/mix.lua "http://127.0.0.1:$port" | sed -n 's/^RESULT //p')
      hwm=$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$server/status")
      python3 - "$couples" "$mode" "$c" "$load" "$hwm" "$result" <<'PY' | tee -a "$out"
import json, sys
couples, mode, c, load, hwm, raw = sys.argv[1:]
r = json.loads(raw)
e = r["socket_errors"]
errors = ", ".join(f"{k} {v}" for k, v in e.items() if v) or "none"
non2xx = r["status_3xx"] + r["status_4xx"] + r["status_5xx"]
print(f"| {couples} | {mode} | {c} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p90_ms']:.1f} | "
      f"{r['p99_ms']:.1f} | {r['max_ms']:.0f} | {r['status_2xx']} | {non2xx} | {errors} | {load} | {hwm} |")
PY
    done
  done
  kill -TERM "$server"; wait "$server" 2>/dev/null || true
  server=
  if grep -qiE "error|panic" "$work/server-$couples.log"; then
    echo >&2 "the server's log ($couples couples) mentions errors:"
    grep -iE "error|panic" "$work/server-$couples.log" | cut -c1-300 | sort | uniq -c | sort -rn | head -5 >&2
  fi
done
echo
echo "Results in $out"
