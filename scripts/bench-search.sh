#!/usr/bin/env bash
# Benchmark: search latency (p50/p99) and recall@10 against exact search, for vector, keyword and hybrid mode, on the
# service's own index classes in-process (no HTTP): N chunks of real text (Cranfield sentence windows) in one tenant,
# then many small tenants; queries are the 225 Cranfield questions embedded by the local MiniLM model.
# Chunk vectors: "sentence-mean" (default) = normalised mean of the model's vectors of the chunk's sentences (only the
# ~9.5k distinct sentences are embedded; the run prints how close that is to embedding each chunk), or "model" = every
# chunk text embedded (about 100 chunks/s on 2 idle cores: 15-20 min for 100k). Vectors are cached in
# bench/target/vector-cache, so later runs skip the embedding. Not a test: it asserts nothing.
# Usage: scripts/bench-search.sh [chunks=100000] [tenants=1000] [chunks-per-tenant=100] [vectors=sentence-mean|model]
#                                [cranfield-dir=../shared/data/cranfield]
set -euo pipefail
cd "$(dirname "$0")/.."
CHUNKS=${1:-100000}
TENANTS=${2:-1000}
PER_TENANT=${3:-100}
VECTORS=${4:-sentence-mean}
CRANFIELD=${5:-../shared/data/cranfield}
[[ -f $CRANFIELD/cran.all.1400 ]] || { echo "no Cranfield collection at $CRANFIELD (cran.all.1400)" >&2; exit 1; }

CP=$(scripts/bench-classpath.sh)
export LANCE_LOG=${LANCE_LOG:-error}
# Lance 7.0 can deadlock building a full-text index when its CPU pool is as small as on a 2-core host
# (lancedb/lancedb#3568): the 100k run hung for good in the write path's BM25 index upkeep without this
export LANCE_CPU_THREADS=${LANCE_CPU_THREADS:-4}
exec java -Xmx4g --add-opens=java.base/java.nio=ALL-UNNAMED -cp "$CP" \
  io.dynamicrag.bench.speed.SearchSpeedBenchmark "$CRANFIELD" "$CHUNKS" "$TENANTS" "$PER_TENANT" "$VECTORS"
