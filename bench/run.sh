#!/usr/bin/env bash
# Throughput and peak memory of `fastthread parse` next to Python's csv/json modules and
# pandas on the same generated files, in one run. Usage: bench/run.sh [SIZE] (default 200MB).
# Results go to stdout as a Markdown table; copy them into docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-200MB}
bin=build/release/native/fastthread
gen=build/release/bench/fastthread-generate
mkdir -p bench/data
for kind in mixed-csv numeric-csv ndjson access-log; do
  ext=csv; [ "$kind" = ndjson ] && ext=ndjson; [ "$kind" = access-log ] && ext=log
  file=bench/data/$kind-$size.$ext
  [ -s "$file" ] || "$gen" "$kind" "$size" -o "$file"
done
# Debian's python3 (with pandas), not whatever python3 comes first on PATH.
exec /usr/bin/python3 bench/bench.py --binary "$bin" --size "$size" bench/data
