#!/usr/bin/env bash
# `fastthread serve` measured over loopback WebSocket: upload+parse throughput, the upload
# and the parse alone, 2 jobs on 2 workers against 1 on 1, cancel latency and the master's
# memory. Usage: bench/server.sh [fastthread-server-bench options] (--help lists them;
# the default run uploads a 500MB generated CSV and takes a few minutes on 2 cores).
# Results go to stdout as a Markdown table; copy them into docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build build/release --target fastthread fastthread-generate fastthread-server-bench >&2
exec build/release/bench/fastthread-server-bench build/release/native/fastthread "$@"
