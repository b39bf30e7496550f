#!/usr/bin/env bash
# Benchmark: what the open-dataset LRU saves. Opens tenant Lance datasets per query and through TenantDatasetCache,
# on one tenant and across many, and prints p50/p99. Not a test: it asserts nothing. Needs no service.
# Usage: scripts/bench-dataset-cache.sh [tenants=200] [chunks-per-tenant=200] [fragments-per-tenant=10]
#                                       [queries=2000] [cache-size=100]
set -euo pipefail
cd "$(dirname "$0")/.."
# the benchmark lives in the bench module (profile -Pbench), not in the production jar
CP=$(scripts/bench-classpath.sh)
LANCE_LOG=${LANCE_LOG:-error} java --add-opens=java.base/java.nio=ALL-UNNAMED -cp "$CP" \
  io.dynamicrag.processing.index.DatasetCacheBenchmark "$@" 2>&1 | grep -v -E ' (INFO|DEBUG) '
