#!/usr/bin/env bash
# Benchmark: retrieval quality on the Cranfield 1400 collection through the public API, next to Lucene's BM25 over
# the same texts computed in the same run. Starts its own service (embedded PostgreSQL, a temporary data directory,
# port 18081), ingests the 1,400 documents, runs the 225 queries in keyword, vector and hybrid mode, prints
# nDCG@10 and recall@100, stops the service. Not a test: it asserts nothing.
# Usage: scripts/bench-quality.sh [cranfield-dir=../shared/data/cranfield] [base-url]
#   With a base-url it uses that running service instead of starting one.
set -euo pipefail
cd "$(dirname "$0")/.."
CRANFIELD=${1:-../shared/data/cranfield}
BASE=${2:-}
[[ -f $CRANFIELD/cran.all.1400 ]] || { echo "no Cranfield collection at $CRANFIELD (cran.all.1400)" >&2; exit 1; }

CP=$(scripts/bench-classpath.sh)

if [[ -z $BASE ]]; then
  PORT=18081
  BASE=http://localhost:$PORT
  DATA=$(mktemp -d /tmp/rag-bench-quality-XXXX)
  export RAG_DATA_DIR="$DATA"
  scripts/run.sh --server.port=$PORT > "$DATA/service.log" 2>&1 &
  SERVICE=$!
  # on failure the service log is kept (the data directory is not): a crash must leave its evidence behind
  stop_service() {
    local status=$?
    kill $SERVICE 2>/dev/null || true
    wait $SERVICE 2>/dev/null || true
    if [[ $status -ne 0 ]]; then
      cp "$DATA/service.log" "$DATA.service.log" && echo "service log kept in $DATA.service.log" >&2
    fi
    rm -rf "$DATA"
  }
  trap stop_service EXIT
  until curl -sf "$BASE/actuator/health" >/dev/null; do
    kill -0 $SERVICE 2>/dev/null || { echo "the service did not start; see $DATA/service.log" >&2; exit 1; }
    sleep 1
  done
fi

java -cp "$CP" io.dynamicrag.bench.cranfield.CranfieldQualityBenchmark "$BASE" "$CRANFIELD"
