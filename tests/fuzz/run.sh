#!/usr/bin/env bash
# Runs every fuzz target of a fuzz build (cmake --preset fuzz) for a few seconds, each from
# a copy of its seeds in the build directory (the copy grows, the checked-in seeds do not).
# A crash, a leak, a hang, or a broken invariant fails the run; the input that did it is
# left in BUILD_DIR/fuzz-findings/TARGET/ and the target's log is shown.
# Usage: tests/fuzz/run.sh [BUILD_DIR] [SECONDS_PER_TARGET]   (build/fuzz, 8)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/fuzz}
seconds=${2:-8}
failed=()
for seeds in tests/fuzz/corpus/*/; do
  target=$(basename "$seeds")
  corpus=$build/fuzz-corpus/$target
  findings=$build/fuzz-findings/$target
  log=$build/fuzz-findings/$target.log
  mkdir -p "$corpus" "$findings"
  cp -n "$seeds"* "$corpus"/
  if "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$findings/" "$corpus" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    echo "fuzz_$target: $runs runs in ${seconds}s ($rate/s), no finding"
  else
    echo "fuzz_$target: FAILED (input in $findings/), the end of $log:"
    tail -n 40 "$log"
    failed+=("$target")
  fi
done
if ((${#failed[@]})); then
  echo "fuzzing found something in: ${failed[*]}"
  exit 1
fi
