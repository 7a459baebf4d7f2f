#!/usr/bin/env bash
# The long fuzz runs, by hand (never in CI): each target for RUNS executions in the
# fuzz-long build (libFuzzer + UBSan, about three times faster than with ASan), from a copy
# of its seeds that grows, one target after another at the lowest priority; then every
# input the runs kept is replayed once under the fuzz build (ASan + UBSan). Prints one
# Markdown row per target for docs/architecture.md, "Fuzzing".
# Usage: tests/fuzz/long.sh [RUNS=10000000] [TARGET...]   (all targets by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-10000000}
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
  for seeds in tests/fuzz/corpus/*/; do targets+=("$(basename "$seeds")"); done
fi
# The lowest priority: under autogroup scheduling (Debian's default) nice only orders the
# processes of one session, and a build from another terminal would share the cores evenly
# with the fuzzer. So the fuzzer gets a session of its own and that session's group is
# niced too.
lowest() {
  setsid --wait bash -c 'echo 19 >/proc/self/autogroup 2>/dev/null || true; exec nice -n 19 "$@"' lowest "$@"
}
for preset in fuzz-long fuzz; do
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" >/dev/null
done
echo "| target | executions | seconds | exec/s | kept inputs | replayed under ASan |"
echo "|---|---:|---:|---:|---:|---|"
failed=0
for target in "${targets[@]}"; do
  corpus=build/fuzz-long/fuzz-corpus/$target
  findings=build/fuzz-long/fuzz-findings/$target
  log=build/fuzz-long/fuzz-findings/$target.log
  mkdir -p "$corpus" "$findings"
  cp -n "tests/fuzz/corpus/$target/"* "$corpus"/
  start=$(date +%s)
  if ! lowest "build/fuzz-long/tests/fuzz/fuzz_$target" -runs="$runs" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$findings/" "$corpus" >"$log" 2>&1; then
    echo "| $target | FAILED: input in $findings/, log $log | | | | |"
    failed=1
    continue
  fi
  seconds=$(($(date +%s) - start))
  done_runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  kept=$(find "$corpus" -type f | wc -l)
  if build/fuzz/tests/fuzz/fuzz_"$target" -runs=0 -timeout=10 -rss_limit_mb=2048 "$corpus" >"$log.asan" 2>&1; then
    replay="all, no finding"
  else
    replay="FAILED: see $log.asan"
    failed=1
  fi
  echo "| \`$target\` | $done_runs | $seconds | $rate | $kept | $replay |"
done
exit $failed
