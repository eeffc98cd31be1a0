#!/usr/bin/env bash
# Runs every cargo-fuzz target of the coach and the core for SECONDS each
# (default 300), installing cargo-fuzz first if it is missing. A crash stops
# the run with the fuzzer's report; its input stays under the crate's
# fuzz/artifacts/ to become a regression test.
#
#   bench/fuzz.sh [SECONDS]
#
# The toolchain is stable: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass the
# sanitizer flags it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for crate in crates/kintsugi-coach crates/kintsugi-core; do
  (cd "$crate" && cargo fuzz build -O)
  for target in $(cd "$crate" && cargo fuzz list); do
    echo "-- $crate: $target for ${seconds}s"
    if ! (cd "$crate" && cargo fuzz run -O "$target" -- \
          -max_total_time="$seconds" -print_final_stats=1) >"$log" 2>&1; then
      tail -n 60 "$log" >&2
      echo "fuzzing $target failed: see the report above and $crate/fuzz/artifacts/$target/" >&2
      exit 1
    fi
    grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
  done
done
echo "fuzzing: every target ran without a crash"
