#!/usr/bin/env bash
# Benchmark: the index work of the soak drill in-process (new versions of documents of 4 tenants, hybrid searches,
# maintenance passes) for SECONDS, printing write and search p50/p99, the Lance session's cache bytes and the
# process's CPU per interval; a cost that grows as the caches fill shows as rising figures. The two session cache
# bounds (MB) are the arguments, so settings can be compared. Not a test: it asserts nothing. Needs no service.
# Usage: scripts/bench-index-churn.sh [index-cache-mb=512] [metadata-cache-mb=128] [seconds=300] [interval=30]
set -euo pipefail
cd "$(dirname "$0")/.."
CP=$(scripts/bench-classpath.sh)
export LANCE_LOG=${LANCE_LOG:-error}
exec java -Xmx1g --add-opens=java.base/java.nio=ALL-UNNAMED -cp "$CP" \
  io.dynamicrag.bench.speed.IndexChurnBenchmark "${1:-512}" "${2:-128}" "${3:-300}" "${4:-30}"
