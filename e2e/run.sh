#!/usr/bin/env bash
# Kintsugi end to end in a real browser (headless Debian Chromium, driven by
# playwright-core under Node's own test runner).
#
#   e2e/run.sh                 # on a fresh SQLite database
#   KINTSUGI_E2E_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test e2e/run.sh
#                              # on a fresh PostgreSQL database made beside `test`
#
# It builds the release binary, installs the locked Node packages, starts a
# neutral local "exit" site and Kintsugi on free ports with a new data
# directory, waits for /health, runs the tests, and stops everything on exit.
# Screenshots land in e2e/artifacts/, the server's log in e2e/artifacts/server.log.
#
# Other knobs: CHROMIUM (the browser, /usr/bin/chromium by default),
# KINTSUGI_E2E_SKIP_BUILD=1 (use the binary already built), and arguments,
# which go to `node --test` (for example a single test file).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
artifacts="$here/artifacts"
mkdir -p "$artifacts"

export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$CHROMIUM" ]]; then
  echo "e2e: no browser at $CHROMIUM; install Debian's: apt-get install -y chromium chromium-driver" >&2
  exit 1
fi

if [[ "${KINTSUGI_E2E_SKIP_BUILD:-}" != 1 ]]; then
  (cd "$root" && cargo build --release -p kintsugi)
fi
target_dir="$(cd "$root" && cargo metadata --format-version 1 --no-deps 2>/dev/null \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')"
binary="${target_dir:-$root/target}/release/kintsugi"
[[ -x "$binary" ]] || { echo "e2e: $binary was not built" >&2; exit 1; }

# The browser is Debian's: never let an install step try to fetch one.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

data_dir="$(mktemp -d "${TMPDIR:-/tmp}/kintsugi-e2e.XXXXXX")"
server_pid=""
exit_pid=""
pg_db=""
cleanup() {
  local status=$?
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [[ -n "$exit_pid" ]] && kill "$exit_pid" 2>/dev/null && wait "$exit_pid" 2>/dev/null
  if [[ -n "$pg_db" ]]; then
    psql "$KINTSUGI_E2E_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$data_dir"
  exit "$status"
}
trap cleanup EXIT INT TERM

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# The quick exit's destination: a neutral page served locally (no internet here).
exit_out="$data_dir/exit-site.out"
node "$here/neutral-site.mjs" >"$exit_out" 2>&1 &
exit_pid=$!
for _ in $(seq 50); do [[ -s "$exit_out" ]] && break; sleep 0.1; done
exit_url="$(head -n1 "$exit_out")"
[[ "$exit_url" == http://* ]] || { echo "e2e: the exit site did not start: $(cat "$exit_out")" >&2; exit 1; }

database_args=()
engine=sqlite
if [[ -n "${KINTSUGI_E2E_DATABASE_URL:-}" ]]; then
  pg_db="kintsugi_e2e_$(date +%s)_$$"
  psql "$KINTSUGI_E2E_DATABASE_URL" -qc "CREATE DATABASE $pg_db" >/dev/null
  # The same server and credentials, the fresh database.
  database_args=(--database-url "${KINTSUGI_E2E_DATABASE_URL%/*}/$pg_db")
  engine=postgres
fi

port="$(free_port)"
base="http://127.0.0.1:$port"
KINTSUGI_LOG="${KINTSUGI_LOG:-info}" "$binary" serve --listen "127.0.0.1:$port" --data-dir "$data_dir" \
  --exit-url "$exit_url" "${database_args[@]}" >"$artifacts/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 100); do
  if curl -fsS "$base/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "e2e: Kintsugi did not start:" >&2; cat "$artifacts/server.log" >&2; exit 1
  fi
  sleep 0.2
done
curl -fsS "$base/health" >/dev/null || { echo "e2e: $base/health never answered" >&2; exit 1; }
echo "e2e: Kintsugi on $base ($engine), exit site $exit_url, browser $CHROMIUM"

export KINTSUGI_E2E_BASE_URL="$base"
export KINTSUGI_E2E_EXIT_URL="$exit_url"
export KINTSUGI_E2E_ENGINE="$engine"
# Where the server keeps its data, for the one test that moves a pause's
# end into the past instead of waiting twenty minutes for it.
if [[ "$engine" == postgres ]]; then
  export KINTSUGI_E2E_DATABASE="${KINTSUGI_E2E_DATABASE_URL%/*}/$pg_db"
else
  export KINTSUGI_E2E_DATABASE="$data_dir/kintsugi.db"
fi
cd "$here"
if [[ $# -gt 0 ]]; then
  node --test --test-concurrency=1 "$@"
else
  node --test --test-concurrency=1
fi
