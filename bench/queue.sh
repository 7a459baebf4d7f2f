#!/usr/bin/env bash
# `fastthread serve` with a long queue: admission rate and master RSS at 10k, 100k and 1M
# queued tiny jobs from several clients (docs/performance.md, "A million queued jobs").
# Usage: bench/queue.sh [JOBS=1000000] [CLIENTS=4]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build build/release --target fastthread fastthread-queue-bench >&2
exec build/release/bench/fastthread-queue-bench build/release/native/fastthread "$@"
